// Writes the GameServer controller leaves out (issue 19): the pod mirror of a
// server in an in-place update waits for the write that ends the update,
// however long it takes; a terminating pod gets only its state label
// (Deleting, as OKG writes it) and no new GameServer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Watch, type V1Pod } from '@kubernetes/client-node';
import { GAME_SERVER_PLURAL, GROUP, LABELS, LIFECYCLE, VERSION } from '../../src/api/constants.js';
import { adminKubeConfig, createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { core, createPod, createSet, gameServerExists, getGameServer, podLabels, startGameServerController, type RunningController } from './harness.js';

let namespace: string;
let controller: RunningController;

beforeAll(async () => {
  namespace = await createTestNamespace('gs-quiet');
  controller = startGameServerController(namespace);
});
afterAll(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

/** Fails as soon as `check` turns false within `ms` (polled every 250 ms). */
async function holdsFor(ms: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    expect(await check()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface WatchedGameServer {
  metadata: { resourceVersion: string };
  status?: { currentState?: string; podStatus?: { conditions?: { type: string; status: string }[] } };
}

const DRAINED = 'example.com/Drained';
/** Longer than the fixed 60 s the mirror used to be held during an update. */
const PAST_THE_OLD_HOLD_MS = 70_000;

describe('quiet writes', () => {
  it('an in-place update held by its hook keeps the pod mirror unwritten past 60 s, and the write ending the update carries it', async () => {
    const set = await createSet(namespace, 'hot');
    await createPod(namespace, set, 0);
    await eventually(async () => (await getGameServer(namespace, 'hot-0')).status?.currentState === 'Ready', { description: 'GameServer hot-0 Ready' });

    // The set controller's inPlaceUpdate hook holds the pod before the image patch (lifecycle PreparingUpdate).
    await kubectl(['-n', namespace, 'label', 'pod', 'hot-0', `${LIFECYCLE.stateLabel}=PreparingUpdate`, '--overwrite']);
    const preUpdate = await eventually(
      async () => {
        const gs = (await getGameServer(namespace, 'hot-0')) as unknown as WatchedGameServer;
        return gs.status?.currentState === 'PreUpdate' ? gs : false;
      },
      { description: 'GameServer hot-0 PreUpdate' },
    );
    // Any write to the GameServer moves its resourceVersion.
    const unwritten = async (): Promise<boolean> => {
      const gs = (await getGameServer(namespace, 'hot-0')) as unknown as WatchedGameServer;
      return gs.metadata.resourceVersion === preUpdate.metadata.resourceVersion;
    };
    // Something the mirror shows moves while the update waits: a condition of the pod (no state change).
    const transition = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const condition = { type: DRAINED, status: 'True', lastTransitionTime: transition };
    await kubectl(['-n', namespace, 'patch', 'pod', 'hot-0', '--subresource=status', '--type=strategic', '-p', JSON.stringify({ status: { conditions: [condition] } })]);
    const hasDrained = (pod: V1Pod): boolean => pod.status?.conditions?.some((c) => c.type === DRAINED) ?? false;
    await eventually(async () => hasDrained(await core().readNamespacedPod({ namespace, name: 'hot-0' })), { description: 'hot-0 shows the condition' });

    await holdsFor(PAST_THE_OLD_HOLD_MS, unwritten);
    const held = (await getGameServer(namespace, 'hot-0')) as unknown as WatchedGameServer;
    expect(held.status?.currentState).toBe('PreUpdate');
    expect(held.status?.podStatus?.conditions?.some((c) => c.type === DRAINED)).toBe(false);
    expect(hasDrained(await core().readNamespacedPod({ namespace, name: 'hot-0' }))).toBe(true);

    // The hook releases the pod and the update ends (lifecycle Normal): the next write is the one that says so, with the mirror.
    const writes: WatchedGameServer[] = [];
    let watchEnded: unknown = undefined;
    const watch = await new Watch(adminKubeConfig()).watch(
      `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${GAME_SERVER_PLURAL}`,
      { fieldSelector: 'metadata.name=hot-0', resourceVersion: preUpdate.metadata.resourceVersion },
      (type: string, gs: WatchedGameServer) => {
        if (type === 'MODIFIED') writes.push(gs);
      },
      (error: unknown) => {
        watchEnded = error ?? 'ended';
      },
    );
    try {
      await kubectl(['-n', namespace, 'label', 'pod', 'hot-0', `${LIFECYCLE.stateLabel}=Normal`, '--overwrite']);
      await eventually(async () => (await getGameServer(namespace, 'hot-0')).status?.currentState === 'Ready', { description: 'GameServer hot-0 Ready again' });
      await eventually(() => writes.length > 0 || watchEnded !== undefined, { description: 'the watch saw the write' });
      expect(watchEnded).toBeUndefined();
      expect(writes[0]?.status?.currentState).toBe('Ready');
      expect(writes[0]?.status?.podStatus?.conditions).toContainEqual(expect.objectContaining({ type: DRAINED, status: 'True' }));
    } finally {
      watch.abort();
    }
  });

  it('a terminating pod gets only its Deleting state label, and no new GameServer', async () => {
    const set = await createSet(namespace, 'bye');
    const pod = await createPod(namespace, set, 0);
    await kubectl(['-n', namespace, 'patch', 'pod', 'bye-0', '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: ['example.com/hold'] } })]);
    await eventually(async () => (await getGameServer(namespace, 'bye-0')).status?.currentState === 'Ready', { description: 'GameServer bye-0 Ready' });
    await eventually(async () => (await podLabels(namespace, 'bye-0'))[LABELS.gsState] === 'Ready', { description: 'pod bye-0 labelled Ready' });
    try {
      // The finalizer keeps the pod terminating: its GameServer says Deleting, and so does the pod's state label (OKG's contract).
      await core().deleteNamespacedPod({ namespace, name: 'bye-0' });
      await eventually(async () => (await getGameServer(namespace, 'bye-0')).status?.currentState === 'Deleting', { description: 'GameServer bye-0 Deleting' });
      await eventually(async () => (await podLabels(namespace, 'bye-0'))[LABELS.gsState] === 'Deleting', { description: 'pod bye-0 labelled Deleting' });

      // Its GameServer deleted by hand does not come back for a pod on its way out.
      await kubectl(['-n', namespace, 'delete', 'gs', 'bye-0', '--wait=true']);
      await holdsFor(5_000, async () => !(await gameServerExists(namespace, 'bye-0')));
    } finally {
      await kubectl(['-n', namespace, 'patch', 'pod', 'bye-0', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    }
    await eventually(async () => (await core().listNamespacedPod({ namespace, fieldSelector: 'metadata.name=bye-0' })).items.every((p) => p.metadata?.uid !== pod.metadata?.uid), {
      description: 'pod bye-0 gone',
    });
  });
});
