import { describe, expect, it } from '@jest/globals';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  TokenBucket,
} from './rate-limiter.js';

function manualClock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('ItemExponentialFailureRateLimiter', () => {
  it.each([
    { name: 'first failure waits the base delay', failures: 1, expected: 5 },
    { name: 'second failure doubles it', failures: 2, expected: 10 },
    { name: 'tenth failure is 5 ms·2^9', failures: 10, expected: 2560 },
    { name: 'growth stops at the cap (1000 s)', failures: 40, expected: 1_000_000 },
    { name: 'huge exponents stay at the cap', failures: 2000, expected: 1_000_000 },
  ])('$name', ({ failures, expected }) => {
    const limiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < failures; i++) last = limiter.when('ns/a');
    expect(last).toBe(expected);
    expect(limiter.numRequeues('ns/a')).toBe(failures);
  });

  it('keeps a history per item and forgets it on success', () => {
    const limiter = new ItemExponentialFailureRateLimiter(5, 1000);
    limiter.when('a');
    limiter.when('a');
    expect(limiter.when('b')).toBe(5);
    expect(limiter.when('a')).toBe(20);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });
});

describe('TokenBucket', () => {
  it('serves a burst at once, then spaces requests at the rate', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 3, clock.now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBe(100);
    expect(bucket.reserve()).toBe(200);
    clock.advance(200);
    expect(bucket.reserve()).toBe(100);
  });

  it('refills up to the burst only', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1, 2, clock.now);
    bucket.reserve();
    bucket.reserve();
    clock.advance(60_000);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('tryTake takes nothing when empty', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1, 1, clock.now);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(999);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it('rejects nonsense rates', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0)).toThrow(RangeError);
  });

  it('take waits for the token', async () => {
    const bucket = new TokenBucket(50, 1);
    await bucket.take();
    const started = Date.now();
    await bucket.take();
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});

describe('default controller rate limiter', () => {
  it('is the per-item backoff while the overall bucket has tokens', () => {
    const clock = manualClock();
    const limiter = defaultControllerRateLimiter(clock.now);
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a')]).toEqual([5, 10, 20]);
  });

  it('is the overall bucket (10 qps, burst 100) when many items fail at once', () => {
    const clock = manualClock();
    const limiter = defaultControllerRateLimiter(clock.now);
    const delays = Array.from({ length: 102 }, (_, i) => limiter.when(`item-${i}`));
    expect(delays.slice(0, 100).every((delay) => delay === 5)).toBe(true);
    expect(delays[100]).toBe(100);
    expect(delays[101]).toBe(200);
  });

  it('MaxOf forgets in every limiter', () => {
    const clock = manualClock();
    const perItem = new ItemExponentialFailureRateLimiter(5, 1000);
    const limiter = new MaxOfRateLimiter(perItem, new BucketRateLimiter(new TokenBucket(10, 100, clock.now)));
    limiter.when('a');
    limiter.when('a');
    expect(limiter.numRequeues('a')).toBe(2);
    limiter.forget('a');
    expect(perItem.numRequeues('a')).toBe(0);
  });
});
