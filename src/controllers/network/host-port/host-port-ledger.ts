// The host ports in use, for allocations: the pods in the cache are the
// record (their spec holds their host ports, so a restarted or newly elected
// operator rebuilds the table from its first list), plus the allocations of
// creations the cache has not shown yet. A pod's ports return to the range
// when it leaves the cache (deleted and gone). Allocation is synchronous, so
// two sets reconciled at once never take the same port.
import type { Store } from '../../../runtime/store.js';
import type { CachedNode, CachedPod } from '../../shared/informers.js';
import { allocateHostPorts, countUsage, hostPortsOf, type Allocation, type PortRange } from './allocate-host-ports.js';

/** An allocation the cache never showed (its pod created and deleted unseen) is dropped after this long. */
export const IN_FLIGHT_TTL_MS = 5 * 60_000;

export class HostPortLedger {
  /** Ports handed to pods being created, by `namespace/name`, until the cache shows the pod with them. */
  private readonly inFlight = new Map<string, { readonly ports: readonly number[]; readonly atMs: number }>();

  constructor(
    private readonly pods: Store<CachedPod>,
    private readonly nodes: Store<CachedNode>,
    readonly range: PortRange,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `needed` ports for pod `key`, or says why not. */
  allocate(key: string, needed: number): Allocation {
    const held: (readonly number[])[] = [];
    for (const pod of this.pods.list()) held.push(hostPortsOf(pod.spec?.containers ?? [], this.range));
    const nowMs = this.now();
    for (const [podKey, { ports, atMs }] of this.inFlight) {
      const cached = this.pods.get(podKey);
      const seen = cached !== undefined && sameSet(hostPortsOf(cached.spec?.containers ?? [], this.range), ports);
      if (seen || nowMs - atMs > IN_FLIGHT_TTL_MS) this.inFlight.delete(podKey);
      else held.push(ports);
    }
    const schedulable = this.nodes.list().filter((node) => node.spec?.unschedulable !== true).length;
    const allocation = allocateHostPorts(this.range, countUsage(held), needed, schedulable);
    if (allocation.ok && allocation.ports.length > 0) this.inFlight.set(key, { ports: allocation.ports, atMs: nowMs });
    return allocation;
  }

  /** The creation of pod `key` failed: its ports go back. */
  release(key: string): void {
    this.inFlight.delete(key);
  }
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((port, i) => port === b[i]);
}
