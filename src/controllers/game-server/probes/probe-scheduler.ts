// Runs every scheduled probe once per period, for thousands of probes:
// - each (pod, probe) key keeps a stable phase inside its period (a hash of
//   the key), so probes scheduled together are spread over the period;
// - a global concurrency limit queues probes that are due while others run
//   (first due, first run); a probe still queued or running when it is due
//   again skips that round;
// - a per-probe timeout aborts the run (its AbortSignal) and reports a failure;
//   the slot is freed at the timeout even if the run ignores the signal;
// - a run that throws is reported as a ProbeCrashed error, never thrown;
// - results go to `onResult`, which should only record and enqueue.
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { describeError, probeError, probeFailure, type ProbeResult } from './probe-types.js';

export type ProbeRun = (signal: AbortSignal) => Promise<ProbeResult>;

export interface ScheduleSpec {
  periodMs: number;
  timeoutMs: number;
  /** Epoch ms before which the probe does not run (container start + initialDelaySeconds). */
  notBefore?: number;
}

export interface ProbeTiming {
  dueAt: number;
  startedAt: number;
  finishedAt: number;
  /** startedAt − dueAt: time lost to timer lag and to the concurrency queue. */
  dueDelayMs: number;
}

export interface ProbeSchedulerOptions {
  /** Most probes running at once. */
  concurrency: number;
  onResult: (key: string, result: ProbeResult, timing: ProbeTiming) => void;
  /** Called when onResult throws (the scheduler keeps going). */
  onCallbackError?: (error: unknown, key: string) => void;
  clock?: Clock;
}

interface Entry {
  key: string;
  spec: ScheduleSpec;
  run: ProbeRun;
  timer?: TimerHandle;
  nextDue: number;
  busy: boolean;
  removed: boolean;
  controller?: AbortController;
}

interface Job {
  entry: Entry;
  dueAt: number;
}

/** FNV-1a 32-bit hash: a stable phase per key. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The first time ≥ `from` at the key's phase within the period. */
export function firstDue(key: string, periodMs: number, from: number): number {
  const phase = stableHash(key) % periodMs;
  return from + ((((phase - from) % periodMs) + periodMs) % periodMs);
}

export class ProbeScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Job[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly clock: Clock;
  private running = 0;
  private stopped = false;

  constructor(private readonly options: ProbeSchedulerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    this.clock = options.clock ?? systemClock;
  }

  /** Adds a probe, or updates it: a new `run` is used from the next round; new timings re-phase it. */
  schedule(key: string, spec: ScheduleSpec, run: ProbeRun): void {
    if (this.stopped) return;
    const existing = this.entries.get(key);
    if (existing) {
      existing.run = run;
      const same = existing.spec.periodMs === spec.periodMs && existing.spec.timeoutMs === spec.timeoutMs && existing.spec.notBefore === spec.notBefore;
      if (same) return;
      existing.spec = spec;
      this.arm(existing, firstDue(key, spec.periodMs, Math.max(this.clock.now(), spec.notBefore ?? 0)));
      return;
    }
    const entry: Entry = { key, spec, run, nextDue: 0, busy: false, removed: false };
    this.entries.set(key, entry);
    this.arm(entry, firstDue(key, spec.periodMs, Math.max(this.clock.now(), spec.notBefore ?? 0)));
  }

  /** Removes a probe: its timer stops, a queued run is dropped, a running one is aborted and its result discarded. */
  unschedule(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.retire(entry);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  stats(): { scheduled: number; running: number; queued: number } {
    return { scheduled: this.entries.size, running: this.running, queued: this.queue.length };
  }

  /** Stops everything; resolves when the runs in flight have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries.values()) this.retire(entry);
    this.entries.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private retire(entry: Entry): void {
    entry.removed = true;
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    const queued = this.queue.findIndex((job) => job.entry === entry);
    if (queued >= 0) this.queue.splice(queued, 1);
    entry.controller?.abort();
  }

  private arm(entry: Entry, due: number): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    entry.nextDue = due;
    entry.timer = this.clock.setTimeout(() => this.fire(entry), due - this.clock.now());
  }

  private fire(entry: Entry): void {
    if (entry.removed) return;
    const dueAt = entry.nextDue;
    let next = dueAt + entry.spec.periodMs;
    const now = this.clock.now();
    while (next <= now) next += entry.spec.periodMs;
    this.arm(entry, next);
    if (entry.busy) return;
    entry.busy = true;
    this.queue.push({ entry, dueAt });
    this.drain();
  }

  private drain(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      this.start(job);
    }
  }

  private start({ entry, dueAt }: Job): void {
    this.running++;
    const startedAt = this.clock.now();
    const controller = new AbortController();
    entry.controller = controller;
    let settled = false;

    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      this.clock.clearTimeout(timeout);
      this.running--;
      entry.busy = false;
      if (entry.controller === controller) delete entry.controller;
      if (!entry.removed && !this.stopped) {
        const finishedAt = this.clock.now();
        try {
          this.options.onResult(entry.key, result, { dueAt, startedAt, finishedAt, dueDelayMs: startedAt - dueAt });
        } catch (error) {
          this.options.onCallbackError?.(error, entry.key);
        }
      }
      this.drain();
    };

    // `finish` runs only from these callbacks, after `timeout` is set.
    const timeout = this.clock.setTimeout(() => {
      controller.abort();
      finish(probeFailure('', `probe timed out after ${entry.spec.timeoutMs / 1000}s`));
    }, entry.spec.timeoutMs);

    let promise: Promise<ProbeResult>;
    try {
      promise = entry.run(controller.signal);
    } catch (error) {
      promise = Promise.reject(error instanceof Error ? error : new Error(describeError(error)));
    }
    const tracked = promise.then(finish, (error: unknown) => finish(probeError('ProbeCrashed', describeError(error), error)));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}
