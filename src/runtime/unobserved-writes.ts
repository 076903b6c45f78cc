// Objects a controller wrote whose write its cache has not shown yet (read
// your own writes). A reconcile decides from the cached copy; one that runs
// before the watch has delivered the previous pass's write would take the
// step again: patch twice, restart a grace period, or send a guarded write
// that can only fail with 409. An object whose cached copy predates our last
// write to it is left for the pass its watch event brings. "Predates" compares resourceVersions as etcd revisions when
// both are integers (as OpenKruise's ResourceVersionExpectation does);
// otherwise only the versions we saw before our writes count as stale.
import type { KubeObject } from './object.js';

/** After this long an unobserved write no longer holds an object back (a missed event, a no-op write). */
const OBSERVE_TIMEOUT_MS = 10_000;

interface Written {
  /** Versions the cache may still show that predate our last write. */
  readonly stale: ReadonlySet<string>;
  readonly after: string;
  readonly at: number;
}

export class UnobservedWrites {
  private readonly written = new Map<string, Written>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Notes a write to `object` (the copy it was decided from) and what the API server returned. */
  wrote(object: KubeObject, result: KubeObject | undefined): void {
    const key = keyOf(object);
    const before = object.metadata?.resourceVersion;
    const after = result?.metadata?.resourceVersion;
    if (key === undefined || before === undefined || after === undefined || before === after) return;
    const now = this.now();
    const previous = this.written.get(key);
    const stale = new Set(previous?.after === before ? previous.stale : []);
    stale.add(before);
    this.written.set(key, { stale, after, at: now });
    if (now - this.lastSweep >= OBSERVE_TIMEOUT_MS) this.sweep(now);
  }

  /** True while the cached `object` predates our last write to it. */
  pending(object: KubeObject): boolean {
    const key = keyOf(object);
    if (key === undefined) return false;
    const entry = this.written.get(key);
    if (entry === undefined) return false;
    const version = object.metadata?.resourceVersion;
    if (version !== undefined && this.now() - entry.at < OBSERVE_TIMEOUT_MS && predates(version, entry)) return true;
    this.written.delete(key);
    return false;
  }

  get size(): number {
    return this.written.size;
  }

  /** Forgets `object` (deleted). */
  forget(key: string): void {
    this.written.delete(key);
  }

  /** Drops entries past the timeout (objects deleted before their write was observed). */
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

function keyOf(object: KubeObject): string | undefined {
  const { namespace, name } = object.metadata ?? {};
  return namespace && name ? `${namespace}/${name}` : undefined;
}
