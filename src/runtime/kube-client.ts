// One way out to the API server for the whole process. Every request passes
// through `send`, which
// - waits for a token of the client-side QPS/burst bucket (client-go's
//   limiter), queued fairly per namespace (fair-token-bucket.ts),
// - then bounds the request with a timeout (watches excepted): the timeout
//   covers the exchange with the server, never the wait for a token, so a long
//   queue of the process's own work cannot time a request out before it is sent,
// - refuses every request once the client is fenced (`fence`): a leader that
//   lost its Lease drops what it has not sent and aborts what is in flight,
// - counts `rest_client_requests_total{code,method,host}`,
// - reuses keep-alive connections: a bounded pool for requests (a burst
//   queues for a connection instead of opening hundreds, each holding TLS
//   buffers), and a separate, unbounded one for watches, each of which holds
//   its connection for minutes,
// - names the fieldManager the write layer (writes.ts, the one way writes
//   are sent) puts on every create, replace and patch,
// - goes through the proxy a kubeconfig's proxy-url or HTTPS_PROXY/NO_PROXY
//   name (proxy.ts), for requests, watches and pods/exec alike.
// It speaks JSON over node:https directly: the operator only ever sends raw
// requests to paths it builds, so client-node's generated API classes (and
// the 70 MB their import costs) stay out of the process.
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { createSecureContext } from 'node:tls';
import type { ConnectionOptions, Credentials } from './credentials.js';
import { apiError } from './errors.js';
import { FairTokenBucket, flowOfPath } from './fair-token-bucket.js';
import { agentProxyEnv, type ProxyEnv } from './proxy.js';

export const HttpMethod = { GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE' } as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

/** `seconds`: from the request's start (after the rate limiter) to its response headers or failure. */
export type RequestObserver = (labels: { code: string; method: string; host: string; resource: string; seconds: number }) => void;

export interface KubeClientOptions {
  readonly credentials: Credentials;
  /** Client-side requests per second (default 50; 0 = unlimited); watches count once, when they open. */
  readonly qps?: number;
  /** Requests allowed above the rate in a burst (default 100). */
  readonly burst?: number;
  /** Timeout of each non-watch request in milliseconds (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Called once per response (code = HTTP status) or failure (code = "<error>"). */
  readonly onResponse?: RequestObserver;
  readonly userAgent?: string;
  /** fieldManager of every create, replace and patch of the write layer (writes.ts); default: none (the API server derives one from the User-Agent). */
  readonly fieldManager?: string;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (default process.env, read once here); a kubeconfig's proxy-url wins. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface RawRequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Defaults to application/json; pass a PatchStrategy for PATCH. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /**
   * Asked after the wait for a rate-limit token, just before the request is
   * sent: false cancels it (RequestCancelledError) and nothing is sent. For
   * a write decided on a cache that may have moved on while it waited.
   */
  readonly stillWanted?: () => boolean;
}

/** The request failed before any HTTP status (connection refused or reset, TLS, timeout, abort). */
export class RequestFailedError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    options: { cause: unknown },
  ) {
    const cause = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`${method} ${path}: ${cause}`, options);
    this.name = 'RequestFailedError';
  }
}

/**
 * The client was fenced (leadership lost): the request was not sent, or was
 * aborted in flight. Nothing this process does may reach the API server now.
 */
export class ClientFencedError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${method} ${path}: not sent, the client is fenced${options.cause instanceof Error ? ` (${options.cause.message})` : ''}`, options);
    this.name = 'ClientFencedError';
  }
}

/** The request's `stillWanted` said no after its wait for a token: it was not sent. */
export class RequestCancelledError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path}: not sent, no longer wanted`);
    this.name = 'RequestCancelledError';
  }
}

/** A pool replaced by new TLS material is destroyed after this long (its watches end well before). */
const RETIRED_POOL_LIFETIME_MS = 11 * 60_000;
/** Connections for requests (HTTP/1.1: one request at a time each), and how many may idle. */
const REQUEST_SOCKETS = 64;
const IDLE_REQUEST_SOCKETS = 16;

type Agent = HttpsAgent | HttpAgent;
/**
 * requests: JSON requests (at most REQUEST_SOCKETS at once); streams: watches;
 * upgrades: websocket upgrades (pods/exec), a pool of their own so a burst of
 * writes never holds up an exec's handshake and the other way round (an
 * upgraded socket leaves its pool, so this one only bounds handshakes).
 */
type PoolKind = 'requests' | 'streams' | 'upgrades';

export class KubeClient {
  /** API server URL of the current cluster. */
  readonly server: string;
  /** host:port of the API server (the `host` metric label). */
  readonly host: string;
  readonly credentials: Credentials;
  private readonly limiter: FairTokenBucket | undefined;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly onResponse: RequestObserver | undefined;
  private readonly secure: boolean;
  /** fieldManager of the write layer's writes (writes.ts). */
  readonly fieldManager: string | undefined;
  /** The agents' proxy settings; undefined: direct connections. */
  readonly proxyEnv: ProxyEnv | undefined;
  private pool: { tls: ConnectionOptions; agents: Record<PoolKind, Agent> } | undefined;
  /** Aborted by `fence`: every request waiting for a token or in flight ends at once. */
  private readonly fenced = new AbortController();

  constructor(options: KubeClientOptions) {
    this.credentials = options.credentials;
    this.server = options.credentials.server;
    const url = new URL(this.server);
    this.host = url.host;
    this.secure = url.protocol === 'https:';
    const qps = options.qps ?? 50;
    this.limiter = qps > 0 ? new FairTokenBucket(qps, Math.max(1, options.burst ?? 100)) : undefined;
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'gamekeeper';
    this.fieldManager = options.fieldManager;
    this.onResponse = options.onResponse;
    this.proxyEnv = agentProxyEnv(options.credentials.proxyUrl, options.env ?? process.env);
  }

  /**
   * Stops this client for good: requests waiting for a token are dropped,
   * requests in flight are aborted (their connection is destroyed), and every
   * later request is refused with ClientFencedError without being sent. Open
   * watch streams are left to their owners. A request the server had already
   * received when its connection was destroyed may still take effect there:
   * that is the window no client can close (client-go has the same).
   */
  fence(reason: unknown): void {
    this.fenced.abort(reason);
  }

  get isFenced(): boolean {
    return this.fenced.signal.aborted;
  }

  /** A JSON request to `path`; resolves with the parsed body, throws `ApiError` on a non-2xx status. */
  async request<R = unknown>(method: HttpMethod, path: string, options: RawRequestOptions = {}): Promise<R> {
    const response = await this.send(method, path, options, true);
    const text = await readText(response, method, path);
    const code = response.statusCode ?? 0;
    if (code < 200 || code >= 300) throw apiError(code, text, response.headers);
    return (text ? JSON.parse(text) : undefined) as R;
  }

  /** GET `path` without a timeout and return the body as a stream (for watches); aborting `signal` ends it. */
  async openStream(path: string, options: RawRequestOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const response = await this.send(HttpMethod.GET, path, options, false);
    if (response.statusCode !== 200) {
      throw apiError(response.statusCode ?? 0, await readText(response, HttpMethod.GET, path).catch(() => ''), response.headers);
    }
    return Readable.toWeb(response) as ReadableStream<Uint8Array>;
  }

  /** URL, connection pool and headers of a websocket upgrade to `path` (pods/exec). */
  async websocketTarget(path: string, query: URLSearchParams): Promise<{ url: string; agent: Agent; headers: Readonly<Record<string, string>> }> {
    if (this.fenced.signal.aborted) throw new ClientFencedError('GET', path, { cause: this.fenced.signal.reason });
    const connection = await this.credentials.connection();
    const url = new URL(this.server + path);
    url.protocol = this.secure ? 'wss:' : 'ws:';
    url.search = query.toString();
    return { url: url.toString(), agent: this.agentFor(connection, 'upgrades'), headers: { ...connection.headers, 'User-Agent': this.userAgent } };
  }

  private async send(method: HttpMethod, path: string, options: RawRequestOptions, withTimeout: boolean): Promise<IncomingMessage> {
    const fence = this.fenced.signal;
    if (fence.aborted) throw new ClientFencedError(method, path, { cause: fence.reason });
    const waitSignal = options.signal ? AbortSignal.any([options.signal, fence]) : fence;
    let signal = waitSignal;
    let started = performance.now();
    try {
      if (this.limiter) await this.limiter.take(flowOfPath(path), waitSignal);
      // The timeout starts now that the request may go out: the wait for a
      // token is bounded by the caller's signal (and the fence), not by it.
      if (withTimeout && this.timeoutMs > 0) signal = AbortSignal.any([waitSignal, AbortSignal.timeout(this.timeoutMs)]);
      started = performance.now();
      const connection = await this.credentials.connection();
      if (fence.aborted) throw fence.reason;
      if (options.stillWanted && !options.stillWanted()) throw new RequestCancelledError(method, path);
      const url = new URL(this.server + path);
      for (const [key, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
      const headers: Record<string, string | number> = { ...connection.headers, Accept: 'application/json', 'User-Agent': this.userAgent };
      if (body) {
        headers['Content-Type'] = options.contentType ?? 'application/json';
        headers['Content-Length'] = body.length;
      }
      const agent = this.agentFor(connection, withTimeout ? 'requests' : 'streams');
      const requestOptions: RequestOptions = { method, headers, agent, signal };
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const request = (this.secure ? httpsRequest : httpRequest)(url, requestOptions, resolve);
        request.once('error', reject);
        request.end(body);
      });
      this.onResponse?.({ code: String(response.statusCode), method, host: this.host, resource: resourceOfPath(path), seconds: (performance.now() - started) / 1000 });
      return response;
    } catch (error) {
      if (fence.aborted) throw new ClientFencedError(method, path, { cause: fence.reason });
      if (error instanceof RequestCancelledError) throw error;
      this.onResponse?.({ code: '<error>', method, host: this.host, resource: resourceOfPath(path), seconds: (performance.now() - started) / 1000 });
      throw new RequestFailedError(method, path, { cause: signal.aborted ? (signal.reason ?? error) : error });
    }
  }

  /** The keep-alive pool of `kind` for this TLS material; new pools when the material changed (rotated certificates). */
  private agentFor(connection: ConnectionOptions, kind: PoolKind): Agent {
    if (this.pool && sameTls(this.pool.tls, connection)) return this.pool.agents[kind];
    const retired = this.pool?.agents;
    if (retired) setTimeout(() => Object.values(retired).forEach((agent) => agent.destroy()), RETIRED_POOL_LIFETIME_MS).unref();
    // One TLS context (CA, client certificate and key, parsed once) for every
    // connection of the pool. Given only ca/cert/key, node builds a context per
    // connection, and its native memory (several KB) lasts until a full GC:
    // with an exec probe per new connection, 200 execs/s held tens of MB of it
    // (bench/tls-churn.ts).
    const secureContext = this.secure
      ? createSecureContext({
          ...(connection.ca ? { ca: connection.ca } : {}),
          ...(connection.cert ? { cert: connection.cert } : {}),
          ...(connection.key ? { key: connection.key } : {}),
        })
      : undefined;
    const tls = {
      ...(secureContext ? { secureContext } : {}),
      ...(connection.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      ...(connection.servername ? { servername: connection.servername } : {}),
    };
    const proxy = this.proxyEnv ? { proxyEnv: this.proxyEnv } : {};
    const agent = (options: { maxSockets?: number; maxFreeSockets: number }): Agent =>
      this.secure ? new HttpsAgent({ keepAlive: true, ...options, ...tls, ...proxy }) : new HttpAgent({ keepAlive: true, ...options, ...proxy });
    this.pool = {
      tls: connection,
      agents: {
        requests: agent({ maxSockets: REQUEST_SOCKETS, maxFreeSockets: IDLE_REQUEST_SOCKETS }),
        streams: agent({ maxFreeSockets: 4 }),
        upgrades: agent({ maxFreeSockets: 1 }),
      },
    };
    return this.pool.agents[kind];
  }
}

/**
 * The resource (and subresource) a request path names: `pods`, `pods/status`,
 * `gameservers`, `leases`; `namespaces` for a namespace itself.
 */
export function resourceOfPath(path: string): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  // /api/v1/... or /apis/<group>/<version>/...
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const scoped = rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
  const [resource, , subresource] = scoped;
  return subresource ? `${resource}/${subresource}` : (resource ?? '');
}

function sameBuffer(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.equals(b));
}

function sameTls(a: ConnectionOptions, b: ConnectionOptions): boolean {
  return (
    sameBuffer(a.ca, b.ca) &&
    sameBuffer(a.cert, b.cert) &&
    sameBuffer(a.key, b.key) &&
    a.rejectUnauthorized === b.rejectUnauthorized &&
    a.servername === b.servername
  );
}

async function readText(response: IncomingMessage, method: string, path: string): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new RequestFailedError(method, path, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
