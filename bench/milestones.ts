// Where the time of a step goes: for each milestone (pod created, scheduled,
// Ready; GameServer created, Ready) the moment each object first reached it,
// as seen by the benchmark's watches, summarized as the seconds after the
// step started by which 50%, 90% and 100% of the N objects had got there.
import type { KubeObject } from '../src/runtime/object.js';
import type { Tracker } from './kube.js';

export type Milestone = (object: KubeObject) => boolean;

export interface MilestoneTimes {
  /** Objects that reached the milestone. */
  readonly count: number;
  /** Seconds after the start by which half, 90% and all of `expected` got there (undefined: not reached). */
  readonly p50?: number;
  readonly p90?: number;
  readonly p100?: number;
}

export class MilestoneRecorder {
  private readonly reached = new Map<string, Map<string, number>>();
  private recording = false;
  private startedAt = 0;

  constructor(private readonly milestones: readonly { readonly name: string; readonly tracker: Tracker; readonly reached: Milestone }[]) {
    for (const { name, tracker, reached } of milestones) {
      const times = new Map<string, number>();
      this.reached.set(name, times);
      tracker.onChange((object) => {
        if (!this.recording || !object.metadata?.uid || times.has(object.metadata.uid)) return;
        if (reached(object)) times.set(object.metadata.uid, Date.now());
      });
    }
  }

  start(at: number): void {
    for (const times of this.reached.values()) times.clear();
    this.startedAt = at;
    this.recording = true;
  }

  /** Stops recording; the quantiles of each milestone over `expected` objects. */
  stop(expected: number): Record<string, MilestoneTimes> {
    this.recording = false;
    const result: Record<string, MilestoneTimes> = {};
    for (const [name, times] of this.reached) {
      const sorted = [...times.values()].map((t) => (t - this.startedAt) / 1000).sort((a, b) => a - b);
      const at = (fraction: number) => {
        const index = Math.ceil(fraction * expected) - 1;
        return index < sorted.length ? sorted[Math.max(0, index)] : undefined;
      };
      const p50 = at(0.5);
      const p90 = at(0.9);
      const p100 = at(1);
      result[name] = { count: sorted.length, ...(p50 !== undefined ? { p50 } : {}), ...(p90 !== undefined ? { p90 } : {}), ...(p100 !== undefined ? { p100 } : {}) };
    }
    return result;
  }
}

/**
 * Which status fields of the watched objects changed during a step, and how
 * often (each write that changed a field counts once for it): what the
 * writers spend their requests on.
 */
export class StatusFieldChanges {
  private readonly counts = new Map<string, number>();
  private recording = false;

  constructor(tracker: Tracker) {
    tracker.onChange((object, previous) => {
      if (!this.recording || !previous) return;
      const before = (previous as { status?: Record<string, unknown> }).status ?? {};
      const after = (object as { status?: Record<string, unknown> }).status ?? {};
      for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) this.counts.set(field, (this.counts.get(field) ?? 0) + 1);
      }
    });
  }

  start(): void {
    this.counts.clear();
    this.recording = true;
  }

  /** Changes per field divided by `objects`. */
  stop(objects: number): Record<string, number> {
    this.recording = false;
    return Object.fromEntries([...this.counts].sort(([, a], [, b]) => b - a).map(([field, count]) => [field, count / objects]));
  }
}
