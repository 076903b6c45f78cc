// The decision part of the event recorder (client-go's EventCorrelator,
// simplified), pure: given an event and the time, create a new core/v1 Event,
// bump the count of the one already written for the same (object, type,
// reason, message), or drop it because that object is over its rate.
import { TokenBucket } from './rate-limiter.js';

export interface EventKey {
  /** UID of the involved object. */
  readonly uid: string;
  readonly objectName: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

export type EventPlan =
  | {
      readonly action: 'create' | 'patch';
      /** Name of the Event object. */
      readonly name: string;
      readonly count: number;
      readonly firstTimestamp: number;
      readonly lastTimestamp: number;
    }
  | { readonly action: 'drop' };

export interface EventAggregatorOptions {
  /** A repeat later than this after the previous one starts a new Event (default 10 min). */
  readonly windowMs?: number;
  /** Events per object allowed in a burst (default 25, client-go's spam filter). */
  readonly burst?: number;
  /** Sustained events per object per second (default 1 per 5 min). */
  readonly qps?: number;
  /** Aggregation entries kept, least recently used dropped first (default 4096). */
  readonly maxEntries?: number;
}

interface Entry {
  readonly name: string;
  count: number;
  readonly firstTimestamp: number;
  lastTimestamp: number;
}

/** `<object>.<hex>` like client-go's `name.%x` of UnixNano; `sequence` keeps same-millisecond names apart. */
export function eventName(objectName: string, now: number, sequence: number): string {
  const nanos = BigInt(Math.floor(now)) * 1_000_000n + BigInt(sequence % 1_000_000);
  return `${objectName}.${nanos.toString(16)}`;
}

export class EventAggregator {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, { bucket: TokenBucket; clock: { now: number } }>();
  private readonly windowMs: number;
  private readonly burst: number;
  private readonly qps: number;
  private readonly maxEntries: number;
  private sequence = 0;

  constructor(options: EventAggregatorOptions = {}) {
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.burst = options.burst ?? 25;
    this.qps = options.qps ?? 1 / 300;
    this.maxEntries = options.maxEntries ?? 4096;
  }

  /** What to write for `key` at `now` (the plan is recorded: call `forget` if writing it fails). */
  plan(key: EventKey, now: number): EventPlan {
    if (!this.allow(key.uid, now)) return { action: 'drop' };
    const id = aggregationKey(key);
    const entry = this.entries.get(id);
    this.entries.delete(id); // re-inserted below: Map order is the LRU order
    if (entry && now - entry.lastTimestamp < this.windowMs) {
      entry.count += 1;
      entry.lastTimestamp = now;
      this.entries.set(id, entry);
      return { action: 'patch', name: entry.name, count: entry.count, firstTimestamp: entry.firstTimestamp, lastTimestamp: now };
    }
    const created: Entry = { name: eventName(key.objectName, now, this.sequence++), count: 1, firstTimestamp: now, lastTimestamp: now };
    this.entries.set(id, created);
    this.evict();
    return { action: 'create', name: created.name, count: 1, firstTimestamp: now, lastTimestamp: now };
  }

  /** Forgets the Event of `key` (writing it failed): the next repeat creates a new one. */
  forget(key: EventKey): void {
    this.entries.delete(aggregationKey(key));
  }

  private allow(uid: string, now: number): boolean {
    let limiter = this.buckets.get(uid);
    if (!limiter) {
      const clock = { now };
      limiter = { bucket: new TokenBucket(this.qps, this.burst, () => clock.now), clock };
      this.buckets.set(uid, limiter);
      if (this.buckets.size > this.maxEntries) this.buckets.delete(this.buckets.keys().next().value!);
    }
    limiter.clock.now = now;
    return limiter.bucket.tryTake();
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

function aggregationKey(key: EventKey): string {
  return JSON.stringify([key.uid, key.type, key.reason, key.message]);
}
