// The work queue of a controller (client-go's workqueue semantics):
// - it holds keys only (`namespace/name`), each at most once (dirty set);
// - ready keys are handed out round-robin across namespaces (fair-queue.ts),
//   FIFO within one;
// - a key being processed is never handed to a second worker: re-adding it
//   marks it dirty and it is queued again when the worker calls `done`;
// - delayed adds (`addAfter`) and rate-limited retries (`addRateLimited`);
// - `shutdown` stops handing out keys; `drain` waits for in-flight work.
import { FairQueue } from './fair-queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/** Observers of the queue, for the workqueue_* metrics. */
export interface QueueHooks {
  /** A key was added (and was not already waiting). */
  added?(): void;
  /** A worker took a key that had waited `queuedMs`. */
  started?(queuedMs: number): void;
  /** A worker finished a key after `workMs`. */
  finished?(workMs: number): void;
  /** A key was re-added through the rate limiter. */
  retried?(): void;
}

export interface WorkQueueOptions {
  readonly rateLimiter?: RateLimiter;
  readonly hooks?: QueueHooks;
  readonly now?: () => number;
}

interface DelayedAdd {
  readonly readyAt: number;
  readonly timer: NodeJS.Timeout;
}

export class WorkQueue {
  private readonly rateLimiter: RateLimiter;
  private readonly hooks: QueueHooks;
  private readonly now: () => number;
  /** Keys ready for a worker, in turn. */
  private readonly queue = new FairQueue();
  /** Keys that need processing: queued, or re-added while being processed. */
  private readonly dirty = new Set<string>();
  /** When each dirty key was added. */
  private readonly addedAt = new Map<string, number>();
  /** Keys held by a worker, with the time it took them. */
  private readonly processing = new Map<string, number>();
  private readonly delayed = new Map<string, DelayedAdd>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.now = options.now ?? Date.now;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.now);
    this.hooks = options.hooks ?? {};
  }

  /** Marks `key` for processing; a no-op if it is already waiting or after shutdown. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.addedAt.set(key, this.now());
    this.hooks.added?.();
    if (this.processing.has(key)) return; // queued again by done()
    this.enqueue(key);
  }

  /** Adds `key` after `delayMs`; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { readyAt, timer });
  }

  /** Re-adds `key` after the rate limiter's delay, or `minDelayMs` if longer (a failed attempt); returns the delay. */
  addRateLimited(key: string, minDelayMs = 0): number {
    const delay = Math.max(this.rateLimiter.when(key), minDelayMs);
    this.hooks.retried?.();
    this.addAfter(key, delay);
    return delay;
  }

  /** Forgets the failure history of `key` (it succeeded or was given up on). */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /**
   * The next key for a worker, waiting until there is one; undefined once the
   * queue shuts down. The caller must call `done(key)` when finished.
   */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.start(key));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends processing of `key`; if it was re-added meanwhile it is queued again. */
  done(key: string): void {
    const startedAt = this.processing.get(key);
    if (startedAt === undefined) return;
    this.processing.delete(key);
    this.hooks.finished?.(this.now() - startedAt);
    if (this.dirty.has(key) && !this.shuttingDown) this.enqueue(key);
    if (this.processing.size === 0 && this.shuttingDown) this.resolveDrain();
  }

  /** Stops handing out keys: waiting workers get undefined, queued and delayed keys are dropped. */
  shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.queue.clear();
    this.dirty.clear();
    this.addedAt.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    if (this.processing.size === 0) this.resolveDrain();
  }

  /** Shuts down and resolves when every key handed out has been marked done. */
  drain(): Promise<void> {
    this.shutdown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Keys waiting for a worker (workqueue_depth). */
  get depth(): number {
    return this.queue.length;
  }

  /** Keys held by workers right now. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Keys waiting for a delayed add. */
  get delayedCount(): number {
    return this.delayed.size;
  }

  /** Seconds of work in progress not yet marked done (workqueue_unfinished_work_seconds). */
  unfinishedWorkSeconds(): number {
    const now = this.now();
    let total = 0;
    for (const startedAt of this.processing.values()) total += now - startedAt;
    return total / 1000;
  }

  /** Seconds the longest-running worker has held its key. */
  longestRunningProcessorSeconds(): number {
    const now = this.now();
    let longest = 0;
    for (const startedAt of this.processing.values()) longest = Math.max(longest, now - startedAt);
    return longest / 1000;
  }

  private enqueue(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.start(key));
    else this.queue.push(key);
  }

  private start(key: string): string {
    const now = this.now();
    this.dirty.delete(key);
    this.hooks.started?.(now - (this.addedAt.get(key) ?? now));
    this.addedAt.delete(key);
    this.processing.set(key, now);
    return key;
  }

  private resolveDrain(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
