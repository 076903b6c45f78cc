// The benchmark's own API access: an admin client without a client-side rate
// limit (the "small parallel client with unlimited QPS" of the floors), a
// bounded-concurrency map, and a watch-backed cache that times conditions.
import { isNotFound } from '../src/runtime/errors.js';
import { HttpMethod } from '../src/runtime/kube-client.js';
import { isObjectNotFound } from '../src/runtime/write-errors.js';
import { mergePatch as mergePatchOf, strategicPatch as strategicPatchOf, writer } from '../src/runtime/writes.js';
import { createLogger } from '../src/observability/logger.js';
import { SharedInformer } from '../src/runtime/informer.js';
import { KubeClient } from '../src/runtime/kube-client.js';
import { loadCredentials } from '../src/runtime/credentials.js';
import { ApiListWatch } from '../src/runtime/list-watch.js';
import type { KubeObject } from '../src/runtime/object.js';
import { NAMESPACES, type ResourceDescriptor } from '../src/runtime/resource.js';
import type { Store } from '../src/runtime/store.js';

export { HttpMethod };

/** An admin client with no client-side QPS limit (qps 0 disables the token bucket). */
export async function unlimitedClient(kubeconfigPath: string): Promise<KubeClient> {
  return new KubeClient({ credentials: await loadCredentials(kubeconfigPath), qps: 0, requestTimeoutMs: 120_000, userAgent: 'gamekeeper-bench', fieldManager: 'gamekeeper-bench' });
}

/** Runs `task` over `items` with at most `concurrency` in flight; rejects with the first failure after all settle. */
export async function parallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('a parallel task failed', { cause: failure });
}

export class TimeoutError extends Error {
  constructor(what: string, seconds: number, detail: string) {
    super(`timed out after ${seconds} s waiting for ${what} (${detail})`);
    this.name = 'TimeoutError';
  }
}

/**
 * A watch-backed cache of one resource in some namespaces. `until` resolves
 * with the moment (epoch ms) a condition over the cache first held, checked
 * after every change (coalesced to at most one check per `checkMs`).
 */
export class Tracker<T extends KubeObject = KubeObject> {
  readonly store: Store<T>;
  private readonly informer: SharedInformer<T>;
  private readonly abort = new AbortController();
  private readonly running: Promise<void>;
  private changeCount = 0;

  constructor(client: KubeClient, resource: ResourceDescriptor, namespaces: readonly string[]) {
    this.informer = new SharedInformer<T>({
      resource,
      namespaces,
      listWatch: (namespace) => new ApiListWatch<T>(client, resource, namespace),
      logger: createLogger({ level: 'error' }),
    });
    this.store = this.informer.store;
    this.informer.addHandler(() => this.changeCount++);
    this.running = this.informer.run(this.abort.signal).catch(() => undefined);
  }

  synced(): Promise<void> {
    return this.informer.synced;
  }

  list(namespace?: string): T[] {
    const all = this.store.list();
    return namespace === undefined ? all : all.filter((object) => object.metadata?.namespace === namespace);
  }

  /** Calls `listener` with each object as it is added or changed (and its previous copy). */
  onChange(listener: (object: T, previous: T | undefined) => void): void {
    this.informer.addHandler((previous, object) => {
      if (object) listener(object, previous);
    });
  }

  /** How many changes this tracker has seen. */
  get changes(): number {
    return this.changeCount;
  }

  /** `until` over this tracker alone. */
  until(what: string, condition: () => boolean, options: UntilOptions): Promise<number> {
    return until([this], what, condition, options);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }
}

/**
 * Creates a namespace and polls (every 200 ms, at most 60 s) until the
 * controller-manager has given it its `default` ServiceAccount: the API server
 * refuses pods created in it before that (403 "serviceaccount default not found").
 */
export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await writer(client, NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const path = `/api/v1/namespaces/${name}/serviceaccounts/default`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.request(HttpMethod.GET, path);
      return;
    } catch (error) {
      if (!isNotFound(error) || Date.now() > deadline) throw error;
    }
    await sleep(200);
  }
}

export async function create<T extends KubeObject = KubeObject, B extends KubeObject = KubeObject>(client: KubeClient, resource: ResourceDescriptor, namespace: string, body: B): Promise<T> {
  return writer<T>(client, resource).create(body, {}, namespace);
}

export async function mergePatch<T extends KubeObject = KubeObject>(
  client: KubeClient,
  resource: ResourceDescriptor,
  namespace: string,
  name: string,
  body: object,
  subresource?: string,
): Promise<T> {
  return writer<T>(client, resource).patch(namespace, name, mergePatchOf(body), subresource ? { subresource } : {});
}

export async function strategicPatch<T extends KubeObject = KubeObject>(
  client: KubeClient,
  resource: ResourceDescriptor,
  namespace: string,
  name: string,
  body: object,
  subresource?: string,
): Promise<T> {
  return writer<T>(client, resource).patch(namespace, name, strategicPatchOf(body), subresource ? { subresource } : {});
}

/** Deletes every object of `resource` in `namespace` at once (grace period 0). */
export async function deleteAll(client: KubeClient, resource: ResourceDescriptor, namespace: string): Promise<void> {
  await writer(client, resource).deleteCollection(namespace, { gracePeriodSeconds: 0, propagationPolicy: 'Background' });
}

/**
 * Deletes a namespace and polls (every 500 ms, at most `timeoutMs`) until the
 * API server has removed it with everything in it, so the namespace
 * controller's and the garbage collector's clean-up of one step does not run
 * during the next timed one. Resolves with the seconds it took.
 */
export async function deleteNamespace(client: KubeClient, name: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  const path = `/api/v1/namespaces/${name}`;
  await writer(client, NAMESPACES)
    .delete(undefined, name)
    .catch((error: unknown) => {
      if (!isObjectNotFound(error)) throw error;
    });
  while (Date.now() - started < timeoutMs) {
    try {
      await client.request(HttpMethod.GET, path);
    } catch (error) {
      if (isNotFound(error)) return (Date.now() - started) / 1000;
      throw error;
    }
    await sleep(500);
  }
  throw new Error(`namespace ${name} still exists ${timeoutMs / 1000} s after its deletion`);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What `until` needs of a tracker. */
export interface Changing {
  readonly changes: number;
  synced(): Promise<void>;
}

export interface UntilOptions {
  readonly timeoutMs: number;
  /** Says where things stand, for the timeout message. */
  readonly describe?: () => string;
  /** Throws to give up at once (the operator died). */
  readonly alive?: () => void;
  /** Shortest time between two checks (default 20 ms). */
  readonly checkMs?: number;
}

/**
 * Resolves with the moment (epoch ms) `condition` first held: checked once
 * the trackers have synced and again after any of them changes. Rejects with
 * a TimeoutError after `timeoutMs`, or as soon as `alive()` throws.
 */
export async function until(trackers: readonly Changing[], what: string, condition: () => boolean, options: UntilOptions): Promise<number> {
  await Promise.all(trackers.map((tracker) => tracker.synced()));
  const deadline = Date.now() + options.timeoutMs;
  const checkMs = options.checkMs ?? 20;
  let checked = -1;
  for (;;) {
    options.alive?.();
    const changed = trackers.reduce((sum, tracker) => sum + tracker.changes, 0);
    if (changed !== checked) {
      if (condition()) return Date.now();
      checked = changed;
    }
    if (Date.now() > deadline) throw new TimeoutError(what, Math.round(options.timeoutMs / 1000), options.describe?.() ?? 'no detail');
    await sleep(checkMs);
  }
}
