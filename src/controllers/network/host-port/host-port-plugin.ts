// Kubernetes-HostPort: each mapped container port gets a host port from the
// operator's range when the pod is created; players reach the game server at
// its node's address and that host port. No objects; no network isolation.
import { nodeAddress } from '../node-address.js';
import type { ContainerPortSpec, NetworkPlugin, NetworkPortStatus, PodNetworkStatus, PodPreparation, ServerFacts } from '../types.js';
import { parseHostPortConf, TCPUDP, type HostPortConf } from './parse-conf.js';

export const HOST_PORT_NETWORK = 'Kubernetes-HostPort';

export const hostPortPlugin: NetworkPlugin<HostPortConf> = {
  networkType: HOST_PORT_NETWORK,
  supportsNetworkDisabled: false,
  parse: parseHostPortConf,
  hostPortsNeeded: (conf) => conf.mappings.length,
  preparePod: prepareHostPorts,
  desiredObjects: () => [],
  computeStatus: hostPortStatus,
};

/** Container ports with their host ports, in conf order (OKG hostPort.go OnPodAdded). */
export function prepareHostPorts(conf: HostPortConf, hostPorts: readonly number[]): PodPreparation {
  const containerPorts: Record<string, ContainerPortSpec[]> = {};
  conf.mappings.forEach((mapping, i) => {
    const hostPort = hostPorts[i];
    if (hostPort === undefined) return;
    const containerPort = mapping.containerPort ?? hostPort;
    const protocols = mapping.protocol === TCPUDP ? ['TCP', 'UDP'] : [mapping.protocol];
    const list = (containerPorts[mapping.container] ??= []);
    for (const protocol of protocols) list.push({ containerPort, hostPort, protocol });
  });
  return { containerPorts };
}

function hostPortStatus(conf: HostPortConf, server: ServerFacts): PodNetworkStatus {
  const containers = new Set(conf.mappings.map((m) => m.container));
  const internal: NetworkPortStatus[] = [];
  const external: NetworkPortStatus[] = [];
  for (const container of server.pod.spec?.containers ?? []) {
    if (!containers.has(container.name)) continue;
    for (const port of container.ports ?? []) {
      if (!port.hostPort) continue;
      const name = `${container.name}-${port.containerPort}`;
      const protocol = port.protocol ?? 'TCP';
      internal.push({ name, port: port.containerPort, protocol });
      external.push({ name, port: port.hostPort, protocol });
    }
  }
  const podIP = server.pod.status?.podIP;
  const nodeIP = nodeAddress(server.node);
  if (internal.length === 0 || !podIP || !nodeIP) return { networkType: HOST_PORT_NETWORK, currentNetworkState: 'NotReady' };
  return {
    networkType: HOST_PORT_NETWORK,
    currentNetworkState: 'Ready',
    internalAddresses: [{ ip: podIP, ports: internal }],
    externalAddresses: [{ ip: nodeIP, ports: external }],
  };
}
