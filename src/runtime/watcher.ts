// The list/watch state machine behind every informer (client-go's reflector,
// kube-rs's watcher):
//
//   listing ──listed──▶ watching ──clean close──▶ watching (from the last RV)
//      ▲                   │ 410 Gone (HTTP or in-stream ERROR) ──▶ listing
//      │                   │ silent > inactivityTimeout (watchdog) ──▶ watching (from the last RV)
//      └── backing-off ◀───┘ any other error (list or watch) ──▶ retry after backoff
//
// A list pages through the collection and is emitted as one `listed` event so
// the store is replaced atomically; watch events are emitted one by one.
// Bookmarks keep the resourceVersion fresh on quiet collections. The watcher
// never gives up: only its signal stops it.
import type { Logger } from 'winston';
import { ExponentialBackoff, pause, type BackoffOptions } from './backoff.js';
import { apiErrorInfo, isGone } from './errors.js';
import type { ListWatchClient, RawWatchEvent } from './list-watch.js';
import type { KubeObject } from './object.js';

export type WatcherEvent<T extends KubeObject> =
  | { readonly type: 'listed'; readonly objects: T[]; readonly resourceVersion: string }
  | { readonly type: 'applied'; readonly object: T }
  | { readonly type: 'deleted'; readonly object: T };

export type WatcherState = 'idle' | 'listing' | 'watching' | 'backing-off' | 'stopped';

export interface WatcherOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size of lists (default 500). */
  readonly pageSize?: number;
  /** Server-side watch timeout: a random value in [t, 2t) seconds (default 300, client-go's). */
  readonly watchTimeoutSeconds?: number;
  /** Restart a watch that delivered nothing (not even a bookmark) for this long (default 150 s). */
  readonly inactivityTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  readonly logger?: Logger;
  readonly random?: () => number;
}

/** Counters of what the watcher went through (for logs and tests). */
export interface WatcherStats {
  lists: number;
  watches: number;
  goneRelists: number;
  errors: number;
  watchdogRestarts: number;
  events: number;
}

/** A watch stream reported an error that is not 410. */
export class WatchStreamError extends Error {
  constructor(
    readonly status: unknown,
    options?: { cause?: unknown },
  ) {
    super(`watch stream error: ${JSON.stringify(status)}`, options);
    this.name = 'WatchStreamError';
  }
}

class WatchdogTimeout extends Error {
  constructor(ms: number) {
    super(`no watch event for ${ms} ms`);
    this.name = 'WatchdogTimeout';
  }
}

class GoneSignal extends Error {
  constructor() {
    super('410 Gone in the watch stream');
    this.name = 'GoneSignal';
  }
}

type WatchOutcome = 'closed' | 'gone' | 'stale' | 'stopped';

/** A watch that ends this soon without any event counts as a failure (no hot loop). */
const MIN_HEALTHY_WATCH_MS = 1_000;

export class Watcher<T extends KubeObject> {
  readonly stats: WatcherStats = { lists: 0, watches: 0, goneRelists: 0, errors: 0, watchdogRestarts: 0, events: 0 };
  private currentState: WatcherState = 'idle';
  private rv: string | undefined;
  private lastEvent = 0;
  private readonly backoff: ExponentialBackoff;
  private readonly random: () => number;
  private readonly inactivityTimeoutMs: number;

  constructor(
    private readonly client: ListWatchClient<T>,
    private readonly options: WatcherOptions = {},
  ) {
    this.backoff = new ExponentialBackoff(options.backoff);
    this.random = options.random ?? Math.random;
    this.inactivityTimeoutMs = options.inactivityTimeoutMs ?? 150_000;
  }

  get state(): WatcherState {
    return this.currentState;
  }

  /** The resourceVersion the next watch resumes from (undefined: the next step is a list). */
  get resourceVersion(): string | undefined {
    return this.rv;
  }

  /** Time (ms since epoch) of the last list or watch event. */
  get lastEventAt(): number {
    return this.lastEvent;
  }

  /** Lists and watches until `signal` aborts, feeding `sink`. Never rejects. */
  async run(signal: AbortSignal, sink: (event: WatcherEvent<T>) => void): Promise<void> {
    while (!signal.aborted) {
      try {
        if (this.rv === undefined) {
          this.currentState = 'listing';
          await this.list(signal, sink);
          this.backoff.reset();
        }
        this.currentState = 'watching';
        const started = Date.now();
        const before = this.stats.events;
        const outcome = await this.watchOnce(this.rv!, signal, sink);
        if (outcome === 'stopped') break;
        if (outcome === 'gone') {
          this.stats.goneRelists += 1;
          this.options.logger?.info('watch resourceVersion expired (410), relisting', { resourceVersion: this.rv });
          this.rv = undefined;
        } else if (outcome === 'stale') {
          this.stats.watchdogRestarts += 1;
          this.options.logger?.warn('watch silent too long, restarting it', { inactivityTimeoutMs: this.inactivityTimeoutMs });
        } else if (this.stats.events === before && Date.now() - started < MIN_HEALTHY_WATCH_MS) {
          await this.backOff(signal, new Error('watch closed at once without events'));
        } else {
          this.backoff.reset();
        }
      } catch (error) {
        if (signal.aborted) break;
        if (isGone(error)) {
          // An expired continue token or resourceVersion on a list: start over.
          this.stats.goneRelists += 1;
          this.rv = undefined;
          continue;
        }
        await this.backOff(signal, error);
      }
    }
    this.currentState = 'stopped';
  }

  private async backOff(signal: AbortSignal, error: unknown): Promise<void> {
    this.stats.errors += 1;
    const delay = this.backoff.next();
    this.currentState = 'backing-off';
    const info = apiErrorInfo(error);
    this.options.logger?.warn('list/watch failed, retrying', {
      err: error,
      retryInMs: delay,
      attempt: this.backoff.attempts,
      ...(info ? { code: info.code, reason: info.reason } : {}),
    });
    await pause(delay, signal);
  }

  private async list(signal: AbortSignal, sink: (event: WatcherEvent<T>) => void): Promise<void> {
    const objects: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.client.list({
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
        limit: this.options.pageSize ?? 500,
        continueToken,
        signal,
      });
      objects.push(...page.items);
      // The RV of the first page is the snapshot every later page belongs to.
      if (continueToken === undefined) resourceVersion = page.resourceVersion;
      continueToken = page.continueToken;
    } while (continueToken && !signal.aborted);
    if (signal.aborted) return;
    this.stats.lists += 1;
    this.lastEvent = Date.now();
    this.rv = resourceVersion;
    sink({ type: 'listed', objects, resourceVersion });
  }

  private async watchOnce(resourceVersion: string, outer: AbortSignal, sink: (event: WatcherEvent<T>) => void): Promise<WatchOutcome> {
    const local = new AbortController();
    const signal = AbortSignal.any([outer, local.signal]);
    let watchdog: NodeJS.Timeout | undefined;
    const armWatchdog = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => local.abort(new WatchdogTimeout(this.inactivityTimeoutMs)), this.inactivityTimeoutMs);
    };
    let streamError: WatchStreamError | undefined;
    const onEvent = (event: RawWatchEvent): void => {
      armWatchdog();
      if (local.signal.aborted) return;
      const object = event.object as T;
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED':
        case 'DELETED':
          this.rv = object.metadata?.resourceVersion ?? this.rv;
          this.stats.events += 1;
          this.lastEvent = Date.now();
          sink(event.type === 'DELETED' ? { type: 'deleted', object } : { type: 'applied', object });
          break;
        case 'BOOKMARK':
          this.rv = object.metadata?.resourceVersion ?? this.rv;
          this.stats.events += 1;
          this.lastEvent = Date.now();
          break;
        case 'ERROR': {
          const code = (event.object as { code?: unknown } | null)?.code;
          if (code === 410) local.abort(new GoneSignal());
          else {
            streamError = new WatchStreamError(event.object);
            local.abort(streamError);
          }
          break;
        }
        default:
          this.options.logger?.debug('ignoring unknown watch event type', { type: event.type });
      }
    };
    const min = this.options.watchTimeoutSeconds ?? 300;
    this.stats.watches += 1;
    armWatchdog();
    try {
      await this.client.watch(
        {
          resourceVersion,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
          timeoutSeconds: Math.floor(min * (1 + this.random())),
          allowWatchBookmarks: true,
          signal,
        },
        onEvent,
      );
    } catch (error) {
      if (outer.aborted) return 'stopped';
      if (!local.signal.aborted) {
        if (isGone(error)) return 'gone';
        throw error;
      }
    } finally {
      clearTimeout(watchdog);
      local.abort();
    }
    const reason: unknown = local.signal.reason;
    if (reason instanceof GoneSignal) return 'gone';
    if (reason instanceof WatchdogTimeout) return 'stale';
    if (streamError) throw streamError;
    return outer.aborted ? 'stopped' : 'closed';
  }
}
