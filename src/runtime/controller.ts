// A controller: a work queue fed by event sources, and N workers that take
// keys and call the reconciler, one key at a time per key. What the
// reconciler returns or throws is turned into queue actions, metrics and a
// log line by `planOutcome` (outcome.ts) and applied here, nowhere else.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'winston';
import type { Metrics } from '../observability/metrics.js';
import type { EventSource } from './handlers.js';
import { parseKey, requestKey, type Request } from './object.js';
import { planOutcome, type OutcomePlan, type ReconcileOutcome, type ReconcileResult } from './outcome.js';
import { WorkQueue } from './queue.js';
import type { RateLimiter } from './rate-limiter.js';

export type { ReconcileResult } from './outcome.js';

/** Handed to every reconcile call. */
export interface ReconcileContext {
  readonly controller: string;
  readonly reconcileID: string;
  /** Child logger carrying controller, namespace, name and reconcileID. */
  readonly logger: Logger;
  /** Aborts when the controller stops (shutdown or lost leadership). */
  readonly signal: AbortSignal;
}

/**
 * Level-based: look at the current state of `request` (from the cache) and
 * move the world toward the desired state. Return `{requeueAfter}` (ms) to
 * look again later, or throw (TerminalError: do not retry).
 */
export interface Reconciler {
  reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult>;
}

export interface ControllerOptions {
  readonly name: string;
  readonly reconciler: Reconciler;
  /** Concurrent reconciles (default 1); never two for the same key. */
  readonly workers?: number;
  readonly watches?: readonly EventSource[];
  readonly rateLimiter?: RateLimiter;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

export class Controller {
  readonly name: string;
  readonly workers: number;
  readonly queue: WorkQueue;
  private readonly reconciler: Reconciler;
  private readonly logger: Logger;
  private readonly metrics: Metrics | undefined;
  private started = false;

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.workers = Math.max(1, Math.floor(options.workers ?? 1));
    this.reconciler = options.reconciler;
    this.logger = options.logger.child({ controller: options.name });
    this.metrics = options.metrics;
    this.queue = new WorkQueue({ rateLimiter: options.rateLimiter, hooks: options.metrics?.queueHooks(options.name) });
    options.metrics?.observeQueue(options.name, this.queue);
    options.metrics?.maxConcurrentReconciles.set({ controller: options.name }, this.workers);
    options.metrics?.activeWorkers.set({ controller: options.name }, 0);
    for (const source of options.watches ?? []) this.watch(source);
  }

  /** Subscribes the queue to another event source. */
  watch(source: EventSource): void {
    const batchMs = source.batchMs ?? 0;
    source.subscribe((request) => (batchMs > 0 ? this.queue.addAfter(requestKey(request), batchMs) : this.enqueue(request)));
  }

  enqueue(request: Request): void {
    this.queue.add(requestKey(request));
  }

  /**
   * Runs the workers until `signal` aborts, then stops taking keys and
   * resolves once the reconciles in flight have finished.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} can only run once`);
    this.started = true;
    this.logger.info('starting workers', { workers: this.workers });
    const onAbort = (): void => this.queue.shutdown();
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const workers = Array.from({ length: this.workers }, () => this.work(signal));
    await Promise.all(workers);
    await this.queue.drain();
    signal.removeEventListener('abort', onAbort);
    this.logger.info('workers stopped');
  }

  private async work(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileKey(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    const request = parseKey(key);
    const reconcileID = randomUUID();
    const logger = this.logger.child({ namespace: request.namespace, name: request.name, reconcileID });
    const labels = { controller: this.name };
    this.metrics?.activeWorkers.inc(labels);
    const started = performance.now();
    let outcome: ReconcileOutcome;
    try {
      outcome = { ok: true, value: await this.reconciler.reconcile(request, { controller: this.name, reconcileID, logger, signal }) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      this.metrics?.activeWorkers.dec(labels);
    }
    const seconds = (performance.now() - started) / 1000;
    this.apply(key, planOutcome(outcome), outcome, logger, seconds);
  }

  private apply(key: string, plan: OutcomePlan, outcome: ReconcileOutcome, logger: Logger, seconds: number): void {
    const labels = { controller: this.name };
    this.metrics?.reconcileTime.observe(labels, seconds);
    this.metrics?.reconcileTotal.inc({ ...labels, result: plan.result });
    if (plan.countsAsError) this.metrics?.reconcileErrors.inc(labels);
    if (plan.terminal) this.metrics?.terminalReconcileErrors.inc(labels);
    let retryInMs: number | undefined;
    switch (plan.queue.kind) {
      case 'forget':
        this.queue.forget(key);
        break;
      case 'forget-and-add-after':
        this.queue.forget(key);
        this.queue.addAfter(key, plan.queue.delayMs);
        retryInMs = plan.queue.delayMs;
        break;
      case 'add-rate-limited':
        retryInMs = this.queue.addRateLimited(key, plan.queue.minDelayMs);
        break;
    }
    // Checked first: a reconcile's log line is usually below the level, and building it for winston to drop cost 2% of the CPU.
    if (!logger.isLevelEnabled(plan.log.level)) return;
    logger.log(plan.log.level, plan.log.message, {
      result: plan.result,
      durationSeconds: Number(seconds.toFixed(4)),
      ...(retryInMs !== undefined ? { requeueInMs: retryInMs } : {}),
      ...(outcome.ok ? {} : { err: outcome.error, retries: this.queue.numRequeues(key) }),
    });
  }
}
