// Faults a fault-injection pass found in the GameServerSet controller (issue
// 13): a reserve of a million ids, pods that already hold an ordinal (the
// owner label removed by hand, a pod made by hand), and an orphaning delete.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Histogram } from 'prom-client';
import { LABELS } from '../../src/api/constants.js';
import { registerGameServerSetController } from '../../src/controllers/game-server-set/index.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Manager } from '../../src/runtime/manager.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startTestManager, type TestOperator } from '../support/index.js';
import { applySet, core, gameServerSet, livePods, podsReady, readSet, setEvents, uids } from './harness.js';

let namespace: string;
let controller: TestOperator;
let metrics: Metrics;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-faults');
  metrics = new Metrics();
  controller = startTestManager({ namespaces: [namespace] }, (parts) => {
    const manager = new Manager({ ...parts, metrics, serveHttp: false });
    registerGameServerSetController(manager, { workers: 2, nodeLossTimeoutMs: 0 });
    return manager;
  });
});
afterEach(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

const names = (set: string, ...ordinals: number[]) => ordinals.map((o) => `${set}-${o}`);

/** Count, mean and largest bucket bound of the set controller's reconcile durations so far (for the log, never asserted). */
async function reconcileTimes(): Promise<string> {
  const histogram = metrics.registry.getSingleMetric('controller_runtime_reconcile_time_seconds') as Histogram | undefined;
  const values = (await histogram?.get())?.values ?? [];
  const ours = values.filter((v) => v.labels.controller === 'gameserverset');
  const count = ours.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  const sum = ours.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  return `${count} reconciles, mean ${count > 0 ? ((sum / count) * 1000).toFixed(1) : '-'} ms`;
}

describe('GameServerSet faults', () => {
  it('a reserve of a million ids: pods take ids from 1000000 and the operator never stalls', async () => {
    await applySet(namespace, gameServerSet('big', 3, { reserveGameServerIds: ['0-999999'], scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } }));
    await eventually(() => podsReady(namespace, 'big', names('big', 1_000_000, 1_000_001, 1_000_002)), { description: 'big-1000000..2 Ready' });
    // Watched from here on: every reconcile below plans around the reserve (start-up costs are left out).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await kubectl(['scale', 'gss', 'big', '-n', namespace, '--replicas=5']);
    await eventually(() => podsReady(namespace, 'big', names('big', 1_000_000, 1_000_001, 1_000_002, 1_000_003, 1_000_004)), { description: 'scaled to 5' });
    await kubectl(['scale', 'gss', 'big', '-n', namespace, '--replicas=2']);
    await eventually(() => podsReady(namespace, 'big', names('big', 1_000_000, 1_000_001)), { description: 'scaled to 2' });
    loop.disable();
    // ReserveIds: the ids scaled away are written back next to the range.
    expect((await readSet(namespace, 'big')).spec.reserveGameServerIds).toEqual(['0-999999', '1000002-1000004']);
    // One planning pass used to expand and sort the million ids several times, blocking the process for seconds.
    const stallMs = loop.max / 1e6;
    console.log(`reserve 0-999999: ${await reconcileTimes()}; longest event-loop stall ${stallMs.toFixed(0)} ms`);
    expect(stallMs).toBeLessThan(1_000);
  });

  it('a pod whose owner label was removed by hand is still the set’s: the label comes back and the set scales', async () => {
    await applySet(namespace, gameServerSet('lbl', 2));
    const before = await eventually(() => podsReady(namespace, 'lbl', names('lbl', 0, 1)));
    await kubectl(['label', 'pod', 'lbl-1', '-n', namespace, `${LABELS.ownerGss}-`]);
    await kubectl(['scale', 'gss', 'lbl', '-n', namespace, '--replicas=4']);
    const after = await eventually(() => podsReady(namespace, 'lbl', names('lbl', 0, 1, 2, 3)), { description: 'lbl-0..3 Ready, lbl-1 labelled again' });
    expect(after.get('lbl-1')?.metadata?.uid).toBe(before.get('lbl-1')?.metadata?.uid);
    const events = await setEvents(namespace, 'lbl');
    expect(events.filter((e) => e.reason === 'FailedCreate')).toEqual([]);
    expect(events.find((e) => e.reason === 'PodRelabelled')?.message).toContain('lbl-1');
  });

  it('a pod made by hand on an ordinal is left alone: the set skips that id', async () => {
    const foreign = await core().createNamespacedPod({
      namespace,
      body: { metadata: { name: 'pre-1', labels: { app: 'by-hand' } }, spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] } },
    });
    await applySet(namespace, gameServerSet('pre', 3));
    await eventually(() => podsReady(namespace, 'pre', names('pre', 0, 2, 3)), { description: 'pre-0, pre-2, pre-3 Ready' });
    const still = await core().readNamespacedPod({ namespace, name: 'pre-1' });
    expect(still.metadata?.uid).toBe(foreign.metadata?.uid);
    expect(still.metadata?.ownerReferences ?? []).toEqual([]);
    expect(still.metadata?.labels?.[LABELS.ownerGss]).toBeUndefined();
    const warning = await eventually(async () => (await setEvents(namespace, 'pre')).find((e) => e.reason === 'PodExists') ?? false, { description: 'Warning PodExists' });
    expect(warning).toMatchObject({ type: 'Warning', message: expect.stringContaining('pre-1') });
    await kubectl(['scale', 'gss', 'pre', '-n', namespace, '--replicas=4']);
    await eventually(() => podsReady(namespace, 'pre', names('pre', 0, 2, 3, 4)), { description: 'scaled to 4 around pre-1' });
  });

  it('kubectl delete --cascade=orphan completes and leaves the pods', async () => {
    // `&&` and `>`: characters the API server's Go encoder escapes when it re-encodes a revision.
    const containers = [{ name: 'game', image: 'example.com/game:1.0', command: ['sh', '-c', 'start && tail -f /dev/null > /dev/null'] }];
    await applySet(namespace, gameServerSet('orph', 2, {}, containers));
    const before = await eventually(() => podsReady(namespace, 'orph', names('orph', 0, 1)));
    await kubectl(['delete', 'gss', 'orph', '-n', namespace, '--cascade=orphan', '--wait=false']);
    await eventually(async () => !(await kubectl(['get', 'gss', '-n', namespace, '-o', 'name'])).includes('orph'), {
      description: 'the set gone (the orphan finalizer done)',
      timeoutMs: 60_000,
    });
    const after = await livePods(namespace, 'orph');
    expect(uids(after)).toEqual(uids(before));
    for (const pod of after.values()) expect(pod.metadata?.ownerReferences ?? []).toEqual([]);
  });
});
