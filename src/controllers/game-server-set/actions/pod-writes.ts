// Pods this controller wrote whose write the cache has not shown yet. The
// in-place steps decide from the cached pod; a reconcile that runs before the
// watch has delivered the previous pass's write would take the step again
// (and restart the grace period, or patch the images twice). A pod whose
// cached copy predates our last write to it is left for the pass its watch
// event brings. "Predates" compares resourceVersions as etcd revisions when
// both are integers (as OpenKruise's ResourceVersionExpectation does);
// otherwise only the versions we saw before our writes count as stale.
import type { CachedPod } from '../../shared/informers.js';

/** After this long an unobserved write no longer holds a pod back (a missed event, a no-op write). */
const OBSERVE_TIMEOUT_MS = 10_000;

interface Written {
  /** Versions the cache may still show that predate our last write. */
  readonly stale: ReadonlySet<string>;
  readonly after: string;
  readonly at: number;
}

export class PodWrites {
  private readonly written = new Map<string, Written>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Notes a write to `pod` (the copy it was decided from) and what the API server returned. */
  wrote(pod: CachedPod, result: CachedPod | undefined): void {
    const key = keyOf(pod);
    const before = pod.metadata?.resourceVersion;
    const after = result?.metadata?.resourceVersion;
    if (key === undefined || before === undefined || after === undefined || before === after) return;
    const now = this.now();
    const previous = this.written.get(key);
    const stale = new Set(previous?.after === before ? previous.stale : []);
    stale.add(before);
    this.written.set(key, { stale, after, at: now });
    if (now - this.lastSweep >= OBSERVE_TIMEOUT_MS) this.sweep(now);
  }

  /** True while the cached `pod` predates our last write to it. */
  pending(pod: CachedPod): boolean {
    const key = keyOf(pod);
    if (key === undefined) return false;
    const entry = this.written.get(key);
    if (entry === undefined) return false;
    const version = pod.metadata?.resourceVersion;
    if (version !== undefined && this.now() - entry.at < OBSERVE_TIMEOUT_MS && predates(version, entry)) return true;
    this.written.delete(key);
    return false;
  }

  get size(): number {
    return this.written.size;
  }

  /** Drops entries past the timeout (pods deleted before their write was observed). */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, entry] of this.written) if (now - entry.at >= OBSERVE_TIMEOUT_MS) this.written.delete(key);
  }
}

const INTEGER = /^\d{1,15}$/;

function predates(version: string, entry: Written): boolean {
  if (INTEGER.test(version) && INTEGER.test(entry.after)) return Number(version) < Number(entry.after);
  return entry.stale.has(version);
}

function keyOf(pod: CachedPod): string | undefined {
  const { namespace, name } = pod.metadata ?? {};
  return namespace && name ? `${namespace}/${name}` : undefined;
}
