// Runs every scheduled probe once per period, for thousands of probes:
// - each (pod, probe) key keeps a stable phase inside its period (a hash of
//   the key), so probes scheduled together are spread over the period;
// - each probe runs in a lane (exec probes go through the API server, the
//   others straight to the pod), and each lane has its own concurrency limit:
//   a probe due while its lane is full waits in that lane's queue (first
//   due, first run); a probe still queued or running when it is due again
//   skips that round (onSkipped: the scheduler cannot keep up);
// - a per-probe timeout aborts the run (its AbortSignal) and reports a failure;
//   the slot is freed at the timeout even if the run ignores the signal;
// - a run that throws is reported as a ProbeCrashed error, never thrown;
// - results go to `onResult`, which should only record and enqueue.
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { describeError, probeError, probeFailure, type ProbeResult } from './probe-types.js';

export type ProbeRun = (signal: AbortSignal) => Promise<ProbeResult>;

/** The lane a probe runs in when its spec names none. */
export const DEFAULT_LANE = 'default';

export interface ScheduleSpec {
  periodMs: number;
  timeoutMs: number;
  /** The lane whose concurrency limit applies (DEFAULT_LANE when unset). */
  lane?: string;
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
  /** Most probes running at once in DEFAULT_LANE. */
  concurrency: number;
  /** Most probes running at once in each other lane (a lane named nowhere gets `concurrency`). */
  laneConcurrency?: Readonly<Record<string, number>>;
  onResult: (key: string, result: ProbeResult, timing: ProbeTiming) => void;
  /** A probe was due while its previous round was still queued or running: this round is skipped. */
  onSkipped?: (key: string, dueAt: number) => void;
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

interface Lane {
  readonly concurrency: number;
  readonly queue: Job[];
  running: number;
}

export interface LaneStats {
  scheduled: number;
  running: number;
  queued: number;
  /** Sum over the lane's probes of 1 / period: rounds due per second. */
  duePerSecond: number;
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
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly clock: Clock;
  private stopped = false;

  constructor(private readonly options: ProbeSchedulerOptions) {
    for (const [lane, concurrency] of Object.entries({ ...options.laneConcurrency, [DEFAULT_LANE]: options.concurrency })) {
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency of lane ${lane} must be a positive integer`);
    }
    this.clock = options.clock ?? systemClock;
  }

  /** Adds a probe, or updates it: a new `run` is used from the next round; new timings re-phase it. */
  schedule(key: string, spec: ScheduleSpec, run: ProbeRun): void {
    if (this.stopped) return;
    const existing = this.entries.get(key);
    if (existing) {
      existing.run = run;
      const same =
        existing.spec.periodMs === spec.periodMs &&
        existing.spec.timeoutMs === spec.timeoutMs &&
        existing.spec.notBefore === spec.notBefore &&
        laneOf(existing.spec) === laneOf(spec);
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

  /** Totals over every lane. */
  stats(): { scheduled: number; running: number; queued: number } {
    let running = 0;
    let queued = 0;
    for (const lane of this.lanes.values()) {
      running += lane.running;
      queued += lane.queue.length;
    }
    return { scheduled: this.entries.size, running, queued };
  }

  /** Per lane: probes scheduled, running and queued, and the rounds due per second. */
  laneStats(): Map<string, LaneStats> {
    const result = new Map<string, LaneStats>();
    const of = (name: string) => {
      let stats = result.get(name);
      if (!stats) {
        const lane = this.lanes.get(name);
        stats = { scheduled: 0, running: lane?.running ?? 0, queued: lane?.queue.length ?? 0, duePerSecond: 0 };
        result.set(name, stats);
      }
      return stats;
    };
    for (const name of this.lanes.keys()) of(name);
    for (const entry of this.entries.values()) {
      const stats = of(laneOf(entry.spec));
      stats.scheduled++;
      stats.duePerSecond += 1000 / entry.spec.periodMs;
    }
    return result;
  }

  /** The concurrency limit of `lane`. */
  concurrencyOf(lane: string): number {
    return lane === DEFAULT_LANE ? this.options.concurrency : (this.options.laneConcurrency?.[lane] ?? this.options.concurrency);
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
    for (const lane of this.lanes.values()) {
      const queued = lane.queue.findIndex((job) => job.entry === entry);
      if (queued >= 0) lane.queue.splice(queued, 1);
    }
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
    if (entry.busy) {
      this.notifySkipped(entry.key, dueAt);
      return;
    }
    entry.busy = true;
    const lane = this.lane(laneOf(entry.spec));
    lane.queue.push({ entry, dueAt });
    this.drain(lane);
  }

  private notifySkipped(key: string, dueAt: number): void {
    try {
      this.options.onSkipped?.(key, dueAt);
    } catch (error) {
      this.options.onCallbackError?.(error, key);
    }
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { concurrency: this.concurrencyOf(name), queue: [], running: 0 };
      this.lanes.set(name, lane);
    }
    return lane;
  }

  private drain(lane: Lane): void {
    while (lane.running < lane.concurrency && lane.queue.length > 0) {
      const job = lane.queue.shift() as Job;
      this.start(job, lane);
    }
  }

  private start({ entry, dueAt }: Job, lane: Lane): void {
    lane.running++;
    const startedAt = this.clock.now();
    const controller = new AbortController();
    entry.controller = controller;
    let settled = false;

    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      this.clock.clearTimeout(timeout);
      lane.running--;
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
      this.drain(lane);
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

function laneOf(spec: ScheduleSpec): string {
  return spec.lane ?? DEFAULT_LANE;
}
