// Kubernetes-HostPort's networkConf: `ContainerPorts` entries
// `containerName:port1/PROTOCOL1,port2/PROTOCOL2,...` (OKG hostPort.go). A
// port may be `SameAsHost` (the container listens on the host port it gets);
// the protocol TCPUDP exposes both TCP and UDP on one host port.
import { parsePort, parseProtocol } from '../conf-values.js';
import type { ConfContext, ConfProblem, NetworkConfParam, ParsedConf } from '../types.js';

export const CONTAINER_PORTS = 'ContainerPorts';
export const SAME_AS_HOST = 'SameAsHost';
export const TCPUDP = 'TCPUDP';

export interface HostPortMapping {
  readonly container: string;
  /** The container's port; undefined for SameAsHost. */
  readonly containerPort: number | undefined;
  /** TCP, UDP, SCTP or TCPUDP. */
  readonly protocol: string;
}

export interface HostPortConf {
  /** One host port each, in conf order. */
  readonly mappings: readonly HostPortMapping[];
}

export function parseHostPortConf(conf: readonly NetworkConfParam[], context: ConfContext): ParsedConf<HostPortConf> {
  const problems: ConfProblem[] = [];
  const mappings: HostPortMapping[] = [];
  for (const param of conf) {
    if (param.name !== CONTAINER_PORTS) continue;
    const value = param.value ?? '';
    const colon = value.indexOf(':');
    if (colon <= 0) {
      problems.push({ param: CONTAINER_PORTS, message: `${JSON.stringify(value)} is not containerName:port/PROTOCOL,...` });
      continue;
    }
    const container = value.slice(0, colon);
    if (!context.containerNames.includes(container)) {
      problems.push({ param: CONTAINER_PORTS, message: `container ${JSON.stringify(container)} is not in the gameServerTemplate` });
      continue;
    }
    for (const item of value.slice(colon + 1).split(',')) {
      const [portText = '', protocolText, ...rest] = item.trim().split('/');
      if (rest.length > 0 || portText === '') {
        problems.push({ param: CONTAINER_PORTS, message: `${JSON.stringify(item)} is not port/PROTOCOL` });
        continue;
      }
      const containerPort = portText === SAME_AS_HOST ? undefined : parsePort(portText, CONTAINER_PORTS, problems);
      const protocol = parseProtocol(protocolText, CONTAINER_PORTS, problems, [TCPUDP]);
      if ((containerPort !== undefined || portText === SAME_AS_HOST) && protocol !== undefined) mappings.push({ container, containerPort, protocol });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (mappings.length === 0) return { ok: false, problems: [{ param: CONTAINER_PORTS, message: 'is required: containerName:port/PROTOCOL,...' }] };
  return { ok: true, conf: { mappings } };
}
