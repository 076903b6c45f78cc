import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { WorkQueue } from './queue.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';

/** Resolves on the next turn of the event loop (lets pending promise callbacks run). */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WorkQueue', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('hands out keys in order, each once however often it was added', async () => {
    const queue = new WorkQueue();
    for (const key of ['a', 'b', 'a', 'c', 'b']) queue.add(key);
    expect(queue.depth).toBe(3);
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['a', 'b', 'c']);
    expect(queue.depth).toBe(0);
  });

  it('never hands a key in processing to a second worker; a re-add waits for done', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const first = await queue.get();
    queue.add('a');
    queue.add('b');
    expect(await queue.get()).toBe('b');
    let second: string | undefined;
    void queue.get().then((key) => (second = key));
    await tick();
    expect(second).toBeUndefined();
    queue.done(first!);
    await tick();
    expect(second).toBe('a');
  });

  it('a key re-added many times during processing comes back once', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const key = await queue.get();
    queue.add('a');
    queue.add('a');
    queue.done(key!);
    expect(queue.depth).toBe(1);
    queue.done((await queue.get())!);
    expect(queue.depth).toBe(0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const queue = new WorkQueue();
    const pending = queue.get();
    queue.add('x');
    await expect(pending).resolves.toBe('x');
    expect(queue.inFlight).toBe(1);
  });

  it('delays addAfter, and an earlier delayed add of the same key wins', async () => {
    jest.useFakeTimers();
    const queue = new WorkQueue({ now: () => Date.now() });
    queue.addAfter('a', 1000);
    queue.addAfter('a', 5000);
    queue.addAfter('b', 500);
    expect(queue.depth).toBe(0);
    jest.advanceTimersByTime(500);
    expect(queue.depth).toBe(1);
    jest.advanceTimersByTime(500);
    expect(queue.depth).toBe(2);
    jest.advanceTimersByTime(10_000);
    expect(queue.depth).toBe(2);
    expect(queue.delayedCount).toBe(0);
  });

  it('a sooner addAfter replaces a later one', () => {
    jest.useFakeTimers();
    const queue = new WorkQueue({ now: () => Date.now() });
    queue.addAfter('a', 5000);
    queue.addAfter('a', 100);
    jest.advanceTimersByTime(100);
    expect(queue.depth).toBe(1);
  });

  it('backs off failed keys exponentially up to the cap, and forget resets', () => {
    jest.useFakeTimers();
    const queue = new WorkQueue({ rateLimiter: new ItemExponentialFailureRateLimiter(10, 100), now: () => Date.now() });
    const delays = Array.from({ length: 6 }, () => queue.addRateLimited('a'));
    expect(delays).toEqual([10, 20, 40, 80, 100, 100]);
    expect(queue.numRequeues('a')).toBe(6);
    queue.forget('a');
    expect(queue.addRateLimited('a')).toBe(10);
    expect(queue.addRateLimited('b', 250)).toBe(250);
  });

  it('shutdown releases waiting workers and stops taking keys', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.shutdown();
    await expect(waiting).resolves.toBeUndefined();
    queue.add('a');
    queue.addAfter('b', 10);
    expect(queue.depth).toBe(0);
    await expect(queue.get()).resolves.toBeUndefined();
  });

  it('drain waits for keys in flight and drops the queued ones', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('b');
    const key = await queue.get();
    let drained = false;
    const draining = queue.drain().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    expect(queue.depth).toBe(0);
    queue.done(key!);
    await draining;
    expect(drained).toBe(true);
  });

  it('drain of an idle queue resolves at once', async () => {
    await expect(new WorkQueue().drain()).resolves.toBeUndefined();
  });

  it('reports adds, queue time, work time and retries to its hooks', async () => {
    let time = 1000;
    const seen: string[] = [];
    const queue = new WorkQueue({
      now: () => time,
      hooks: {
        added: () => seen.push('added'),
        started: (ms) => seen.push(`started ${ms}`),
        finished: (ms) => seen.push(`finished ${ms}`),
        retried: () => seen.push('retried'),
      },
    });
    queue.add('a');
    queue.add('a');
    time += 30;
    const key = await queue.get();
    time += 70;
    expect(queue.unfinishedWorkSeconds()).toBeCloseTo(0.07);
    expect(queue.longestRunningProcessorSeconds()).toBeCloseTo(0.07);
    queue.done(key!);
    queue.addRateLimited('a');
    queue.shutdown();
    expect(seen).toEqual(['added', 'started 30', 'finished 70', 'retried']);
  });
});
