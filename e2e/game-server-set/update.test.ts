// Updating a GameServerSet's template as a user would with kubectl: in place
// (a sidecar image: same pods, one restart), by recreating, and OnDelete.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import {
  applySet,
  containerStatus,
  gameServerSet,
  isReady,
  livePods,
  patchSet,
  podsReady,
  readSet,
  startSetController,
  uids,
  type SetController,
} from './harness.js';

let namespace: string;
let controller: SetController;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-update');
  controller = startSetController([namespace]);
});
afterEach(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

const names = (...ordinals: number[]) => ordinals.map((o) => `web-${o}`);
const revisionOf = (pod: V1Pod | undefined) => pod?.metadata?.labels?.['controller-revision-hash'];
const sidecarImage = (pod: V1Pod | undefined) => pod?.spec?.containers.find((c) => c.name === 'sidecar')?.image;
const setSidecar = (image: string) => [{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: image }];

async function updatedSet(name: string): Promise<{ updateRevision: string; pods: Map<string, V1Pod> }> {
  const set = await readSet(namespace, name);
  const status = set.status;
  if (status?.observedGeneration !== set.metadata.generation || !status.updateRevision) throw new Error('status not caught up');
  return { updateRevision: status.updateRevision, pods: await livePods(namespace, name) };
}

describe('GameServerSet updates', () => {
  it('InPlaceIfPossible: a sidecar image change restarts only the sidecar, pods keep their UIDs', async () => {
    await applySet(namespace, gameServerSet('web', 3, { updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)));
    const oldRevision = revisionOf(before.get('web-0'));
    await patchSet(namespace, 'web', setSidecar('example.com/sidecar:0.2'), 'json');
    const after = await eventually(
      async () => {
        const { updateRevision, pods } = await updatedSet('web');
        if (updateRevision === oldRevision || pods.size !== 3) return false;
        const done = [...pods.values()].every(
          (p) =>
            revisionOf(p) === updateRevision &&
            isReady(p) &&
            containerStatus(p, 'sidecar')?.image === 'example.com/sidecar:0.2' &&
            (containerStatus(p, 'sidecar')?.restartCount ?? 0) >= 1 &&
            p.status?.conditions?.find((c) => c.type === 'InPlaceUpdateReady')?.status === 'True',
        );
        return done ? { updateRevision, pods } : false;
      },
      { description: 'every pod updated in place', timeoutMs: 90_000 },
    );
    expect(uids(after.pods)).toEqual(uids(before));
    for (const pod of after.pods.values()) {
      expect(containerStatus(pod, 'sidecar')?.restartCount).toBe(1);
      expect(containerStatus(pod, 'game')?.restartCount).toBe(0);
      expect(pod.metadata?.labels?.['lifecycle.apps.kruise.io/state']).toBe('Normal');
      const state = JSON.parse(pod.metadata?.annotations?.['apps.kruise.io/inplace-update-state'] ?? '{}') as { revision?: string };
      expect(state.revision).toBe(after.updateRevision);
    }
    const status = await eventually(async () => {
      const s = (await readSet(namespace, 'web')).status;
      return s?.updatedReadyReplicas === 3 && s.currentRevision === after.updateRevision ? s : false;
    });
    expect(status).toMatchObject({ updatedReplicas: 3, readyReplicas: 3, updateRevision: after.updateRevision });
  });

  it('ReCreate: pods are deleted and recreated on the new revision, keeping their ids', async () => {
    await applySet(namespace, gameServerSet('web', 3, { updateStrategy: { rollingUpdate: { maxUnavailable: '50%' } } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)));
    await patchSet(namespace, 'web', setSidecar('example.com/sidecar:0.2'), 'json');
    const after = await eventually(
      async () => {
        const { updateRevision, pods } = await updatedSet('web');
        const ready = await podsReady(namespace, 'web', names(0, 1, 2));
        if (!ready) return false;
        // Ready can come before the fake kubelet reports container statuses: wait for those too.
        const done = [...pods.values()].every(
          (p) => revisionOf(p) === updateRevision && sidecarImage(p) === 'example.com/sidecar:0.2' && containerStatus(p, 'sidecar')?.restartCount !== undefined,
        );
        return done ? pods : false;
      },
      { description: 'every pod recreated, its container statuses reported', timeoutMs: 90_000 },
    );
    for (const name of names(0, 1, 2)) {
      expect(after.get(name)?.metadata?.uid).not.toBe(before.get(name)?.metadata?.uid);
      expect(containerStatus(after.get(name)!, 'sidecar')?.restartCount).toBe(0);
    }
  });

  it('partition keeps that many pods on the old revision, highest updatePriority updated first', async () => {
    await applySet(namespace, gameServerSet('web', 4, { updateStrategy: { rollingUpdate: { partition: 2, podUpdatePolicy: 'InPlaceIfPossible' } } }));
    await eventually(() => podsReady(namespace, 'web', names(0, 1, 2, 3)));
    await kubectl(['label', 'pod', 'web-0', '-n', namespace, 'game.kruise.io/gs-update-priority=10', '--overwrite']);
    await patchSet(namespace, 'web', setSidecar('example.com/sidecar:0.2'), 'json');
    const result = await eventually(
      async () => {
        const { updateRevision, pods } = await updatedSet('web');
        const updated = [...pods.values()].filter((p) => revisionOf(p) === updateRevision && isReady(p) && containerStatus(p, 'sidecar')?.image === 'example.com/sidecar:0.2');
        return updated.length === 2 ? updated.map((p) => p.metadata?.name).sort() : false;
      },
      { description: 'two pods updated', timeoutMs: 90_000 },
    );
    // web-0 first (priority 10), then the highest ordinal.
    expect(result).toEqual(['web-0', 'web-3']);
    const status = await eventually(async () => {
      const s = (await readSet(namespace, 'web')).status;
      return s?.updatedReadyReplicas === 2 ? s : false;
    });
    expect(status.updatedReplicas).toBe(2);
  });

  it('OnDelete: nothing restarts until a pod is deleted, which comes back on the new revision', async () => {
    await applySet(namespace, gameServerSet('web', 3, { updateStrategy: { type: 'OnDelete' } }));
    const before = await eventually(() => podsReady(namespace, 'web', names(0, 1, 2)));
    const oldRevision = revisionOf(before.get('web-0'));
    await patchSet(namespace, 'web', setSidecar('example.com/sidecar:0.2'), 'json');
    const { updateRevision } = await eventually(async () => {
      const seen = await updatedSet('web');
      return seen.updateRevision !== oldRevision ? seen : false;
    });
    const status = (await readSet(namespace, 'web')).status;
    expect(status).toMatchObject({ updatedReplicas: 0, currentRevision: oldRevision, updateRevision });
    let pods = await livePods(namespace, 'web');
    expect(uids(pods)).toEqual(uids(before));
    expect([...pods.values()].map(sidecarImage)).toEqual(['example.com/sidecar:0.1', 'example.com/sidecar:0.1', 'example.com/sidecar:0.1']);

    await kubectl(['delete', 'pod', 'web-1', '-n', namespace, '--wait=false']);
    pods = await eventually(
      async () => {
        const ready = await podsReady(namespace, 'web', names(0, 1, 2));
        return ready && ready.get('web-1')?.metadata?.uid !== before.get('web-1')?.metadata?.uid ? ready : false;
      },
      { description: 'web-1 recreated' },
    );
    expect(revisionOf(pods.get('web-1'))).toBe(updateRevision);
    expect(sidecarImage(pods.get('web-1'))).toBe('example.com/sidecar:0.2');
    expect(pods.get('web-0')?.metadata?.uid).toBe(before.get('web-0')?.metadata?.uid);
    expect(revisionOf(pods.get('web-0'))).toBe(oldRevision);
    await eventually(async () => (await readSet(namespace, 'web')).status?.updatedReplicas === 1);
  });
});
