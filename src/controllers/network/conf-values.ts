// Reading networkConf values: OKG's parameter syntaxes shared by the plugins
// (`port/PROTOCOL` lists, booleans), each bad value reported as a ConfProblem.
import type { ConfProblem, NetworkConfParam } from './types.js';

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** `spec.network.networkConf` name that lets containers be not ready during an in-place update (OKG). */
export const ALLOW_NOT_READY_CONTAINERS = 'AllowNotReadyContainers';

/** Values of every entry called `name`, in order. */
export function valuesOf(conf: readonly NetworkConfParam[], name: string): string[] {
  return conf.filter((param) => param.name === name).map((param) => param.value ?? '');
}

/** The last value of `name` (OKG: a later entry wins). */
export function lastValue(conf: readonly NetworkConfParam[], name: string): string | undefined {
  const values = valuesOf(conf, name);
  return values.length > 0 ? values[values.length - 1] : undefined;
}

/** A port number 1..65535, or a problem. */
export function parsePort(text: string, param: string, problems: ConfProblem[]): number | undefined {
  const trimmed = text.trim();
  const port = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    problems.push({ param, message: `${JSON.stringify(trimmed)} is not a port number (1-65535)` });
    return undefined;
  }
  return port;
}

/** A protocol name (uppercase, as OKG documents), TCP when absent. */
export function parseProtocol(text: string | undefined, param: string, problems: ConfProblem[], extra: readonly string[] = []): string | undefined {
  if (text === undefined || text === '') return 'TCP';
  if ((PROTOCOLS as readonly string[]).includes(text) || extra.includes(text)) return text;
  problems.push({ param, message: `protocol ${JSON.stringify(text)} is not one of ${[...PROTOCOLS, ...extra].join(', ')}` });
  return undefined;
}

export interface PortProtocol {
  readonly port: number;
  readonly protocol: string;
}

/** `port1/PROTOCOL1,port2/PROTOCOL2,...` (OKG PortProtocols). */
export function parsePortProtocols(value: string, param: string, problems: ConfProblem[]): PortProtocol[] {
  const result: PortProtocol[] = [];
  for (const item of value.split(',')) {
    if (item.trim() === '') continue;
    const [portText = '', protocolText, ...rest] = item.trim().split('/');
    if (rest.length > 0) {
      problems.push({ param, message: `${JSON.stringify(item)} is not port/PROTOCOL` });
      continue;
    }
    const port = parsePort(portText, param, problems);
    const protocol = parseProtocol(protocolText, param, problems);
    if (port !== undefined && protocol !== undefined) result.push({ port, protocol });
  }
  if (result.length === 0 && problems.length === 0) problems.push({ param, message: 'no port given' });
  return result;
}

/** `true`/`false` (Go's strconv.ParseBool spellings). */
export function parseBoolean(value: string, param: string, problems: ConfProblem[]): boolean | undefined {
  if (['true', 'True', 'TRUE', 't', 'T', '1'].includes(value)) return true;
  if (['false', 'False', 'FALSE', 'f', 'F', '0'].includes(value)) return false;
  problems.push({ param, message: `${JSON.stringify(value)} is not true or false` });
  return undefined;
}

/** Container names of AllowNotReadyContainers (comma-separated). */
export function allowNotReadyContainers(conf: readonly NetworkConfParam[]): string[] {
  return valuesOf(conf, ALLOW_NOT_READY_CONTAINERS).flatMap((value) => value.split(',').map((name) => name.trim()).filter(Boolean));
}
