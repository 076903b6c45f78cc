// Kubernetes-NodePort: one NodePort Service per game server, named like it,
// selecting exactly its pod. networkDisabled swaps the selector key for
// game.kruise.io/svc-selector-disabled, which matches no pod (OKG's network
// isolation), and back. Players reach the game server at its node's address
// and the Service's node ports.
import { NETWORK_KEYS } from '../../../api/constants.js';
import { nodeAddress } from '../node-address.js';
import { objectLabels, objectOwner, podSelector } from '../owners.js';
import { publishNotReady } from '../allow-not-ready.js';
import type { DesiredObject, NetworkAddressStatus, NetworkPlugin, ObservedObjects, PodNetworkStatus, ServerFacts } from '../types.js';
import { parseNodePortConf, type NodePortConf } from './parse-conf.js';

export const NODE_PORT_NETWORK = 'Kubernetes-NodePort';

export const nodePortPlugin: NetworkPlugin<NodePortConf> = {
  networkType: NODE_PORT_NETWORK,
  supportsNetworkDisabled: true,
  parse: (conf) => parseNodePortConf(conf),
  desiredObjects: (conf, server) => [nodePortService(conf, server)],
  computeStatus: nodePortStatus,
};

/** Port names: the port number (OKG), with the protocol when one port is listed for two protocols. */
export function servicePortName(port: number, protocol: string, ports: readonly { port: number }[]): string {
  return ports.filter((p) => p.port === port).length > 1 ? `${port}-${protocol.toLowerCase()}` : String(port);
}

export function nodePortService(conf: NodePortConf, server: ServerFacts): DesiredObject {
  const selector = server.networkDisabled ? { [NETWORK_KEYS.svcSelectorDisabled]: server.name } : podSelector(server);
  return {
    kind: 'Service',
    manifest: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: server.name,
        namespace: server.namespace,
        labels: objectLabels(server),
        annotations: {},
        ownerReferences: [objectOwner(server, conf.fixed)],
      },
      spec: {
        type: 'NodePort',
        selector,
        ports: conf.ports.map(({ port, protocol }) => ({ name: servicePortName(port, protocol, conf.ports), port, protocol, targetPort: port })),
        ...(publishNotReady(server) ? { publishNotReadyAddresses: true } : {}),
      },
    },
  };
}

interface ServicePortView {
  port: number;
  protocol?: string;
  nodePort?: number;
  targetPort?: number | string;
}

function nodePortStatus(_conf: NodePortConf, server: ServerFacts, observed: ObservedObjects): PodNetworkStatus {
  const notReady: PodNetworkStatus = { networkType: NODE_PORT_NETWORK, currentNetworkState: 'NotReady' };
  const service = observed.Service as { spec?: { selector?: Record<string, string>; ports?: ServicePortView[] } } | undefined;
  const podIP = server.pod.status?.podIP;
  const nodeIP = nodeAddress(server.node);
  const ports = service?.spec?.ports ?? [];
  if (!service || !podIP || !nodeIP || ports.length === 0 || ports.some((p) => !p.nodePort)) return notReady;
  const internalAddresses: NetworkAddressStatus[] = [];
  const externalAddresses: NetworkAddressStatus[] = [];
  for (const port of ports) {
    const target = port.targetPort ?? port.port;
    const protocol = port.protocol ?? 'TCP';
    internalAddresses.push({ ip: podIP, ports: [{ name: String(target), port: target, protocol }] });
    externalAddresses.push({ ip: nodeIP, ports: [{ name: String(target), port: port.nodePort ?? 0, protocol }] });
  }
  // Off the network while the Service selects no pod.
  const selected = service.spec?.selector?.[NETWORK_KEYS.svcSelectorDisabled] === undefined;
  return { networkType: NODE_PORT_NETWORK, currentNetworkState: selected ? 'Ready' : 'NotReady', internalAddresses, externalAddresses };
}
