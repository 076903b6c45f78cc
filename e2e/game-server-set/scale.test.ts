// Scaling a GameServerSet as a user would with kubectl: identity of the pods,
// scale-down order by opsState and deletionPriority, reserved ids, Kill, and
// a pod the API server refuses.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import {
  apps,
  applySet,
  gameServerSet,
  livePods,
  patchSet,
  podsReady,
  readSet,
  setEvents,
  setPodLabel,
  sorted,
  startSetController,
  type SetController,
} from './harness.js';

let namespace: string;
let controller: SetController;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-scale');
  controller = startSetController([namespace]);
});
afterEach(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

const names = (...ordinals: number[]) => ordinals.map((o) => `web-${o}`);

describe('GameServerSet scaling', () => {
  it('creates pods 0-2 with identity labels, owner reference and status', async () => {
    await applySet(namespace, gameServerSet('web', 3));
    const pods = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)), { description: 'web-0..2 Running and Ready' });
    const set = await readSet(namespace, 'web');
    for (const [name, pod] of pods) {
      const ordinal = name.split('-')[1];
      expect(pod.metadata?.labels).toMatchObject({
        'game.kruise.io/owner-gss': 'web',
        'statefulset.kubernetes.io/pod-name': name,
        'apps.kubernetes.io/pod-index': ordinal,
        app: 'web',
        'lifecycle.apps.kruise.io/state': 'Normal',
      });
      expect(pod.metadata?.labels?.['controller-revision-hash']).toMatch(/^web-[0-9a-f]{10}$/);
      expect(pod.metadata?.annotations?.['example.com/note']).toBe('from-template');
      expect(pod.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', name: 'web', uid: set.metadata.uid, controller: true }),
      ]);
      expect(pod.spec?.hostname).toBe(name);
      expect(pod.spec?.subdomain).toBe('web');
      expect(pod.spec?.readinessGates).toEqual([{ conditionType: 'InPlaceUpdateReady' }, { conditionType: 'KruisePodReady' }]);
      expect(pod.status?.conditions?.find((c) => c.type === 'InPlaceUpdateReady')?.status).toBe('True');
      expect(pod.status?.conditions?.find((c) => c.type === 'KruisePodReady')?.status).toBe('True');
    }
    const revision = pods.get('web-0')?.metadata?.labels?.['controller-revision-hash'];
    const status = await eventually(async () => {
      const s = (await readSet(namespace, 'web')).status;
      return s?.readyReplicas === 3 && s.availableReplicas === 3 ? s : false;
    });
    expect(status).toMatchObject({
      observedGeneration: set.metadata.generation,
      replicas: 3,
      currentReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      updatedReadyReplicas: 3,
      maintainingReplicas: 0,
      waitToBeDeletedReplicas: 0,
      preDeleteReplicas: 0,
      labelSelector: 'game.kruise.io/owner-gss=web',
      currentRevision: revision,
      updateRevision: revision,
    });
    const revisions = await apps().listNamespacedControllerRevision({ namespace });
    expect(revisions.items.map((r) => r.metadata?.name)).toEqual([revision]);
    expect(revisions.items[0]?.metadata?.ownerReferences?.[0]?.uid).toBe(set.metadata.uid);
    // kubectl scale goes through the scale subresource.
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=5']);
    await eventually(() => podsReady(namespace, 'web', names(0, 1, 2, 3, 4)), { description: 'scaled to 5' });
  });

  it('scales down by opsState, then deletionPriority, then ordinal', async () => {
    await applySet(namespace, gameServerSet('web', 5));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2, 3, 4)));
    // The GameServer controller mirrors these from the GameServer; without it the set reads the pod labels.
    await setPodLabel(namespace, 'web-1', 'game.kruise.io/gs-opsState', 'WaitToBeDeleted');
    await setPodLabel(namespace, 'web-3', 'game.kruise.io/gs-delete-priority', '100');
    await setPodLabel(namespace, 'web-4', 'game.kruise.io/gs-opsState', 'Maintaining');
    await setPodLabel(namespace, 'web-0', 'game.kruise.io/gs-opsState', 'Allocated');
    await eventually(async () => (await readSet(namespace, 'web')).status?.waitToBeDeletedReplicas === 1, { description: 'WTD counted' });
    await patchSet(namespace, 'web', { spec: { replicas: 3 } });
    const after = await eventually(() => podsReady(namespace, 'web', names(0, 2, 4)), { description: 'web-1 and web-3 deleted' });
    for (const name of names(0, 2, 4)) expect(after.get(name)?.metadata?.uid).toBe(before.get(name)?.metadata?.uid);
    const status = await eventually(async () => {
      const s = (await readSet(namespace, 'web')).status;
      return s?.currentReplicas === 3 ? s : false;
    });
    expect(status).toMatchObject({ replicas: 3, maintainingReplicas: 1, waitToBeDeletedReplicas: 0 });
    // Next to go: the None pod (web-2) before Allocated (web-0) and Maintaining (web-4).
    await patchSet(namespace, 'web', { spec: { replicas: 2 } });
    await eventually(() => podsReady(namespace, 'web', names(0, 4)), { description: 'web-2 deleted' });
    // Scale-up refills the lowest free ids.
    await patchSet(namespace, 'web', { spec: { replicas: 4 } });
    await eventually(() => podsReady(namespace, 'web', names(0, 1, 2, 4)), { description: 'ids 1 and 2 refilled' });
  });

  it('deletes a pod on a newly reserved id, skips reserved ids, and leaves a released id as a hole', async () => {
    await applySet(namespace, gameServerSet('web', 3));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)));
    await patchSet(namespace, 'web', { spec: { reserveGameServerIds: [1] } });
    const after = await eventually(() => podsReady(namespace, 'web', names(0, 2, 3)), { description: 'web-1 replaced by web-3' });
    expect(after.get('web-0')?.metadata?.uid).toBe(before.get('web-0')?.metadata?.uid);
    await patchSet(namespace, 'web', { spec: { reserveGameServerIds: ['1-2'], replicas: 4 } });
    await eventually(() => podsReady(namespace, 'web', names(0, 3, 4, 5)), { description: 'ids 1-2 reserved' });
    await patchSet(namespace, 'web', { spec: { reserveGameServerIds: null } });
    // No pod change follows from releasing ids: observe the status catching up, then the pods.
    const generation = (await readSet(namespace, 'web')).metadata.generation;
    await eventually(async () => (await readSet(namespace, 'web')).status?.observedGeneration === generation);
    expect(sorted((await livePods(namespace, 'web')).keys())).toEqual(names(0, 3, 4, 5));
    await patchSet(namespace, 'web', { spec: { replicas: 5 } });
    await eventually(() => podsReady(namespace, 'web', names(0, 1, 3, 4, 5)), { description: 'hole 1 refilled first' });
  });

  it('recreates a deleted pod under its own id, not in a lower hole', async () => {
    await applySet(namespace, gameServerSet('web', 3));
    await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)));
    await setPodLabel(namespace, 'web-1', 'game.kruise.io/gs-opsState', 'WaitToBeDeleted');
    await eventually(async () => (await readSet(namespace, 'web')).status?.waitToBeDeletedReplicas === 1);
    await patchSet(namespace, 'web', { spec: { replicas: 2 } });
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 2)), { description: 'hole at 1' });
    await kubectl(['delete', 'pod', 'web-2', '-n', namespace, '--wait=false']);
    const after = await eventually(
      async () => {
        const pods = await podsReady(namespace, 'web', names(0, 2));
        return pods && pods.get('web-2')?.metadata?.uid !== before.get('web-2')?.metadata?.uid ? pods : false;
      },
      { description: 'web-2 recreated' },
    );
    expect(after.get('web-0')?.metadata?.uid).toBe(before.get('web-0')?.metadata?.uid);
  });

  it('writes scaled-down ids back into reserveGameServerIds under ReserveIds', async () => {
    await applySet(namespace, gameServerSet('web', 4, { scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } }));
    await eventually(() => podsReady(namespace, 'web', names(0, 1, 2, 3)));
    await setPodLabel(namespace, 'web-1', 'game.kruise.io/gs-opsState', 'WaitToBeDeleted');
    await eventually(async () => (await readSet(namespace, 'web')).status?.waitToBeDeletedReplicas === 1);
    await patchSet(namespace, 'web', { spec: { replicas: 3 } });
    await eventually(() => podsReady(namespace, 'web', names(0, 2, 3)), { description: 'web-1 deleted' });
    expect((await readSet(namespace, 'web')).spec.reserveGameServerIds).toEqual([1]);
    await patchSet(namespace, 'web', { spec: { replicas: 4 } });
    await eventually(() => podsReady(namespace, 'web', names(0, 2, 3, 4)), { description: 'id 1 stays reserved' });
  });

  it('deletes a Kill game server and lowers replicas without back-filling', async () => {
    await applySet(namespace, gameServerSet('web', 3));
    await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)));
    await setPodLabel(namespace, 'web-0', 'game.kruise.io/gs-opsState', 'Kill');
    await eventually(() => podsReady(namespace, 'web', names(1, 2)), { description: 'web-0 killed' });
    const set = await readSet(namespace, 'web');
    expect(set.spec.replicas).toBe(2);
    await eventually(async () => (await readSet(namespace, 'web')).status?.currentReplicas === 2);
    expect(sorted((await livePods(namespace, 'web')).keys())).toEqual(names(1, 2));
    const events = await setEvents(namespace, 'web');
    expect(events.some((e) => e.reason === 'Scale' && e.message?.includes('Kill'))).toBe(true);
  });

  it('OrderedReady creates one pod at a time, each after the previous is Ready', async () => {
    await applySet(namespace, gameServerSet('web', 3, { podManagementPolicy: 'OrderedReady' }));
    const pods = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)), { description: 'web-0..2 Ready' });
    for (const [previous, next] of [['web-0', 'web-1'], ['web-1', 'web-2']] as const) {
      const readyAt = pods.get(previous)?.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
      const createdAt = pods.get(next)?.metadata?.creationTimestamp;
      expect(readyAt).toBeDefined();
      expect(new Date(createdAt!).getTime()).toBeGreaterThanOrEqual(new Date(readyAt!).getTime());
    }
  });

  it('reports a pod the API server refuses as ReplicaFailure and a Warning event, retrying with backoff', async () => {
    await applySet(namespace, gameServerSet('bad', 3, {}, [{ name: 'game', image: 'example.com/game:1.0', ports: [{ containerPort: 70000 }] }]));
    const status = await eventually(async () => {
      const s = (await readSet(namespace, 'bad')).status;
      return s?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True') ? s : false;
    });
    const condition = status.conditions?.find((c) => c.type === 'ReplicaFailure');
    expect(condition?.reason).toBe('FailedCreate');
    expect(condition?.message).toMatch(/containerPort/);
    const warning = await eventually(async () => (await setEvents(namespace, 'bad')).find((e) => e.type === 'Warning' && e.reason === 'FailedCreate') ?? false);
    expect(warning.message).toMatch(/create Pod bad-0 in GameServerSet bad failed: .*containerPort/);
    // Slow start: one refused creation per pass, never bad-1 or bad-2.
    expect((await setEvents(namespace, 'bad')).filter((e) => e.reason === 'FailedCreate').map((e) => e.message?.slice(0, 16))).toEqual(['create Pod bad-0']);
    expect(status.replicas).toBe(0);
    // Fixing the template clears the condition.
    await applySet(namespace, gameServerSet('bad', 3));
    await eventually(() => podsReady(namespace, 'bad', ['bad-0', 'bad-1', 'bad-2']));
    await eventually(async () => !(await readSet(namespace, 'bad')).status?.conditions?.some((c) => c.type === 'ReplicaFailure'));
    // Backoff, not a hot loop: a handful of attempts in the seconds the template was bad.
    const final = (await setEvents(namespace, 'bad')).find((e) => e.reason === 'FailedCreate');
    expect(final?.count ?? 1).toBeLessThan(15);
  });
});
