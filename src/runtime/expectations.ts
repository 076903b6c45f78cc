// Expectations (the ReplicaSet controller's, tracked by identity rather than
// by count): before creating or deleting children, a controller records what
// it expects to see; informer events strike the entries off. Until an
// owner's expectations are satisfied (or have expired) the cache is known to
// lag behind the controller's own writes, and the controller must not act on
// it: that is how no ordinal is ever created twice.
//
// Order matters: record the expectation *before* the API call, and lower it
// (`creationObserved` / `deletionObserved`) if the call fails.
import type { InformerHandler } from './informer.js';
import type { KubeObject } from './object.js';

export interface ExpectationsOptions {
  /** Expectations older than this are dropped as lost (default 5 min, as in kube-controller-manager). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export interface PendingExpectations {
  /** Names of children expected to appear. */
  readonly creates: readonly string[];
  /** UIDs of children expected to go (or to get a deletionTimestamp). */
  readonly deletes: readonly string[];
}

interface Entry {
  readonly creates: Set<string>;
  readonly deletes: Set<string>;
  setAt: number;
}

export class Expectations {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ExpectationsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Expect children named `names` to appear under `ownerKey`. */
  expectCreations(ownerKey: string, names: Iterable<string>): void {
    const entry = this.entry(ownerKey);
    for (const name of names) entry.creates.add(name);
    entry.setAt = this.now();
  }

  /** Expect children with UIDs `uids` to be deleted under `ownerKey`. */
  expectDeletions(ownerKey: string, uids: Iterable<string>): void {
    const entry = this.entry(ownerKey);
    for (const uid of uids) entry.deletes.add(uid);
    entry.setAt = this.now();
  }

  /** The informer saw child `name` (or the create failed and will not happen). */
  creationObserved(ownerKey: string, name: string): void {
    const entry = this.entries.get(ownerKey);
    if (!entry) return;
    entry.creates.delete(name);
    this.prune(ownerKey, entry);
  }

  /** The informer saw child `uid` go (or the delete failed and will not happen). */
  deletionObserved(ownerKey: string, uid: string): void {
    const entry = this.entries.get(ownerKey);
    if (!entry) return;
    entry.deletes.delete(uid);
    this.prune(ownerKey, entry);
  }

  /** True when nothing is pending for `ownerKey`, or what was pending has expired. */
  satisfied(ownerKey: string): boolean {
    const entry = this.entries.get(ownerKey);
    if (!entry) return true;
    if (this.now() - entry.setAt >= this.ttlMs) {
      this.entries.delete(ownerKey);
      return true;
    }
    return entry.creates.size === 0 && entry.deletes.size === 0;
  }

  /** What `ownerKey` still waits for (empty once satisfied or expired). */
  pending(ownerKey: string): PendingExpectations {
    if (this.satisfied(ownerKey)) return { creates: [], deletes: [] };
    const entry = this.entries.get(ownerKey)!;
    return { creates: [...entry.creates], deletes: [...entry.deletes] };
  }

  /** Drops everything recorded for `ownerKey` (the owner is gone). */
  forget(ownerKey: string): void {
    this.entries.delete(ownerKey);
  }

  private entry(ownerKey: string): Entry {
    let entry = this.entries.get(ownerKey);
    if (!entry) this.entries.set(ownerKey, (entry = { creates: new Set(), deletes: new Set(), setAt: this.now() }));
    return entry;
  }

  private prune(ownerKey: string, entry: Entry): void {
    if (entry.creates.size === 0 && entry.deletes.size === 0) this.entries.delete(ownerKey);
  }
}

/**
 * An informer handler that strikes off expectations of the children's owner:
 * an add observes a creation (by name); a delete, or a deletionTimestamp
 * appearing, observes a deletion (by UID). `ownerKeyOf` names the owner's
 * expectations key (e.g. `namespace/owner-name` from the controller reference).
 */
export function observeExpectations<T extends KubeObject>(
  expectations: Expectations,
  ownerKeyOf: (child: T) => string | undefined,
): InformerHandler<T> {
  return (oldObject, newObject) => {
    if (!oldObject && newObject) {
      const owner = ownerKeyOf(newObject);
      if (owner && newObject.metadata?.name) expectations.creationObserved(owner, newObject.metadata.name);
      if (owner && newObject.metadata?.deletionTimestamp && newObject.metadata.uid) expectations.deletionObserved(owner, newObject.metadata.uid);
      return;
    }
    const gone = oldObject && !newObject;
    const terminating = oldObject && newObject && !oldObject.metadata?.deletionTimestamp && newObject.metadata?.deletionTimestamp;
    const child = gone ? oldObject : terminating ? newObject : undefined;
    if (!child?.metadata?.uid) return;
    const owner = ownerKeyOf(child);
    if (owner) expectations.deletionObserved(owner, child.metadata.uid);
  };
}
