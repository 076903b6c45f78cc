// The ops fields of a room are never reset by accident (issue 13): a
// GameServer deleted by hand comes back as its pod says it was, and a pod
// that names a missing set waits with a backoff and a Warning.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LABELS } from '../../src/api/constants.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { core, createPod, createSet, gameServerExists, getGameServer, podLabels, startGameServerController, type RunningController } from './harness.js';

let namespace: string;
let controller: RunningController;

beforeAll(async () => {
  namespace = await createTestNamespace('gs-ops-recovery');
  controller = startGameServerController(namespace);
});
afterAll(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

async function podEvents(name: string): Promise<{ type?: string; reason?: string; message?: string }[]> {
  return (await core().listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name},involvedObject.kind=Pod` })).items;
}

describe('ops state recovery', () => {
  it('a pod naming a missing set waits with a backoff and a Warning, and gets its GameServer once the set exists', async () => {
    await core().createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'ghost-0', labels: { [LABELS.ownerGss]: 'ghost' } },
        spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] },
      },
    });
    const warning = await eventually(async () => (await podEvents('ghost-0')).find((e) => e.reason === 'GameServerSetNotFound') ?? false, {
      description: 'Warning GameServerSetNotFound on ghost-0',
      timeoutMs: 30_000,
    });
    expect(warning).toMatchObject({ type: 'Warning', message: expect.stringContaining('GameServerSet ghost') });
    // Past the warning the looks back off: the controller logs each next look
    // 8 s, then 16 s away, not one a second.
    const requeues = () =>
      controller.logs
        .map((line) => JSON.parse(line) as { name?: string; controller?: string; requeueInMs?: number })
        .filter((entry) => entry.controller === 'gameserver' && entry.name === 'ghost-0' && entry.requeueInMs !== undefined)
        .map((entry) => entry.requeueInMs!);
    await eventually(() => requeues().some((ms) => ms >= 8_000), { description: 'a look at ghost-0 8 s or more away', timeoutMs: 30_000 });
    const waits = requeues();
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits.filter((ms) => ms < 1_000).length).toBeLessThanOrEqual(3);
    expect(await gameServerExists(namespace, 'ghost-0')).toBe(false);

    await createSet(namespace, 'ghost');
    await eventually(() => gameServerExists(namespace, 'ghost-0'), { description: 'GameServer ghost-0 created once the set exists', timeoutMs: 15_000 });
  });

  it('a deleted Allocated GameServer comes back Allocated, and the pod never says otherwise', async () => {
    const set = await createSet(namespace, 'room');
    await createPod(namespace, set, 0);
    const first = await eventually(() => getGameServer(namespace, 'room-0'), { description: 'GameServer room-0' });
    await kubectl(['-n', namespace, 'patch', 'gs', 'room-0', '--type=merge', '-p', JSON.stringify({ spec: { opsState: 'Allocated', deletionPriority: 5, updatePriority: 2 } })]);
    await eventually(async () => {
      const labels = await podLabels(namespace, 'room-0');
      return labels[LABELS.gsOpsState] === 'Allocated' && labels[LABELS.gsDeletePriority] === '5' && labels[LABELS.gsUpdatePriority] === '2';
    }, { description: 'room-0 pod labelled Allocated, priorities 5 and 2' });

    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.add((await podLabels(namespace, 'room-0'))[LABELS.gsOpsState] ?? '');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await kubectl(['-n', namespace, 'delete', 'gs', 'room-0', '--wait=true']);
      const again = await eventually(
        async () => {
          const gs = await getGameServer(namespace, 'room-0');
          return gs.metadata.uid !== first.metadata.uid ? gs : false;
        },
        { description: 'GameServer room-0 re-created' },
      );
      expect(again.spec).toMatchObject({ opsState: 'Allocated', deletionPriority: 5, updatePriority: 2 });
      await eventually(async () => (await getGameServer(namespace, 'room-0')).status?.currentState === 'Ready', { description: 'room-0 Ready again' });
    } finally {
      watching = false;
      await watcher;
    }
    expect([...seen]).toEqual(['Allocated']);
  });
});
