// The cache behind an informer: one writer (the informer's watcher) and any
// number of read-only `Store` handles, with indexes. Objects are normalized
// and frozen on the way in, so what a reader gets can be shared safely.
//
// A relist replaces the contents atomically (kube-rs's Init → InitDone):
// readers never see a half-listed cache, and the writer reports which objects
// appeared, changed or vanished so handlers can enqueue them.
import { normalizeObject, objectKey, type KubeObject, type ObjectTransform } from './object.js';

/** Values an object is indexed under (none: not indexed). */
export type IndexFunc<T extends KubeObject> = (object: T) => readonly string[];
export type Indexers<T extends KubeObject> = Readonly<Record<string, IndexFunc<T>>>;

export const NAMESPACE_INDEX = 'namespace';
export const CONTROLLER_UID_INDEX = 'controller-uid';
export const NODE_NAME_INDEX = 'spec.nodeName';
export const labelIndexName = (labelKey: string): string => `label:${labelKey}`;

export const byNamespace: IndexFunc<KubeObject> = (object) => (object.metadata?.namespace ? [object.metadata.namespace] : []);

/** UID of the owner reference with `controller: true`. */
export const byControllerUid: IndexFunc<KubeObject> = (object) => {
  const owner = object.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return owner ? [owner.uid] : [];
};

const labelIndexFuncs = new Map<string, IndexFunc<KubeObject>>();

/** The value of one label (the same function for the same key, so shared informers can both ask for it). */
export function byLabel(labelKey: string): IndexFunc<KubeObject> {
  let indexFunc = labelIndexFuncs.get(labelKey);
  if (!indexFunc) {
    indexFunc = (object) => {
      const value = object.metadata?.labels?.[labelKey];
      return value === undefined ? [] : [value];
    };
    labelIndexFuncs.set(labelKey, indexFunc);
  }
  return indexFunc;
}

/** `spec.nodeName` of a pod. */
export const byNodeName: IndexFunc<KubeObject> = (object) => {
  const nodeName = (object as { spec?: { nodeName?: unknown } }).spec?.nodeName;
  return typeof nodeName === 'string' && nodeName ? [nodeName] : [];
};

/** Read-only view of a cache. */
export interface Store<T extends KubeObject> {
  /** The object under `namespace/name` (or `name` if cluster-scoped). */
  get(key: string): T | undefined;
  getByName(namespace: string, name: string): T | undefined;
  list(): T[];
  keys(): string[];
  /** Objects whose index `indexName` holds `value`. */
  byIndex(indexName: string, value: string): T[];
  readonly size: number;
  /** True once the first complete list has been stored. */
  hasSynced(): boolean;
  /** Resolves once the first complete list has been stored. */
  readonly synced: Promise<void>;
}

export type StoreChange<T extends KubeObject> =
  | { readonly type: 'added'; readonly object: T }
  | { readonly type: 'updated'; readonly old: T; readonly object: T }
  | { readonly type: 'deleted'; readonly old: T };

export interface StoreOptions<T extends KubeObject> {
  readonly indexers?: Indexers<T>;
  readonly transform?: ObjectTransform<T>;
}

export class UnknownIndexError extends Error {
  constructor(readonly indexName: string) {
    super(`no index named ${indexName}`);
    this.name = 'UnknownIndexError';
  }
}

export class IndexConflictError extends Error {
  constructor(readonly indexName: string) {
    super(`index ${indexName} is already defined with another function`);
    this.name = 'IndexConflictError';
  }
}

/** The single writer of a cache; hand `writer.store` to readers. */
export class StoreWriter<T extends KubeObject> {
  readonly store: Store<T>;
  private readonly items = new Map<string, T>();
  private indexers: Indexers<T>;
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly transform: ObjectTransform<T> | undefined;
  private isSynced = false;
  private resolveSynced!: () => void;
  private readonly syncedPromise: Promise<void>;

  constructor(options: StoreOptions<T> = {}) {
    this.indexers = { [NAMESPACE_INDEX]: byNamespace, ...options.indexers };
    this.transform = options.transform;
    for (const name of Object.keys(this.indexers)) this.indices.set(name, new Map());
    this.syncedPromise = new Promise((resolve) => (this.resolveSynced = resolve));
    const items = this.items;
    this.store = {
      get: (key) => items.get(key),
      getByName: (namespace, name) => items.get(namespace ? `${namespace}/${name}` : name),
      list: () => [...items.values()],
      keys: () => [...items.keys()],
      byIndex: (indexName, value) => this.byIndex(indexName, value),
      get size() {
        return items.size;
      },
      hasSynced: () => this.isSynced,
      synced: this.syncedPromise,
    };
  }

  /** Stores an added or modified object; returns the previous and the stored version. */
  apply(raw: T): { old: T | undefined; object: T } {
    const object = normalizeObject(raw, this.transform);
    const key = objectKey(object);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, object);
    this.index(key, object);
    return { old, object };
  }

  /** Removes an object; returns the last stored version (or the normalized argument if it was unknown). */
  delete(raw: T): T {
    const key = objectKey(raw);
    const old = this.items.get(key);
    if (!old) return normalizeObject(raw, this.transform);
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /**
   * Replaces every object within `namespace` (all objects if undefined) by
   * `raws` in one step, and returns what changed. An object whose
   * resourceVersion did not change keeps its stored version and is not reported.
   */
  replace(raws: readonly T[], namespace?: string): StoreChange<T>[] {
    const changes: StoreChange<T>[] = [];
    const previous = new Map<string, T>();
    const scopeKeys = namespace === undefined ? this.items.keys() : this.keysInIndex(NAMESPACE_INDEX, namespace);
    for (const key of [...scopeKeys]) previous.set(key, this.items.get(key)!);
    for (const raw of raws) {
      const key = objectKey(raw);
      const old = previous.get(key);
      previous.delete(key);
      if (old && old.metadata?.resourceVersion === raw.metadata?.resourceVersion && old.metadata?.resourceVersion !== undefined) continue;
      const { object } = this.apply(raw);
      changes.push(old ? { type: 'updated', old, object } : { type: 'added', object });
    }
    for (const [key, old] of previous) {
      this.unindex(key, old);
      this.items.delete(key);
      changes.push({ type: 'deleted', old });
    }
    return changes;
  }

  /** Adds indexes (existing objects are indexed at once); an index name already in use must keep its function. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, indexFunc] of Object.entries(indexers)) {
      const existing = this.indexers[name];
      if (existing === indexFunc) continue;
      if (existing) throw new IndexConflictError(name);
      this.indexers = { ...this.indexers, [name]: indexFunc };
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, object] of this.items) {
        for (const value of indexFunc(object)) {
          let keys = index.get(value);
          if (!keys) index.set(value, (keys = new Set()));
          keys.add(key);
        }
      }
    }
  }

  /** Marks the first complete list as stored (idempotent). */
  markSynced(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    this.resolveSynced();
  }

  private byIndex(indexName: string, value: string): T[] {
    return [...this.keysInIndex(indexName, value)].map((key) => this.items.get(key)!);
  }

  private keysInIndex(indexName: string, value: string): Set<string> {
    const index = this.indices.get(indexName);
    if (!index) throw new UnknownIndexError(indexName);
    return index.get(value) ?? new Set();
  }

  private index(key: string, object: T): void {
    for (const [name, indexFunc] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const value of indexFunc(object)) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  private unindex(key: string, object: T): void {
    for (const [name, indexFunc] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const value of indexFunc(object)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
