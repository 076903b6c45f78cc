// What the network e2e tests share: node addresses players would use (kwok
// nodes only get an InternalIP), and typed reads of GameServers' network
// status, Services, Ingresses and events.
import type { V1Pod } from '@kubernetes/client-node';
import { eventually, kubectl } from '../support/index.js';
import { core, livePods } from '../game-server-set/harness.js';

export const NODES = ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'];
export const externalIp = (node: string): string => `203.0.113.${10 + NODES.indexOf(node)}`;

/** Gives each kwok node an ExternalIP (203.0.113.10+i) next to kwok's InternalIP. */
export async function giveNodesExternalIps(): Promise<void> {
  for (const node of NODES) {
    const addresses = [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'ExternalIP', address: externalIp(node) },
      { type: 'Hostname', address: node },
    ];
    await kubectl(['patch', 'node', node, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { addresses } })]);
  }
}

export interface NetworkStatusView {
  networkType?: string;
  currentNetworkState?: string;
  desiredNetworkState?: string;
  createTime?: string;
  lastTransitionTime?: string;
  internalAddresses?: { ip: string; ports?: { name: string; port?: number | string; protocol?: string }[]; endPoint?: string }[];
  externalAddresses?: { ip: string; ports?: { name: string; port?: number | string; protocol?: string }[]; endPoint?: string }[];
}

export async function networkStatus(namespace: string, name: string): Promise<NetworkStatusView | undefined> {
  const text = await kubectl(['get', 'gs', name, '-n', namespace, '-o', 'jsonpath={.status.networkStatus}']);
  return text.trim() === '' ? undefined : (JSON.parse(text) as NetworkStatusView);
}

/** Waits until every GameServer of `names` reports a network in `state`; returns their statuses. */
export async function networksIn(namespace: string, names: readonly string[], state: string, timeoutMs = 90_000): Promise<Map<string, NetworkStatusView>> {
  return eventually(
    async () => {
      const statuses = new Map<string, NetworkStatusView>();
      for (const name of names) {
        const status = await networkStatus(namespace, name);
        if (status?.currentNetworkState !== state) return false;
        statuses.set(name, status);
      }
      return statuses;
    },
    { description: `${names.length} networks ${state}`, timeoutMs, intervalMs: 500 },
  );
}

export interface ServiceView {
  metadata: { name: string; uid: string; ownerReferences?: { kind: string; name: string; uid: string }[]; annotations?: Record<string, string> };
  spec: { type: string; selector?: Record<string, string>; ports: { name?: string; port: number; nodePort?: number; protocol?: string }[]; publishNotReadyAddresses?: boolean };
}

export async function readService(namespace: string, name: string): Promise<ServiceView | undefined> {
  const result = await kubectl(['get', 'service', name, '-n', namespace, '-o', 'json', '--ignore-not-found']);
  return result.trim() === '' ? undefined : (JSON.parse(result) as ServiceView);
}

export async function readJson<T>(kind: string, namespace: string, name: string): Promise<T | undefined> {
  const result = await kubectl(['get', kind, name, '-n', namespace, '-o', 'json', '--ignore-not-found']);
  return result.trim() === '' ? undefined : (JSON.parse(result) as T);
}

/** Events about an object, as `type reason: message`. */
export async function eventsOf(namespace: string, kind: string, name: string): Promise<string[]> {
  const list = await core().listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name},involvedObject.kind=${kind}` });
  return list.items.map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

/** (node, hostPort/protocol) pairs held by more than one pod. */
export function hostPortClashes(pods: Iterable<V1Pod>): string[] {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const pod of pods) {
    for (const container of pod.spec?.containers ?? []) {
      for (const port of container.ports ?? []) {
        if (!port.hostPort) continue;
        const key = `${pod.spec?.nodeName}:${port.hostPort}/${port.protocol ?? 'TCP'}`;
        const other = seen.get(key);
        if (other !== undefined && other !== pod.metadata?.name) clashes.push(`${key} ${other} ${pod.metadata?.name}`);
        seen.set(key, pod.metadata?.name ?? '');
      }
    }
  }
  return clashes;
}

export function hostPortOf(pod: V1Pod | undefined, container = 'game'): number | undefined {
  return pod?.spec?.containers.find((c) => c.name === container)?.ports?.find((p) => p.hostPort)?.hostPort;
}

/** Every pod of the sets, scheduled and Running. */
export async function scheduledPods(namespace: string, sets: readonly string[], count: number): Promise<V1Pod[]> {
  return eventually(
    async () => {
      const pods = (await Promise.all(sets.map((set) => livePods(namespace, set)))).flatMap((m) => [...m.values()]);
      return pods.length === count && pods.every((p) => p.spec?.nodeName && p.status?.phase === 'Running') ? pods : false;
    },
    { description: `${count} pods running`, timeoutMs: 120_000, intervalMs: 500 },
  );
}
