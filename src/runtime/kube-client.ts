// One way out to the API server for the whole process. Every request, typed
// (`client.api(CoreV1Api)`) or raw (`client.request`, `client.openStream`),
// passes through the same HTTP library wrapper, which
// - waits for a token of the client-side QPS/burst bucket (client-go's limiter),
// - bounds the request with a timeout (client-node has none; watches excepted),
// - counts `rest_client_requests_total{code,method,host}`,
// - reuses one connection pool (undici dispatcher) for every request:
//   client-node's `applySecurityAuthentication` builds a new dispatcher per
//   call, i.e. a new TLS connection per request, whose buffers and handshakes
//   dominated the process's memory under load.
// client-node's promise middleware sees the response but not the request, so
// the counting sits in the HTTP library rather than in a `post` middleware.
import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  Observable,
  RequestContext,
  ServerConfiguration,
  createConfiguration,
  type Configuration,
  type HttpLibrary,
  type ResponseContext,
} from '@kubernetes/client-node';
import { apiException } from './errors.js';
import { TokenBucket } from './rate-limiter.js';

/** undici's Dispatcher, as client-node's RequestContext types it. */
type Dispatcher = Parameters<RequestContext['setDispatcher']>[0];

/** Age after which the shared connection pool is rebuilt from the kubeconfig (picks up rotated certificates). */
const DISPATCHER_MAX_AGE_MS = 10 * 60_000;

export type RequestObserver = (labels: { code: string; method: string; host: string }) => void;

export interface KubeClientOptions {
  readonly kubeConfig: KubeConfig;
  /** Client-side requests per second (default 50); watches count once, when they open. */
  readonly qps?: number;
  /** Requests allowed above the rate in a burst (default 100). */
  readonly burst?: number;
  /** Timeout of each non-watch request in milliseconds (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Called once per response (code = HTTP status) or failure (code = "<error>"). */
  readonly onResponse?: RequestObserver;
  readonly userAgent?: string;
}

export interface RawRequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Defaults to application/json; pass a PatchStrategy for PATCH. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export class NoClusterError extends Error {
  constructor() {
    super('the kubeconfig has no current cluster');
    this.name = 'NoClusterError';
  }
}

class InstrumentedHttpLibrary implements HttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();

  constructor(
    private readonly limiter: TokenBucket | undefined,
    private readonly timeoutMs: number,
    private readonly host: string,
    private readonly onResponse: RequestObserver | undefined,
  ) {}

  send(request: RequestContext): Observable<ResponseContext> {
    return new Observable(this.sendAsync(request, true));
  }

  async sendAsync(request: RequestContext, withTimeout: boolean): Promise<ResponseContext> {
    const method = request.getHttpMethod();
    const callerSignal = request.getSignal();
    if (this.limiter) await this.limiter.take(callerSignal);
    if (withTimeout && this.timeoutMs > 0) {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      request.setSignal(callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout);
    }
    try {
      const response = await this.inner.send(request).toPromise();
      this.onResponse?.({ code: String(response.httpStatusCode), method, host: this.host });
      return response;
    } catch (error) {
      this.onResponse?.({ code: '<error>', method, host: this.host });
      throw error;
    }
  }
}

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  /** API server URL of the current cluster. */
  readonly server: string;
  /** host:port of the API server (the `host` metric label). */
  readonly host: string;
  private readonly http: InstrumentedHttpLibrary;
  private readonly configuration: Configuration;
  /** The dispatcher every request goes through, replaced after DISPATCHER_MAX_AGE_MS (rotated client certificates). */
  private dispatcher: { value: Dispatcher | undefined; createdAt: number } | undefined;

  constructor(options: KubeClientOptions) {
    this.kubeConfig = options.kubeConfig;
    const cluster = options.kubeConfig.getCurrentCluster();
    if (!cluster) throw new NoClusterError();
    this.server = cluster.server.replace(/\/+$/, '');
    this.host = new URL(this.server).host;
    const qps = options.qps ?? 50;
    const limiter = qps > 0 ? new TokenBucket(qps, Math.max(1, options.burst ?? 100)) : undefined;
    this.http = new InstrumentedHttpLibrary(limiter, options.requestTimeoutMs ?? 30_000, this.host, options.onResponse);
    const userAgent = options.userAgent ?? 'gamekeeper';
    this.configuration = createConfiguration({
      baseServer: new ServerConfiguration(this.server, {}),
      authMethods: { default: options.kubeConfig },
      httpApi: this.http,
      promiseMiddleware: [
        {
          pre: async (context) => {
            context.setHeaderParam('User-Agent', userAgent);
            this.shareDispatcher(context);
            return context;
          },
          post: async (response) => response,
        },
      ],
    });
  }

  /** A typed client-node API (e.g. `client.api(CoreV1Api)`) that goes through this client. */
  api<T>(apiClass: new (configuration: Configuration) => T): T {
    return new apiClass(this.configuration);
  }

  /** A JSON request to `path`; resolves with the parsed body, throws `ApiException` on a non-2xx status. */
  async request<R = unknown>(method: HttpMethod, path: string, options: RawRequestOptions = {}): Promise<R> {
    const context = await this.context(method, path, options);
    const response = await this.http.sendAsync(context, true);
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode >= 300) {
      throw apiException(response.httpStatusCode, text, response.headers);
    }
    return (text ? JSON.parse(text) : undefined) as R;
  }

  /** GET `path` without a timeout and return the body stream (for watches). */
  async openStream(path: string, options: RawRequestOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const context = await this.context(HttpMethod.GET, path, options);
    const response = await this.http.sendAsync(context, false);
    if (response.httpStatusCode !== 200) {
      throw apiException(response.httpStatusCode, await response.body.text().catch(() => ''), response.headers);
    }
    const stream = response.body.stream();
    if (!stream) throw new ApiException(response.httpStatusCode, 'response has no body', '', response.headers);
    return stream;
  }

  private async context(method: HttpMethod, path: string, options: RawRequestOptions): Promise<RequestContext> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), method);
    context.setHeaderParam('Accept', 'application/json');
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    await this.kubeConfig.applySecurityAuthentication(context);
    this.shareDispatcher(context);
    if (options.signal) context.setSignal(options.signal);
    return context;
  }

  /**
   * Swaps the dispatcher client-node just built for `context` (a fresh
   * connection pool per request) for the shared one. The first one built is
   * kept; after DISPATCHER_MAX_AGE_MS the next one replaces it, and the old
   * pool closes once its requests (watches included) are done.
   */
  private shareDispatcher(context: RequestContext): void {
    const built = context.getDispatcher();
    const now = Date.now();
    if (!this.dispatcher || now - this.dispatcher.createdAt > DISPATCHER_MAX_AGE_MS) {
      const previous = this.dispatcher?.value;
      this.dispatcher = { value: built, createdAt: now };
      if (previous && previous !== built) void previous.close().catch(() => undefined);
      return;
    }
    const shared = this.dispatcher.value;
    if (built && shared && built !== shared) {
      context.setDispatcher(shared);
      void built.close().catch(() => undefined);
    }
  }
}

/** The kubeconfig at `path`, or in-cluster config when running in a pod, or the default loading rules. */
export function loadKubeConfig(path?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else if (process.env.KUBERNETES_SERVICE_HOST) kubeConfig.loadFromCluster();
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}
