// The two API calls a watcher needs, behind an interface so the watcher's
// state machine can be driven by a scripted transport in unit tests and by
// the real API server everywhere else.
import { HttpMethod } from './kube-client.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './object.js';
import { apiVersionOf, resourcePath, type ResourceDescriptor } from './resource.js';

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continueToken?: string;
  readonly signal?: AbortSignal;
}

export interface ListPage<T extends KubeObject> {
  readonly items: T[];
  readonly resourceVersion: string;
  /** Token of the next page, absent on the last one. */
  readonly continueToken?: string;
}

export interface WatchOptions {
  readonly resourceVersion: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly timeoutSeconds?: number;
  readonly allowWatchBookmarks?: boolean;
  readonly signal?: AbortSignal;
}

/** One line of a watch stream. `object` is a metav1.Status for ERROR. */
export interface RawWatchEvent {
  readonly type: string;
  readonly object: unknown;
}

export interface ListWatchClient<T extends KubeObject> {
  /** One page of a list; throws `ApiException` on an HTTP error (410 when a continue token expired). */
  list(options: ListOptions): Promise<ListPage<T>>;
  /**
   * Streams watch events to `onEvent` until the server ends the stream
   * (resolves) or the request fails or is aborted (rejects).
   */
  watch(options: WatchOptions, onEvent: (event: RawWatchEvent) => void): Promise<void>;
}

interface ListBody<T> {
  items?: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** ListWatchClient over the API server for one resource, in one namespace or all. */
export class ApiListWatch<T extends KubeObject> implements ListWatchClient<T> {
  private readonly path: string;
  private readonly apiVersion: string;

  constructor(
    private readonly client: KubeClient,
    private readonly resource: ResourceDescriptor,
    namespace?: string,
  ) {
    this.path = resourcePath(resource, namespace);
    this.apiVersion = apiVersionOf(resource);
  }

  async list(options: ListOptions): Promise<ListPage<T>> {
    const body = await this.client.request<ListBody<T>>(HttpMethod.GET, this.path, {
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continueToken,
      },
      signal: options.signal,
    });
    // List items of built-in kinds carry no apiVersion/kind; watch events do.
    const items = (body.items ?? []).map((item) => ({ apiVersion: this.apiVersion, kind: this.resource.kind, ...item }));
    const continueToken = body.metadata?.continue;
    return { items, resourceVersion: body.metadata?.resourceVersion ?? '', ...(continueToken ? { continueToken } : {}) };
  }

  async watch(options: WatchOptions, onEvent: (event: RawWatchEvent) => void): Promise<void> {
    const stream = await this.client.openStream(this.path, {
      query: {
        watch: true,
        resourceVersion: options.resourceVersion,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        timeoutSeconds: options.timeoutSeconds,
        allowWatchBookmarks: options.allowWatchBookmarks,
      },
      signal: options.signal,
    });
    await readJsonLines(stream, onEvent);
  }
}

/**
 * Feeds each newline-delimited JSON value of `stream` to `onLine`; resolves at
 * the end of the stream. Lines are cut out of each chunk once; only an
 * unfinished line is carried over to the next chunk.
 */
export async function readJsonLines(stream: ReadableStream<Uint8Array>, onLine: (event: RawWatchEvent) => void): Promise<void> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let rest = '';
  const emit = (line: string): void => {
    if (!line.trim()) return;
    onLine(JSON.parse(line) as RawWatchEvent);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = rest + decoder.decode(value, { stream: true });
      let start = 0;
      let newline = text.indexOf('\n');
      while (newline >= 0) {
        emit(text.slice(start, newline));
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      rest = text.slice(start);
    }
    emit(rest + decoder.decode());
  } finally {
    reader.releaseLock();
    await stream.cancel().catch(() => undefined);
  }
}
