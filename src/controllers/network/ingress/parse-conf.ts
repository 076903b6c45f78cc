// Kubernetes-Ingress's networkConf (OKG ingress.go): repeated `Path` (with
// `<id>` standing for the game server's id), `PathType` and `Port` matched by
// position (a path without its own type or port takes the first one), `Host`
// (may hold `<id>`), `IngressClassName`, `TlsHosts` (`a,b`), `TlsSecretName`,
// repeated `Annotation` (`key: value`), `Fixed`.
import { lastValue, parseBoolean, parsePort, valuesOf } from '../conf-values.js';
import type { ConfProblem, NetworkConfParam, ParsedConf } from '../types.js';

export const PATH = 'Path';
export const PATH_TYPE = 'PathType';
export const PORT = 'Port';
export const HOST = 'Host';
export const INGRESS_CLASS_NAME = 'IngressClassName';
export const TLS_HOSTS = 'TlsHosts';
export const TLS_SECRET_NAME = 'TlsSecretName';
export const ANNOTATION = 'Annotation';
export const FIXED = 'Fixed';
export const ID_PLACEHOLDER = '<id>';
export const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'] as const;

export interface IngressConf {
  /** Path templates, each holding at most one `<id>`. */
  readonly paths: readonly string[];
  readonly pathTypes: readonly string[];
  readonly ports: readonly number[];
  readonly host?: string | undefined;
  readonly ingressClassName?: string | undefined;
  readonly tlsHosts?: readonly string[] | undefined;
  readonly tlsSecretName?: string | undefined;
  readonly annotations: Readonly<Record<string, string>>;
  readonly fixed: boolean;
}

export function parseIngressConf(conf: readonly NetworkConfParam[]): ParsedConf<IngressConf> {
  const problems: ConfProblem[] = [];
  const oneId = (value: string, param: string): string => {
    if (value.split(ID_PLACEHOLDER).length > 2) problems.push({ param, message: `${JSON.stringify(value)} holds ${ID_PLACEHOLDER} more than once` });
    return value;
  };
  const paths = valuesOf(conf, PATH).map((path) => oneId(path, PATH));
  const pathTypes = valuesOf(conf, PATH_TYPE);
  for (const type of pathTypes) {
    if (!(PATH_TYPES as readonly string[]).includes(type)) problems.push({ param: PATH_TYPE, message: `${JSON.stringify(type)} is not one of ${PATH_TYPES.join(', ')}` });
  }
  const ports = valuesOf(conf, PORT).map((port) => parsePort(port, PORT, problems) ?? 0);
  for (const [param, values] of [[PATH, paths], [PATH_TYPE, pathTypes], [PORT, ports]] as const) {
    if (values.length === 0) problems.push({ param, message: 'is required' });
  }
  const host = lastValue(conf, HOST);
  if (host !== undefined) oneId(host, HOST);
  const annotations: Record<string, string> = {};
  for (const value of valuesOf(conf, ANNOTATION)) {
    const separator = value.indexOf(': ');
    if (separator <= 0) problems.push({ param: ANNOTATION, message: `${JSON.stringify(value)} is not "key: value"` });
    else annotations[value.slice(0, separator)] = value.slice(separator + 2);
  }
  const tlsHosts = lastValue(conf, TLS_HOSTS);
  const fixedText = lastValue(conf, FIXED);
  const fixed = fixedText === undefined ? false : parseBoolean(fixedText, FIXED, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    conf: {
      paths,
      pathTypes,
      ports,
      host,
      ingressClassName: lastValue(conf, INGRESS_CLASS_NAME),
      tlsHosts: tlsHosts === undefined ? undefined : tlsHosts.split(',').map((h) => h.trim()).filter(Boolean),
      tlsSecretName: lastValue(conf, TLS_SECRET_NAME),
      annotations,
      fixed: fixed ?? false,
    },
  };
}

/** A template with `<id>` replaced by the game server's id. */
export function withId(template: string, id: number): string {
  return template.replace(ID_PLACEHOLDER, String(id));
}
