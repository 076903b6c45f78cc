// The manager runs everything of one operator process:
// - informers (shared, one per resource + selectors) start on every replica;
// - controllers and other leader-only runnables start on the leader, after
//   every cache has synced;
// - /metrics, /healthz and /readyz are served all along;
// - on abort (SIGTERM/SIGINT) it drains: workers stop taking keys and finish
//   their reconciles, the Lease is released, informers stop, `run` resolves.
// If leadership is lost, the work client is fenced at that instant (nothing
// queued or in flight reaches the API server), workers stop, and `run`
// rejects with LeadershipLostError: the process must exit non-zero.
// The Lease is renewed through a client of its own, with no rate limit and
// its own connections, so renewals never wait behind the operator's work.
import type { Logger } from 'winston';
import type { Config } from '../config.js';
import { HttpServer, type HealthCheck } from '../observability/http-server.js';
import type { Metrics } from '../observability/metrics.js';
import { Controller, type Reconciler } from './controller.js';
import type { Credentials } from './credentials.js';
import { ApiEventSink, KubeEventRecorder } from './events.js';
import type { EventSource } from './handlers.js';
import { SharedInformer } from './informer.js';
import { KubeClient, type RequestObserver } from './kube-client.js';
import { LeaderElector } from './leader-election.js';
import { ApiLeaseClient, type LeaseClient } from './lease.js';
import { ApiListWatch } from './list-watch.js';
import type { KubeObject, ObjectTransform } from './object.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ResourceDescriptor } from './resource.js';
import type { Indexers } from './store.js';
import type { WatcherOptions } from './watcher.js';

/** Something the manager starts with a signal and awaits; it must resolve soon after the signal aborts. */
export interface Runnable {
  readonly name: string;
  /** True: only runs on the leader, after caches synced. */
  readonly needLeaderElection: boolean;
  start(signal: AbortSignal): Promise<void>;
}

/** The fieldManager of the operator's writes (managedFields). */
export const DEFAULT_FIELD_MANAGER = 'gamekeeper';

export interface ManagerOptions {
  readonly credentials: Credentials;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Defaults to a client built from the credentials and config.kubeApi. */
  readonly client?: KubeClient;
  /** fieldManager of every write the default clients send (default `gamekeeper`). */
  readonly fieldManager?: string;
  /** Overrides of the watchers' timings (tests). */
  readonly watcher?: Omit<WatcherOptions, 'labelSelector' | 'fieldSelector' | 'logger'>;
  /** Defaults to the Lease named in config.leaderElection. */
  readonly leaseClient?: LeaseClient;
  /** Lease released on shutdown (default true; false simulates a crashed leader in tests). */
  readonly releaseLeaseOnCancel?: boolean;
  /** Serve /metrics and probes (default true). */
  readonly serveHttp?: boolean;
  /** Longest wait for in-flight reconciles at shutdown (default 30 s). */
  readonly gracefulShutdownTimeoutMs?: number;
}

export interface InformerRequest<T extends KubeObject> {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly transform?: ObjectTransform<T>;
  readonly indexes?: Indexers<T>;
  /** Defaults to config.namespaces. */
  readonly namespaces?: readonly string[];
}

export interface ControllerRequest {
  readonly name: string;
  readonly reconciler: Reconciler;
  readonly workers?: number;
  readonly watches?: readonly EventSource[];
  readonly rateLimiter?: RateLimiter;
}

export class TransformConflictError extends Error {
  constructor(key: string) {
    super(`informer ${key} was already requested with a different transform`);
    this.name = 'TransformConflictError';
  }
}

export class Manager {
  readonly client: KubeClient;
  /** The event recorder's client: `client` when one was given, else one with a rate limit of its own. */
  private readonly eventClient: KubeClient;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly elector: LeaderElector | undefined;
  private readonly informers = new Map<string, { informer: SharedInformer<KubeObject>; transform: unknown }>();
  private readonly controllers: Controller[] = [];
  private readonly runnables: Runnable[] = [];
  private recorder: KubeEventRecorder | undefined;
  private workersRunning = false;
  private started = false;

  constructor(private readonly options: ManagerOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.metrics = options.metrics;
    const election = options.config.leaderElection;
    const onResponse: RequestObserver = ({ code, method, host, resource, seconds }) => {
      options.metrics.restClientRequests.inc({ code, method, host });
      options.metrics.restClientRequestDuration.observe({ verb: method, host }, seconds);
      options.metrics.apiRequests.inc({ code, method, resource });
    };
    this.client =
      options.client ??
      new KubeClient({
        credentials: options.credentials,
        qps: options.config.kubeApi.qps,
        burst: options.config.kubeApi.burst,
        requestTimeoutMs: options.config.kubeApi.requestTimeoutMs,
        userAgent: `gamekeeper/${election.identity}`,
        fieldManager: options.fieldManager ?? DEFAULT_FIELD_MANAGER,
        onResponse,
      });
    // Events go through a client of their own, with the same rate limit (as
    // controller-runtime's recorder provider does): recorded in the
    // background, they never wait in front of a reconcile's writes, and an
    // in-place update of 1000 rooms (2000 GsStateChanged) delays nothing.
    this.eventClient =
      options.client ??
      new KubeClient({
        credentials: options.credentials,
        qps: options.config.kubeApi.qps,
        burst: options.config.kubeApi.burst,
        requestTimeoutMs: options.config.kubeApi.requestTimeoutMs,
        userAgent: `gamekeeper-events/${election.identity}`,
        fieldManager: options.fieldManager ?? DEFAULT_FIELD_MANAGER,
        onResponse,
      });
    const leaseClient = (): LeaseClient =>
      new ApiLeaseClient(
        new KubeClient({ credentials: options.credentials, qps: 0, userAgent: `gamekeeper-leader-election/${election.identity}`,
          fieldManager: options.fieldManager ?? DEFAULT_FIELD_MANAGER,
          onResponse,
        }),
        election.namespace,
        election.name,
      );
    this.elector = election.enabled
      ? new LeaderElector({
          client: options.leaseClient ?? leaseClient(),
          identity: election.identity,
          name: election.name,
          leaseDurationMs: election.leaseDurationMs,
          renewDeadlineMs: election.renewDeadlineMs,
          retryPeriodMs: election.retryPeriodMs,
          releaseOnCancel: options.releaseLeaseOnCancel ?? true,
          logger: options.logger,
          metrics: options.metrics,
        })
      : undefined;
  }

  /** The shared informer of `resource` with these selectors, created on first request. */
  informer<T extends KubeObject>(resource: ResourceDescriptor, request: InformerRequest<T> = {}): SharedInformer<T> {
    const namespaces = resource.namespaced ? [...(request.namespaces ?? this.config.namespaces)].sort() : [];
    const key = JSON.stringify([resource.group, resource.version, resource.plural, request.labelSelector ?? '', request.fieldSelector ?? '', namespaces]);
    const existing = this.informers.get(key);
    if (existing) {
      if (request.transform && request.transform !== existing.transform) throw new TransformConflictError(key);
      if (request.indexes) (existing.informer as unknown as SharedInformer<T>).addIndexers(request.indexes);
      return existing.informer as unknown as SharedInformer<T>;
    }
    if (this.started) throw new Error(`informer ${resource.plural} requested after the manager started`);
    const informer = new SharedInformer<T>({
      resource,
      listWatch: (namespace) => new ApiListWatch<T>(this.client, resource, namespace),
      namespaces,
      labelSelector: request.labelSelector,
      fieldSelector: request.fieldSelector,
      transform: request.transform,
      indexers: request.indexes,
      watcher: this.options.watcher,
      resyncPeriodMs: this.config.syncPeriodMs,
      logger: this.logger,
    });
    this.informers.set(key, { informer: informer as unknown as SharedInformer<KubeObject>, transform: request.transform });
    return informer;
  }

  /** A controller whose workers run on the leader once caches are synced. */
  addController(request: ControllerRequest): Controller {
    if (this.started) throw new Error(`controller ${request.name} added after the manager started`);
    if (this.controllers.some((controller) => controller.name === request.name)) throw new Error(`duplicate controller name ${request.name}`);
    const controller = new Controller({ ...request, logger: this.logger, metrics: this.metrics });
    this.controllers.push(controller);
    return controller;
  }

  /** Adds a runnable (e.g. a probe scheduler); leader-only ones start with the controllers. */
  add(runnable: Runnable): void {
    if (this.started) throw new Error(`runnable ${runnable.name} added after the manager started`);
    this.runnables.push(runnable);
  }

  /** The process-wide event recorder (component e.g. `gamekeeper`). */
  eventRecorder(component = 'gamekeeper'): KubeEventRecorder {
    this.recorder ??= new KubeEventRecorder({
      sink: new ApiEventSink(this.eventClient),
      component,
      instance: this.config.leaderElection.identity,
      logger: this.logger.child({ component: 'event-recorder' }),
    });
    return this.recorder;
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.workersRunning;
  }

  /** Why the process is not ready (empty: ready). */
  readinessProblems(): string[] {
    const problems: string[] = [];
    const unsynced = [...this.informers.values()].filter(({ informer }) => !informer.hasSynced()).map(({ informer }) => informer.resource.plural);
    if (unsynced.length > 0) problems.push(`caches not synced: ${unsynced.join(', ')}`);
    if (this.elector?.isLeader() && !this.workersRunning) problems.push('leader, but workers not running yet');
    return problems;
  }

  /**
   * Runs until `signal` aborts (resolves after draining) or something fatal
   * happens (rejects: lost leadership, a runnable that failed).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('a manager runs once');
    this.started = true;
    const servers = this.options.serveHttp === false ? [] : this.httpServers();
    for (const server of servers) await server.listen();
    const caches = new AbortController();
    const workers = new AbortController();
    const election = new AbortController();
    let fatal: unknown;
    const failed = new AbortController();
    const fail = (error: unknown): void => {
      fatal ??= error;
      failed.abort(error);
    };

    const informerTasks = [...this.informers.values()].map(({ informer }) => informer.run(caches.signal).catch(fail));
    const backgroundTasks = this.runnables.filter((r) => !r.needLeaderElection).map((r) => this.startRunnable(r, caches.signal, fail));
    let leaderWork: Promise<void> = Promise.resolve();
    const lead = (leaderSignal: AbortSignal): void => {
      leaderSignal.addEventListener('abort', () => workers.abort(leaderSignal.reason), { once: true });
      leaderWork = this.runLeaderWork(workers.signal, fail);
    };
    // Fenced the instant leadership ends; by then a graceful shutdown has
    // drained the workers and flushed the events, and a lost lease must not
    // write anything more.
    const fence = (reason: unknown): void => {
      this.client.fence(reason);
      if (this.eventClient !== this.client) this.eventClient.fence(reason);
    };
    let electionTask: Promise<void> = Promise.resolve();
    if (this.elector) electionTask = this.elector.run(election.signal, { onStartedLeading: lead, onStoppedLeading: fence }).catch(fail);
    else lead(workers.signal);

    await new Promise<void>((resolve) => {
      if (signal.aborted || failed.signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      failed.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.logger.info(fatal ? 'stopping after a fatal error' : 'shutting down', fatal ? { err: fatal } : {});

    workers.abort(new Error('manager stopping'));
    await this.withTimeout(leaderWork, 'in-flight reconciles');
    await this.recorder?.flush();
    election.abort(new Error('manager stopping'));
    await electionTask;
    caches.abort(new Error('manager stopping'));
    await Promise.all([...informerTasks, ...backgroundTasks]);
    for (const server of servers) await server.close();
    this.logger.info('stopped');
    if (fatal) throw fatal instanceof Error ? fatal : new Error('manager failed', { cause: fatal });
  }

  private async runLeaderWork(signal: AbortSignal, fail: (error: unknown) => void): Promise<void> {
    const synced = Promise.all([...this.informers.values()].map(({ informer }) => informer.synced));
    const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([synced, stopped]);
    if (signal.aborted) return;
    this.workersRunning = true;
    this.logger.info('caches synced, starting controllers', { controllers: this.controllers.map((c) => c.name) });
    try {
      await Promise.all([
        ...this.controllers.map((controller) => controller.run(signal).catch(fail)),
        ...this.runnables.filter((r) => r.needLeaderElection).map((r) => this.startRunnable(r, signal, fail)),
      ]);
    } finally {
      this.workersRunning = false;
    }
  }

  private async startRunnable(runnable: Runnable, signal: AbortSignal, fail: (error: unknown) => void): Promise<void> {
    try {
      await runnable.start(signal);
      if (!signal.aborted) fail(new Error(`runnable ${runnable.name} returned before the manager stopped`));
    } catch (error) {
      if (!signal.aborted) fail(error);
    }
  }

  private async withTimeout(task: Promise<void>, what: string): Promise<void> {
    const timeoutMs = this.options.gracefulShutdownTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([task.then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') this.logger.warn(`gave up waiting for ${what}`, { timeoutMs });
  }

  private httpServers(): HttpServer[] {
    const registry = this.metrics.registry;
    const readyz: HealthCheck[] = [{ name: 'manager', check: () => this.readinessProblems().join('; ') || undefined }];
    const healthz: HealthCheck[] = [{ name: 'ping', check: () => undefined }];
    const { metricsBindAddress, healthProbeBindAddress } = this.config;
    if (metricsBindAddress === healthProbeBindAddress) {
      return [new HttpServer({ address: metricsBindAddress, registry, healthz, readyz, logger: this.logger })];
    }
    return [
      new HttpServer({ address: metricsBindAddress, registry, logger: this.logger }),
      new HttpServer({ address: healthProbeBindAddress, healthz, readyz, logger: this.logger }),
    ];
  }
}
