// The whole operator (both controllers): ops fields set on the GameServer, as
// OKG users do, drive the set's scale-down order.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { applySet, gameServerSet, podsReady, readSet } from './harness.js';

let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('gss-with-gs');
  operator = await startOperator({ namespaces: [namespace] });
});
afterAll(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

const patchGs = (name: string, spec: Record<string, unknown>) =>
  kubectl(['patch', 'gs', name, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec })]);

describe('GameServerSet with the GameServer controller', () => {
  it('scales down the GameServers marked WaitToBeDeleted and of highest deletionPriority', async () => {
    await applySet(namespace, gameServerSet('web', 4));
    await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-1', 'web-2', 'web-3']));
    await eventually(async () => (await kubectl(['get', 'gs', '-n', namespace, '-o', 'name'])).trim().split('\n').length === 4, {
      description: 'four GameServers',
    });
    await patchGs('web-1', { opsState: 'WaitToBeDeleted' });
    await patchGs('web-0', { deletionPriority: 100 });
    await eventually(async () => (await readSet(namespace, 'web')).status?.waitToBeDeletedReplicas === 1, { description: 'WTD counted' });
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=2']);
    const pods = await eventually(() => podsReady(namespace, 'web', ['web-2', 'web-3']), { description: 'web-0 and web-1 deleted' });
    expect(pods.size).toBe(2);
  });

  it('reclaimPolicy Delete: the GameServer outlives a pod recreate and goes when its id is scaled away', async () => {
    const set = gameServerSet('keep', 2);
    (set.spec as { gameServerTemplate: Record<string, unknown> }).gameServerTemplate.reclaimPolicy = 'Delete';
    await applySet(namespace, set);
    const before = await eventually(() => podsReady(namespace, 'keep', ['keep-0', 'keep-1']));
    const gsUid = async (name: string) => (await kubectl(['get', 'gs', name, '-n', namespace, '-o', 'jsonpath={.metadata.uid}'])).trim();
    const uid0 = await eventually(() => gsUid('keep-0'), { description: 'GameServer keep-0' });
    await kubectl(['delete', 'pod', 'keep-0', '-n', namespace, '--wait=false']);
    await eventually(async () => {
      const pods = await podsReady(namespace, 'keep', ['keep-0', 'keep-1']);
      return pods && pods.get('keep-0')?.metadata?.uid !== before.get('keep-0')?.metadata?.uid;
    });
    expect(await gsUid('keep-0')).toBe(uid0);
    await kubectl(['scale', 'gss', 'keep', '-n', namespace, '--replicas=1']);
    await eventually(() => podsReady(namespace, 'keep', ['keep-0']));
    await eventually(async () => !(await kubectl(['get', 'gs', '-n', namespace, '-o', 'name'])).includes('gameserver.game.kruise.io/keep-1'), {
      description: 'GameServer keep-1 deleted',
    });
  });

  it('updates a sidecar in place and the GameServers come back Ready', async () => {
    await applySet(namespace, gameServerSet('hot', 2, { updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }));
    const before = await eventually(() => podsReady(namespace, 'hot', ['hot-0', 'hot-1']));
    await kubectl(['patch', 'gss', 'hot', '-n', namespace, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'example.com/sidecar:0.2' }])]);
    const after = await eventually(
      async () => {
        const pods = await podsReady(namespace, 'hot', ['hot-0', 'hot-1']);
        const states = await kubectl(['get', 'gs', '-n', namespace, '-l', 'game.kruise.io/owner-gss=hot', '-o', 'jsonpath={.items[*].status.currentState}']);
        const updated =
          pods &&
          [...pods.values()].every((p) => {
            const sidecar = p.status?.containerStatuses?.find((c) => c.name === 'sidecar');
            return sidecar?.image === 'example.com/sidecar:0.2' && sidecar.restartCount >= 1;
          });
        return updated && states.trim() === 'Ready Ready' ? pods : false;
      },
      { description: 'pods updated in place, GameServers Ready', timeoutMs: 90_000 },
    );
    for (const [name, pod] of after) {
      expect(pod.metadata?.uid).toBe(before.get(name)?.metadata?.uid);
      expect(pod.status?.containerStatuses?.find((c) => c.name === 'sidecar')?.restartCount).toBe(1);
    }
  });
});
