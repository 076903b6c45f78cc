// Rate limiters of the work queue and the API client, after client-go's
// workqueue package: a per-item exponential backoff, an overall token bucket,
// and the max of both (controller-runtime's default).
//
// All of them take the current time as an argument or from an injected clock,
// so their arithmetic is tested without timers.
import { sleep } from './backoff.js';

/** Decides how long an item waits before its next attempt. */
export interface RateLimiter {
  /** Delay in milliseconds before `item` may be processed again; counts a failure. */
  when(item: string): number;
  /** Forgets the failures of `item` (it succeeded, or was given up on). */
  forget(item: string): void;
  /** How many times `item` has been rate-limited since it was last forgotten. */
  numRequeues(item: string): number;
}

export type Clock = () => number;

/**
 * A token bucket (golang.org/x/time/rate semantics): `qps` tokens a second, at
 * most `burst` stored. `reserve` always succeeds and returns how long the
 * caller must wait for its token, so concurrent callers queue up fairly.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: Clock = Date.now,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs qps > 0 and burst >= 1 (got ${qps}, ${burst})`);
    this.tokens = burst;
    this.last = now();
  }

  /** Takes a token if one is available now; false (and nothing taken) otherwise. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (0: now); takes nothing. */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.qps);
  }

  /** Gives back a token taken but not used. */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** Takes one token; returns the milliseconds to wait until it is really available (0 if now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens * 1000) / this.qps);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
  }

  /** Waits for a token; rejects with the signal's reason if aborted first. */
  async take(signal?: AbortSignal): Promise<void> {
    const delay = this.reserve();
    if (delay > 0) await sleep(delay, signal);
  }
}

/** Per-item exponential backoff: base·2^failures, capped at max (client-go: 5 ms, 1000 s). */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    readonly baseDelayMs = 5,
    readonly maxDelayMs = 1_000_000,
  ) {}

  when(item: string): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const delay = this.baseDelayMs * 2 ** exp;
    return Number.isFinite(delay) ? Math.min(delay, this.maxDelayMs) : this.maxDelayMs;
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/** An overall limit shared by every item: each retry takes a token from one bucket. */
export class BucketRateLimiter implements RateLimiter {
  constructor(private readonly bucket: TokenBucket) {}

  when(_item: string): number {
    return this.bucket.reserve();
  }

  forget(_item: string): void {}

  numRequeues(_item: string): number {
    return 0;
  }
}

/** The longest delay of several limiters (every limiter sees every call). */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    if (limiters.length === 0) throw new RangeError('MaxOfRateLimiter needs at least one limiter');
    this.limiters = limiters;
  }

  when(item: string): number {
    let delay = 0;
    for (const limiter of this.limiters) delay = Math.max(delay, limiter.when(item));
    return delay;
  }

  forget(item: string): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: string): number {
    let count = 0;
    for (const limiter of this.limiters) count = Math.max(count, limiter.numRequeues(item));
    return count;
  }
}

/** controller-runtime's default: max(5 ms·2^n capped at 1000 s, 10 qps / 100 burst overall). */
export function defaultControllerRateLimiter(now: Clock = Date.now): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 1_000_000), new BucketRateLimiter(new TokenBucket(10, 100, now)));
}
