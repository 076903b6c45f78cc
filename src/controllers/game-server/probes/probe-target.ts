// Where a probe of one pod goes: the pod's identity, containers and
// addresses, read from the cache at each run (a pod IP can appear late).
import { ProbeError, type ServiceQualityProbe } from './probe-types.js';

export interface ProbeTarget {
  readonly namespace: string;
  readonly podName: string;
  readonly containers: readonly { readonly name: string; readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[] }[];
  readonly podIP?: string;
  readonly hostIP?: string;
  readonly hostNetwork?: boolean;
}

/** The container an exec probe runs in: `containerName`, or the pod's first container. */
export function probeContainer(target: ProbeTarget, probe: ServiceQualityProbe): string {
  const name = probe.containerName || target.containers[0]?.name;
  if (!name || !target.containers.some((c) => c.name === name)) {
    throw new ProbeError('ContainerNotFound', `container ${name ?? '(none)'} is not in pod ${target.namespace}/${target.podName}`);
  }
  return name;
}

/** A port number, or a named port looked up in the probe's container (or any container). */
export function resolvePort(target: ProbeTarget, probe: ServiceQualityProbe, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const containers = probe.containerName ? target.containers.filter((c) => c.name === probe.containerName) : target.containers;
  for (const container of containers) {
    const found = container.ports?.find((p) => p.name === port);
    if (found) return found.containerPort;
  }
  throw new ProbeError('PortNotFound', `no container port named ${port} in pod ${target.namespace}/${target.podName}`);
}

/**
 * The pod's own address: its IP (the host IP for hostNetwork pods). A probe
 * never goes anywhere else: the API server refuses a `host`, and one stored
 * before that rule is refused here unless it is that very address.
 */
export function probeHost(target: ProbeTarget, host: string | undefined): string {
  const address = target.hostNetwork ? target.hostIP || target.podIP : target.podIP;
  if (!address) throw new ProbeError('NoTargetAddress', `pod ${target.namespace}/${target.podName} has no IP yet`);
  if (host && host !== address) {
    throw new ProbeError('InvalidProbe', `host ${host} is not the address of pod ${target.namespace}/${target.podName} (${address}): probes go to the pod only`);
  }
  return address;
}
