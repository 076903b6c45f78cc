import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '../observability/logger.js';
import { SharedInformer } from './informer.js';
import type { ListWatchClient } from './list-watch.js';
import type { KubeObject } from './object.js';
import { PODS } from './resource.js';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'games', uid: name, resourceVersion: '1' } });

/** Lists two pods, then a watch that stays open until aborted. */
const listWatch: ListWatchClient<KubeObject> = {
  list: () => Promise.resolve({ items: [pod('a'), pod('b')], resourceVersion: '1' }),
  watch: (options) => new Promise((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true })),
};

function informer(resyncPeriodMs: number): { informer: SharedInformer<KubeObject>; calls: string[] } {
  const calls: string[] = [];
  const shared = new SharedInformer<KubeObject>({ resource: PODS, listWatch: () => listWatch, resyncPeriodMs, random: () => 0.5, logger: silentLogger() });
  shared.addHandler((oldObject, newObject) => calls.push(`${oldObject?.metadata?.name ?? '-'}>${newObject?.metadata?.name ?? '-'}`));
  return { informer: shared, calls };
}

describe('SharedInformer resync', () => {
  it('hands every cached object to the handlers again each period, as (obj, obj)', async () => {
    const { informer: shared, calls } = informer(40);
    const abort = new AbortController();
    const running = shared.run(abort.signal);
    await shared.synced;
    expect(calls.sort()).toEqual(['->a', '->b']);
    // 40 ms + 5% jitter per round: two rounds within ~84 ms
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    await running;
    const resyncs = calls.filter((call) => !call.startsWith('->'));
    expect(resyncs.length).toBeGreaterThanOrEqual(4);
    expect(new Set(resyncs)).toEqual(new Set(['a>a', 'b>b']));
  });

  it('never resyncs with a period of 0', async () => {
    const { informer: shared, calls } = informer(0);
    const abort = new AbortController();
    const running = shared.run(abort.signal);
    await shared.synced;
    await new Promise((resolve) => setTimeout(resolve, 60));
    abort.abort();
    await running;
    expect(calls.sort()).toEqual(['->a', '->b']);
  });
});
