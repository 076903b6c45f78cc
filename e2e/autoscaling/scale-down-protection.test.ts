// gamekeeper.dev/scale-down-protected-ops-states: a scale-down by hand
// (kubectl scale) or by an HPA deletes only unprotected rooms, shows the
// shortfall in a ScaleDownBlocked condition with one Warning event, and
// finishes as protected rooms become deletable. Kill still kills.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applySet, gameServerSet, livePods, readSet, setEvents, sorted } from '../game-server-set/harness.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';

let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('protect');
  operator = await startOperator({ namespaces: [namespace] });
});
afterAll(async () => {
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

const PROTECTED = 'gamekeeper.dev/scale-down-protected-ops-states';
const patchGs = (name: string, opsState: string) => kubectl(['patch', 'gs', name, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { opsState } })]);
const podNames = async (set: string) => sorted((await livePods(namespace, set)).keys());
const blocked = async (set: string) => (await readSet(namespace, set)).status?.conditions?.find((c) => c.type === 'ScaleDownBlocked');

async function protectedSet(name: string, replicas: number, annotation: string): Promise<void> {
  const set = gameServerSet(name, replicas);
  (set.metadata as Record<string, unknown>).annotations = { [PROTECTED]: annotation };
  await applySet(namespace, set);
  const names = Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
  await eventually(async () => JSON.stringify(await podNames(name)) === JSON.stringify(sorted(names)), { description: `${replicas} rooms` });
  await eventually(async () => (await kubectl(['get', 'gs', '-n', namespace, '-l', `game.kruise.io/owner-gss=${name}`, '-o', 'name'])).trim().split('\n').length === replicas, {
    description: `${replicas} GameServers`,
  });
}

describe('scale-down protection', () => {
  it('kubectl scale: keeps Allocated and Maintaining rooms, reports the shortfall, finishes as rooms free up; Kill still kills', async () => {
    await protectedSet('guard', 4, 'Allocated, Maintaining, Busy');
    await eventually(async () => (await setEvents(namespace, 'guard')).some((e) => e.type === 'Warning' && e.reason === 'InvalidAnnotation' && e.message?.includes('"Busy"')), {
      description: 'a Warning naming the unknown opsState',
    });
    await patchGs('guard-0', 'Allocated');
    await patchGs('guard-1', 'Maintaining');
    await patchGs('guard-3', 'Allocated');
    await eventually(async () => (await readSet(namespace, 'guard')).status?.maintainingReplicas === 1, { description: 'opsStates seen by the set' });

    await kubectl(['scale', 'gss', 'guard', '-n', namespace, '--replicas=1']);
    await eventually(async () => JSON.stringify(await podNames('guard')) === JSON.stringify(['guard-0', 'guard-1', 'guard-3']), { description: 'only the idle guard-2 deleted' });
    const condition = await eventually(async () => (await blocked('guard')) ?? false, { description: 'ScaleDownBlocked' });
    expect(condition).toMatchObject({ status: 'True', reason: 'ProtectedOpsState', message: expect.stringMatching(/^2 rooms above spec.replicas kept/) });

    await patchGs('guard-3', 'None');
    await eventually(async () => JSON.stringify(await podNames('guard')) === JSON.stringify(['guard-0', 'guard-1']), { description: 'guard-3 deleted once idle' });
    await eventually(async () => (await blocked('guard'))?.message?.startsWith('1 room above') === true, { description: 'shortfall 1' });

    await patchGs('guard-0', 'WaitToBeDeleted');
    await eventually(async () => JSON.stringify(await podNames('guard')) === JSON.stringify(['guard-1']), { description: 'guard-0 deleted once WaitToBeDeleted' });
    await eventually(async () => (await blocked('guard')) === undefined, { description: 'ScaleDownBlocked gone' });
    const warnings = (await setEvents(namespace, 'guard')).filter((e) => e.reason === 'ScaleDownBlocked');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: 'Warning', count: 1 });

    // Kill is never protected: the set lowers replicas and deletes it.
    await patchGs('guard-1', 'Kill');
    await eventually(async () => (await podNames('guard')).length === 0, { description: 'the Kill room deleted' });
    expect((await readSet(namespace, 'guard')).spec.replicas).toBe(0);
  });

  it('an HPA scaling down through the scale subresource deletes only the unprotected room', async () => {
    await protectedSet('auto', 4, 'Allocated');
    for (const name of ['auto-0', 'auto-1', 'auto-2']) await patchGs(name, 'Allocated');
    await eventually(async () => (await kubectl(['get', 'pods', '-n', namespace, '-l', 'game.kruise.io/owner-gss=auto,game.kruise.io/gs-opsState=Allocated', '-o', 'name'])).trim().split('\n').length === 3, {
      description: 'three Allocated rooms',
    });
    // No metrics-server: an HPA still brings replicas within [minReplicas, maxReplicas].
    await kubectl(['apply', '-n', namespace, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'auto' },
        spec: {
          scaleTargetRef: { apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', name: 'auto' },
          minReplicas: 1,
          maxReplicas: 2,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        },
      }),
    });
    await eventually(async () => (await readSet(namespace, 'auto')).spec.replicas === 2, { timeoutMs: 90_000, intervalMs: 1_000, description: 'the HPA writes replicas 2' });
    await eventually(async () => JSON.stringify(await podNames('auto')) === JSON.stringify(['auto-0', 'auto-1', 'auto-2']), { description: 'only the idle auto-3 deleted' });
    await eventually(async () => (await blocked('auto'))?.message?.startsWith('1 room above') === true, { description: 'shortfall 1' });
    expect(await podNames('auto')).toEqual(['auto-0', 'auto-1', 'auto-2']);
  });
});
