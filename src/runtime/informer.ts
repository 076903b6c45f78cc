// A shared informer: the watchers of one resource (one per watched namespace,
// or one for all), the store they write, and the handlers told of each change.
// Handlers get (old, new): (undefined, obj) for an add, (obj, undefined) for
// a delete. They must only enqueue keys; one that throws is logged and the
// informer carries on. Every `resyncPeriodMs` (plus up to 10% at random, so
// informers and replicas spread out) each cached object is handed to the
// handlers again as (obj, obj), as controller-runtime's SyncPeriod does.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'winston';
import type { ListWatchClient } from './list-watch.js';
import type { KubeObject, ObjectTransform } from './object.js';
import type { ResourceDescriptor } from './resource.js';
import { StoreWriter, type Indexers, type Store, type StoreChange } from './store.js';
import { Watcher, type WatcherEvent, type WatcherOptions, type WatcherStats } from './watcher.js';

export type InformerHandler<T extends KubeObject> = (oldObject: T | undefined, newObject: T | undefined) => void;

export interface InformerOptions<T extends KubeObject> {
  readonly resource: ResourceDescriptor;
  /** Builds the list/watch client of one namespace (undefined: all namespaces). */
  readonly listWatch: (namespace: string | undefined) => ListWatchClient<T>;
  /** Namespaces to watch; empty or undefined watches all (or the resource is cluster-scoped). */
  readonly namespaces?: readonly string[];
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly transform?: ObjectTransform<T>;
  readonly indexers?: Indexers<T>;
  readonly watcher?: Omit<WatcherOptions, 'labelSelector' | 'fieldSelector' | 'logger'>;
  /** Re-deliver every cached object this often (ms, jittered +0-10%); 0 or undefined: never. */
  readonly resyncPeriodMs?: number;
  /** Random source of the jitter (tests). */
  readonly random?: () => number;
  readonly logger: Logger;
}

export class SharedInformer<T extends KubeObject> {
  readonly resource: ResourceDescriptor;
  readonly store: Store<T>;
  private readonly writer: StoreWriter<T>;
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly watchers: { namespace: string | undefined; watcher: Watcher<T> }[];
  private readonly listedScopes = new Set<string | undefined>();
  private readonly logger: Logger;
  private running = false;
  private readonly resyncPeriodMs: number;
  private readonly random: () => number;

  constructor(options: InformerOptions<T>) {
    this.resource = options.resource;
    this.resyncPeriodMs = Math.max(0, options.resyncPeriodMs ?? 0);
    this.random = options.random ?? Math.random;
    this.logger = options.logger.child({ informer: options.resource.plural, labelSelector: options.labelSelector });
    this.writer = new StoreWriter<T>({ indexers: options.indexers, transform: options.transform });
    this.store = this.writer.store;
    const scopes: (string | undefined)[] =
      options.resource.namespaced && options.namespaces && options.namespaces.length > 0 ? [...new Set(options.namespaces)] : [undefined];
    this.watchers = scopes.map((namespace) => ({
      namespace,
      watcher: new Watcher<T>(options.listWatch(namespace), {
        ...options.watcher,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        logger: namespace ? this.logger.child({ namespace }) : this.logger,
      }),
    }));
  }

  /**
   * Registers a handler. Objects already in the cache are replayed to it as
   * adds, so a handler added late misses nothing.
   */
  addHandler(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
    for (const object of this.store.list()) this.call(handler, undefined, object);
  }

  /** Adds indexes to the store (shared informers: each user brings the indexes it needs). */
  addIndexers(indexers: Indexers<T>): void {
    this.writer.addIndexers(indexers);
  }

  /** Resolves once every watcher has stored its first complete list. */
  get synced(): Promise<void> {
    return this.store.synced;
  }

  hasSynced(): boolean {
    return this.store.hasSynced();
  }

  /** Time of the most recent list or watch event across watchers (0 before any). */
  get lastEventAt(): number {
    return Math.max(0, ...this.watchers.map(({ watcher }) => watcher.lastEventAt));
  }

  /** Summed counters of the watchers. */
  get stats(): WatcherStats {
    const total: WatcherStats = { lists: 0, watches: 0, goneRelists: 0, errors: 0, watchdogRestarts: 0, events: 0 };
    for (const { watcher } of this.watchers) {
      for (const key of Object.keys(total) as (keyof WatcherStats)[]) total[key] += watcher.stats[key];
    }
    return total;
  }

  /** Runs the watchers until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`informer for ${this.resource.plural} is already running`);
    this.running = true;
    try {
      await Promise.all([
        ...this.watchers.map(({ namespace, watcher }) => watcher.run(signal, (event) => this.onWatcherEvent(namespace, event))),
        this.resyncLoop(signal),
      ]);
    } finally {
      this.running = false;
    }
  }

  /** Until `signal` aborts: once synced, every period (jittered) each cached object to every handler as (obj, obj). */
  private async resyncLoop(signal: AbortSignal): Promise<void> {
    if (this.resyncPeriodMs <= 0 || signal.aborted) return;
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([this.store.synced, aborted]);
    while (!signal.aborted) {
      const delay = this.resyncPeriodMs * (1 + 0.1 * this.random());
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        return;
      }
      const objects = this.store.list();
      this.logger.debug('resync', { count: objects.length });
      for (const object of objects) for (const handler of this.handlers) this.call(handler, object, object);
    }
  }

  private onWatcherEvent(namespace: string | undefined, event: WatcherEvent<T>): void {
    switch (event.type) {
      case 'listed': {
        const changes = this.writer.replace(event.objects, namespace);
        this.listedScopes.add(namespace);
        if (this.listedScopes.size === this.watchers.length) this.writer.markSynced();
        this.logger.debug('listed', { namespace, count: event.objects.length, changes: changes.length, resourceVersion: event.resourceVersion });
        for (const change of changes) this.dispatch(change);
        break;
      }
      case 'applied': {
        const { old, object } = this.writer.apply(event.object);
        this.dispatch(old ? { type: 'updated', old, object } : { type: 'added', object });
        break;
      }
      case 'deleted':
        this.dispatch({ type: 'deleted', old: this.writer.delete(event.object) });
        break;
    }
  }

  private dispatch(change: StoreChange<T>): void {
    const [oldObject, newObject] =
      change.type === 'added' ? [undefined, change.object] : change.type === 'updated' ? [change.old, change.object] : [change.old, undefined];
    for (const handler of this.handlers) this.call(handler, oldObject, newObject);
  }

  private call(handler: InformerHandler<T>, oldObject: T | undefined, newObject: T | undefined): void {
    try {
      handler(oldObject, newObject);
    } catch (error) {
      this.logger.error('informer handler threw; handlers must only enqueue', { err: error });
    }
  }
}
