// The GameServer controller mirrors each pod of a set into a GameServer and
// pushes the GameServer's ops fields back onto the pod, with the events
// kube-eventer forwards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LABELS } from '../../src/api/constants.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import {
  core,
  createPod,
  createSet,
  gameServerEvents,
  gameServerExists,
  getGameServer,
  podLabels,
  startGameServerController,
  type RunningController,
} from './harness.js';

let namespace: string;
let controller: RunningController;

beforeAll(async () => {
  namespace = await createTestNamespace('gs-mirror');
  controller = startGameServerController(namespace);
});
afterAll(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

describe('GameServer mirror', () => {
  it('creates a Ready GameServer owned by its pod and puts the ops labels on the pod', async () => {
    const set = await createSet(namespace, 'mc', { templateLabels: { tier: 'gold' } });
    const pod = await createPod(namespace, set, 0);
    const gs = await eventually(
      async () => {
        const found = await getGameServer(namespace, 'mc-0');
        return found.status?.currentState === 'Ready' ? found : false;
      },
      { description: 'GameServer mc-0 Ready' },
    );
    expect(gs.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Pod', name: 'mc-0', uid: pod.metadata?.uid })]);
    expect(gs.metadata.labels).toMatchObject({ [LABELS.ownerGss]: 'mc', tier: 'gold', [LABELS.nodeName]: expect.stringMatching(/^kwok-node-/) });
    expect(gs.spec.opsState).toBe('None');
    expect(gs.status?.conditions?.find((c) => c.type === 'PodNormal')?.status).toBe('True');
    const labels = await eventually(async () => {
      const current = await podLabels(namespace, 'mc-0');
      return current[LABELS.gsState] === 'Ready' ? current : false;
    });
    expect(labels).toMatchObject({ [LABELS.gsOpsState]: 'None', [LABELS.gsUpdatePriority]: '0', [LABELS.gsDeletePriority]: '0', [LABELS.networkDisabled]: 'false' });
    const columns = await kubectl(['-n', namespace, 'get', 'gs', 'mc-0', '--no-headers']);
    expect(columns).toMatch(/^mc-0\s+Ready\s+None\s+0\s+0\s+/);
  });

  it('shows kubectl patch of opsState and deletionPriority on the pod, with GsStateChanged events', async () => {
    await eventually(async () => (await podLabels(namespace, 'mc-0'))[LABELS.gsOpsState] === 'None', { description: 'mc-0 synced' });
    await kubectl(['-n', namespace, 'patch', 'gs', 'mc-0', '--type=merge', '-p', '{"spec":{"opsState":"Allocated","deletionPriority":7}}']);
    await eventually(
      async () => {
        const labels = await podLabels(namespace, 'mc-0');
        return labels[LABELS.gsOpsState] === 'Allocated' && labels[LABELS.gsDeletePriority] === '7';
      },
      { description: 'pod labels Allocated / 7', timeoutMs: 10_000, intervalMs: 100 },
    );
    await eventually(async () => (await getGameServer(namespace, 'mc-0')).status?.deletionPriority === '7', { description: 'status.deletionPriority 7' });
    const normal = await eventually(async () => {
      const events = await gameServerEvents(namespace, 'Normal');
      return events.some((e) => e.message === 'OpsState turn from None to Allocated') ? events : false;
    });
    expect(normal.find((e) => e.message === 'OpsState turn from None to Allocated')).toMatchObject({
      reason: 'GsStateChanged',
      involvedObject: { kind: 'GameServer', name: 'mc-0', apiVersion: 'game.kruise.io/v1alpha1' },
    });
    expect(normal.some((e) => e.message === 'DeletionPriority turn from 0 to 7')).toBe(true);
  });

  it('raises a Warning GsStateChanged when a server goes Maintaining', async () => {
    await kubectl(['-n', namespace, 'patch', 'gs', 'mc-0', '--type=merge', '-p', '{"spec":{"opsState":"Maintaining"}}']);
    const warning = await eventually(
      async () => (await gameServerEvents(namespace, 'Warning')).find((e) => e.reason === 'GsStateChanged' && e.message.endsWith('to Maintaining')) ?? false,
      { description: 'Warning GsStateChanged to Maintaining' },
    );
    expect(warning.involvedObject).toMatchObject({ kind: 'GameServer', name: 'mc-0' });
    expect((await podLabels(namespace, 'mc-0'))[LABELS.gsOpsState]).toBe('Maintaining');
  });

  it('patches a spec.containers image override onto that pod in place', async () => {
    const before = await core().readNamespacedPod({ namespace, name: 'mc-0' });
    await kubectl(['-n', namespace, 'patch', 'gs', 'mc-0', '--type=merge', '-p', '{"spec":{"containers":[{"name":"game","image":"example.com/game:2.0"}]}}']);
    const after = await eventually(
      async () => {
        const pod = await core().readNamespacedPod({ namespace, name: 'mc-0' });
        const status = pod.status?.containerStatuses?.find((c) => c.name === 'game');
        return status?.image === 'example.com/game:2.0' && status.ready && status.restartCount >= 1 ? pod : false;
      },
      { description: 'game container restarted on 2.0' },
    );
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.spec?.containers[0]?.image).toBe('example.com/game:2.0');
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    await eventually(async () => (await getGameServer(namespace, 'mc-0')).status?.currentState === 'Ready', { description: 'mc-0 Ready again' });
  });

  it('warns with the condition reason when the pod stops being healthy', async () => {
    const set = await createSet(namespace, 'sick');
    await createPod(namespace, set, 0);
    await eventually(async () => (await getGameServer(namespace, 'sick-0')).status?.currentState === 'Ready', { description: 'sick-0 Ready' });
    // Container not ready (kwok's readiness stage leaves the pod alone while a container is not ready).
    const current = await core().readNamespacedPod({ namespace, name: 'sick-0' });
    const containerStatuses = (current.status?.containerStatuses ?? []).map((c) => ({ ...c, ready: false }));
    const now = new Date().toISOString();
    const notReady = (type: string) => ({ type, status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [game]', lastTransitionTime: now });
    await kubectl([
      '-n',
      namespace,
      'patch',
      'pod',
      'sick-0',
      '--subresource=status',
      '--type=strategic',
      '-p',
      JSON.stringify({ status: { containerStatuses, conditions: [notReady('ContainersReady'), notReady('Ready')] } }),
    ]);
    const gs = await eventually(
      async () => {
        const found = await getGameServer(namespace, 'sick-0');
        return found.status?.currentState === 'NotReady' ? found : false;
      },
      { description: 'sick-0 NotReady' },
    );
    expect(gs.status?.conditions?.find((c) => c.type === 'PodNormal')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    const warning = await eventually(
      async () => (await gameServerEvents(namespace, 'Warning')).find((e) => e.involvedObject.name === 'sick-0' && e.reason === 'ContainersNotReady') ?? false,
      { description: 'Warning ContainersNotReady on sick-0' },
    );
    expect(warning.message).toContain('unready status');
    const stateChange = await eventually(
      async () => (await gameServerEvents(namespace, 'Normal')).find((e) => e.involvedObject.name === 'sick-0' && e.message === 'State turn from Ready to NotReady') ?? false,
    );
    expect(stateChange.reason).toBe('GsStateChanged');
  });

  it('reclaimPolicy Delete: the GameServer survives its pod and goes once marked gs-deleting', async () => {
    const set = await createSet(namespace, 'keep', { reclaimPolicy: 'Delete' });
    await createPod(namespace, set, 0);
    const gs = await eventually(async () => {
      const found = await getGameServer(namespace, 'keep-0');
      return found.status?.currentState === 'Ready' ? found : false;
    });
    expect(gs.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'GameServerSet', name: 'keep', uid: set.uid })]);
    await kubectl(['-n', namespace, 'patch', 'gs', 'keep-0', '--type=merge', '-p', '{"spec":{"opsState":"Allocated"}}']);
    await core().deleteNamespacedPod({ namespace, name: 'keep-0', gracePeriodSeconds: 0 });
    await eventually(async () => (await core().listNamespacedPod({ namespace, fieldSelector: 'metadata.name=keep-0' })).items.length === 0, {
      description: 'pod keep-0 gone',
    });
    // Re-created pod: same GameServer, spec kept, pushed onto the new pod.
    await createPod(namespace, set, 0);
    await eventually(async () => (await podLabels(namespace, 'keep-0'))[LABELS.gsOpsState] === 'Allocated', { description: 'new pod labelled Allocated' });
    expect((await getGameServer(namespace, 'keep-0')).metadata.uid).toBe(gs.metadata.uid);

    await core().deleteNamespacedPod({ namespace, name: 'keep-0', gracePeriodSeconds: 0 });
    await eventually(async () => (await core().listNamespacedPod({ namespace, fieldSelector: 'metadata.name=keep-0' })).items.length === 0);
    expect(await gameServerExists(namespace, 'keep-0')).toBe(true);
    await kubectl(['-n', namespace, 'label', 'gs', 'keep-0', `${LABELS.gsDeleting}=true`]);
    await eventually(async () => !(await gameServerExists(namespace, 'keep-0')), { description: 'GameServer keep-0 deleted' });
  });
});
