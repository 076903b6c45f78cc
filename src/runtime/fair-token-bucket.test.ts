import { describe, expect, it } from '@jest/globals';
import { FairTokenBucket, flowOfPath } from './fair-token-bucket.js';

describe('flowOfPath', () => {
  it.each([
    ['/api/v1/namespaces/big/pods', 'big'],
    ['/api/v1/namespaces/small/pods/p-0/status', 'small'],
    ['/apis/game.kruise.io/v1alpha1/namespaces/ns-1/gameservers', 'ns-1'],
    ['/api/v1/nodes', ''],
    ['/api/v1/namespaces/ns', ''],
  ])('%s → %s', (path, flow) => expect(flowOfPath(path)).toBe(flow));
});

describe('FairTokenBucket', () => {
  it('grants the burst at once', async () => {
    const bucket = new FairTokenBucket(1, 3);
    const started = Date.now();
    await Promise.all([bucket.take('a'), bucket.take('a'), bucket.take('a')]);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('serves a second flow between the requests of a busy one', async () => {
    const bucket = new FairTokenBucket(50, 1);
    const order: string[] = [];
    await bucket.take('big'); // the burst
    const big = Array.from({ length: 6 }, (_, i) => bucket.take('big').then(() => order.push(`big-${i}`)));
    const small = [bucket.take('small').then(() => order.push('small-0')), bucket.take('small').then(() => order.push('small-1'))];
    await Promise.all([...big, ...small]);
    // FIFO would put small-0 seventh; round-robin gives it the second token.
    expect(order.indexOf('small-0')).toBe(1);
    expect(order.indexOf('small-1')).toBe(3);
    expect(order.filter((name) => name.startsWith('big-'))).toEqual(['big-0', 'big-1', 'big-2', 'big-3', 'big-4', 'big-5']);
  });

  it('an aborted waiter leaves the queue and the next one gets its token', async () => {
    const bucket = new FairTokenBucket(20, 1);
    await bucket.take('a');
    const abort = new AbortController();
    const first = bucket.take('a', abort.signal).catch((error: unknown) => error);
    const second = bucket.take('a');
    abort.abort(new Error('gone'));
    expect(((await first) as Error).message).toBe('gone');
    await second;
  });

  it('rejects at once when the signal was already aborted', async () => {
    const bucket = new FairTokenBucket(1, 1);
    await expect(bucket.take('a', AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
  });
});
