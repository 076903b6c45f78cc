// Kubernetes-NodePort's networkConf (OKG nodeport.go): `PortProtocols`
// (`port/PROTOCOL,...`, required), `Fixed` (keep the Service across pod
// re-creation), `AllowNotReadyContainers` (read by every plugin).
import { lastValue, parseBoolean, parsePortProtocols, valuesOf, type PortProtocol } from '../conf-values.js';
import type { ConfProblem, NetworkConfParam, ParsedConf } from '../types.js';

export const PORT_PROTOCOLS = 'PortProtocols';
export const FIXED = 'Fixed';

export interface NodePortConf {
  readonly ports: readonly PortProtocol[];
  readonly fixed: boolean;
}

export function parseNodePortConf(conf: readonly NetworkConfParam[]): ParsedConf<NodePortConf> {
  const problems: ConfProblem[] = [];
  const values = valuesOf(conf, PORT_PROTOCOLS);
  if (values.length === 0) problems.push({ param: PORT_PROTOCOLS, message: 'is required: port/PROTOCOL,...' });
  const ports = values.flatMap((value) => parsePortProtocols(value, PORT_PROTOCOLS, problems));
  const fixedText = lastValue(conf, FIXED);
  const fixed = fixedText === undefined ? false : parseBoolean(fixedText, FIXED, problems);
  const seen = new Set<string>();
  for (const { port, protocol } of ports) {
    const key = `${port}/${protocol}`;
    if (seen.has(key)) problems.push({ param: PORT_PROTOCOLS, message: `${key} is listed twice` });
    seen.add(key);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, conf: { ports, fixed: fixed ?? false } };
}
