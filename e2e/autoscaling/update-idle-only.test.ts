// gamekeeper.dev/update-ops-states: a rolling update replaces (or updates in
// place) only rooms whose opsState is listed, and picks up the others as they
// become idle during the update.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applySet, containerStatus, gameServerSet, livePods, patchSet, readSet } from '../game-server-set/harness.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';

let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('idle-update');
  operator = await startOperator({ namespaces: [namespace] });
});
afterAll(async () => {
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

const ONLY = 'gamekeeper.dev/update-ops-states';
const patchGs = (name: string, opsState: string) => kubectl(['patch', 'gs', name, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { opsState } })]);
const sidecarImage = (pod: Awaited<ReturnType<typeof livePods>> extends Map<string, infer P> ? P : never) => pod.spec?.containers.find((c) => c.name === 'sidecar')?.image;

async function startSet(name: string, rollingUpdate: Record<string, unknown>): Promise<Map<string, string | undefined>> {
  const set = gameServerSet(name, 3, { updateStrategy: { rollingUpdate: { maxUnavailable: '100%', ...rollingUpdate } } });
  (set.metadata as Record<string, unknown>).annotations = { [ONLY]: 'None,WaitToBeDeleted' };
  await applySet(namespace, set);
  await eventually(async () => (await readSet(namespace, name)).status?.readyReplicas === 3, { description: 'three Ready rooms' });
  await eventually(async () => (await kubectl(['get', 'gs', '-n', namespace, '-l', `game.kruise.io/owner-gss=${name}`, '-o', 'name'])).trim().split('\n').length === 3);
  await patchGs(`${name}-0`, 'Allocated');
  await eventually(async () => (await livePods(namespace, name)).get(`${name}-0`)?.metadata?.labels?.['game.kruise.io/gs-opsState'] === 'Allocated', { description: 'Allocated on the pod' });
  return new Map([...(await livePods(namespace, name))].map(([podName, pod]) => [podName, pod.metadata?.uid]));
}

describe('update idle rooms only', () => {
  it('ReCreate: idle rooms are replaced, the Allocated room waits and is replaced once idle', async () => {
    const before = await startSet('rc', {});
    await patchSet(namespace, 'rc', [{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'example.com/sidecar:0.2' }], 'json');
    await eventually(
      async () => {
        const pods = await livePods(namespace, 'rc');
        return ['rc-1', 'rc-2'].every((n) => pods.get(n) !== undefined && pods.get(n)?.metadata?.uid !== before.get(n) && sidecarImage(pods.get(n)!) === 'example.com/sidecar:0.2');
      },
      { description: 'rc-1 and rc-2 recreated on the new image' },
    );
    await eventually(async () => (await readSet(namespace, 'rc')).status?.updatedReadyReplicas === 2, { description: 'two rooms updated and Ready' });
    const allocated = (await livePods(namespace, 'rc')).get('rc-0')!;
    expect(allocated.metadata?.uid).toBe(before.get('rc-0'));
    expect(sidecarImage(allocated)).toBe('example.com/sidecar:0.1');

    await patchGs('rc-0', 'None');
    await eventually(
      async () => {
        const pod = (await livePods(namespace, 'rc')).get('rc-0');
        return pod !== undefined && pod.metadata?.uid !== before.get('rc-0') && sidecarImage(pod) === 'example.com/sidecar:0.2';
      },
      { description: 'rc-0 recreated once idle' },
    );
    await eventually(async () => (await readSet(namespace, 'rc')).status?.updatedReadyReplicas === 3, { description: 'all three updated' });
  });

  it('in place: the Allocated room keeps running its old sidecar until it becomes WaitToBeDeleted', async () => {
    const before = await startSet('ip', { podUpdatePolicy: 'InPlaceIfPossible' });
    await patchSet(namespace, 'ip', [{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'example.com/sidecar:0.2' }], 'json');
    await eventually(
      async () => {
        const pods = await livePods(namespace, 'ip');
        return ['ip-1', 'ip-2'].every((n) => containerStatus(pods.get(n)!, 'sidecar')?.image === 'example.com/sidecar:0.2');
      },
      { timeoutMs: 90_000, description: 'ip-1 and ip-2 updated in place' },
    );
    await eventually(async () => (await readSet(namespace, 'ip')).status?.updatedReadyReplicas === 2, { description: 'two rooms updated and Ready' });
    let pods = await livePods(namespace, 'ip');
    expect(containerStatus(pods.get('ip-0')!, 'sidecar')).toMatchObject({ image: 'example.com/sidecar:0.1', restartCount: 0 });

    await patchGs('ip-0', 'WaitToBeDeleted');
    await eventually(async () => containerStatus((await livePods(namespace, 'ip')).get('ip-0')!, 'sidecar')?.image === 'example.com/sidecar:0.2', {
      timeoutMs: 90_000,
      description: 'ip-0 updated in place once idle',
    });
    pods = await livePods(namespace, 'ip');
    for (const [name, uid] of before) expect(pods.get(name)?.metadata?.uid).toBe(uid);
  });
});
