// Shared steps of the fault-injection suite: sets, rooms and the Lease, read
// and written the way a user would (kubectl), plus the pod names of a set.
import { applySet, gameServerSet } from '../game-server-set/harness.js';
import { eventually, kubectl } from '../support/index.js';

export { applySet, gameServerSet };

interface PodItem {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
}

async function setPods(namespace: string, set: string): Promise<PodItem[]> {
  const out = await kubectl(['get', 'pods', '-n', namespace, '-l', `game.kruise.io/owner-gss=${set}`, '-o', 'json']);
  return (JSON.parse(out) as { items: PodItem[] }).items;
}

/** Names of the set's pods that are not terminating, sorted. */
export async function podNames(namespace: string, set: string): Promise<string[]> {
  return (await setPods(namespace, set))
    .filter((pod) => !pod.metadata.deletionTimestamp)
    .map((pod) => pod.metadata.name)
    .sort();
}

/** UIDs of the set's pods by name (terminating ones included). */
export async function podUids(namespace: string, set: string): Promise<Map<string, string>> {
  return new Map((await setPods(namespace, set)).map((pod) => [pod.metadata.name, pod.metadata.uid]));
}

/**
 * GameServers whose status says Ready: a set-up operator stopped at that
 * point leaves no room work (gates to open, states to write) for the next one.
 */
export async function countReadyGameServers(namespace: string): Promise<number> {
  const out = await kubectl(['get', 'gs', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.status.currentState}{"\\n"}{end}']);
  return out.split('\n').filter((state) => state === 'Ready').length;
}

export async function setOpsState(namespace: string, room: string, opsState: string): Promise<void> {
  await kubectl(['patch', 'gs', room, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { opsState } })]);
}

export interface LeaseView {
  readonly holderIdentity?: string;
  readonly leaseTransitions?: number;
}

export async function readLease(namespace: string, name: string): Promise<LeaseView | undefined> {
  const out = await kubectl(['get', 'lease', name, '-n', namespace, '-o', 'json', '--ignore-not-found']);
  return out.trim() ? (JSON.parse(out) as { spec?: LeaseView }).spec : undefined;
}

/** Writes another holder into the Lease, as a standby that took it over (or an admin) would. */
export async function stealLease(namespace: string, name: string, holder: string): Promise<void> {
  const now = new Date().toISOString().replace(/Z$/, '000Z');
  await kubectl(['patch', 'lease', name, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { holderIdentity: holder, renewTime: now, acquireTime: now } })]);
}

/** Waits until `count` pods of the set exist (not terminating). */
export async function waitForPods(namespace: string, set: string, count: number, timeoutMs = 120_000): Promise<string[]> {
  return eventually(
    async () => {
      const names = await podNames(namespace, set);
      return names.length === count ? names : false;
    },
    { timeoutMs, intervalMs: 500, description: `${count} pods of ${set}` },
  );
}
