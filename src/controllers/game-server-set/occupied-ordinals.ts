// Ordinals a set cannot use for now because a pod of that name exists that is
// not the set's (made by hand, or by another controller). The pod cache only
// holds pods with the owner-gss label, so such a pod is found by a creation
// that answers AlreadyExists; the ordinal is then skipped by the scale planner
// for a while, and tried again after that (the pod may be gone by then).

/** How long an ordinal found held by a foreign pod is skipped before it is tried again. */
export const OCCUPIED_RETRY_MS = 60_000;

export class OccupiedOrdinals {
  /** Set key → ordinal → until when (ms) it is skipped. */
  private readonly entries = new Map<string, Map<number, number>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Ordinal `ordinal` of set `key` is held by a pod that is not the set's. */
  occupy(key: string, ordinal: number): void {
    const entry = this.entries.get(key) ?? new Map<number, number>();
    entry.set(ordinal, this.now() + OCCUPIED_RETRY_MS);
    this.entries.set(key, entry);
  }

  /** The ordinals of `key` still skipped; expired ones are dropped. */
  of(key: string): ReadonlySet<number> {
    const entry = this.entries.get(key);
    if (entry === undefined) return new Set();
    const now = this.now();
    for (const [ordinal, until] of entry) if (until <= now) entry.delete(ordinal);
    if (entry.size === 0) this.entries.delete(key);
    return new Set(entry.keys());
  }

  /** Milliseconds until the first skipped ordinal of `key` may be tried again. */
  retryAfterMs(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.size === 0) return undefined;
    return Math.max(0, Math.min(...entry.values()) - this.now());
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
