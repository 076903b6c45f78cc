// volumeClaimTemplates: a claim per pod, kept across a recreate, removed per
// persistentVolumeClaimRetentionPolicy. Nothing provisions volumes in this
// cluster, so the pods stay Pending: the tests look at claims only.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { core, applySet, gameServerSet, livePods, patchSet, readSet, sorted, startSetController, type SetController } from './harness.js';

let namespace: string;
let controller: SetController;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-claims');
  controller = startSetController([namespace]);
});
afterEach(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

function withClaims(name: string, replicas: number, retention?: Record<string, string>): Record<string, unknown> {
  const set = gameServerSet(name, replicas, retention ? { persistentVolumeClaimRetentionPolicy: retention } : {});
  const spec = set.spec as { gameServerTemplate: Record<string, unknown> };
  spec.gameServerTemplate.volumeClaimTemplates = [claimTemplate];
  return set;
}

async function claimNames(): Promise<string[]> {
  const list = await core().listNamespacedPersistentVolumeClaim({ namespace });
  return sorted(list.items.filter((c) => !c.metadata?.deletionTimestamp).map((c) => c.metadata?.name ?? ''));
}

describe('GameServerSet claims', () => {
  it('creates a claim per pod, mounts it, and keeps it when the pod is recreated (Retain)', async () => {
    await applySet(namespace, withClaims('db', 2));
    const pods = await eventually(async () => {
      const live = await livePods(namespace, 'db');
      return live.size === 2 ? live : false;
    });
    expect(await claimNames()).toEqual(['data-db-0', 'data-db-1']);
    const volume = pods.get('db-0')?.spec?.volumes?.find((v) => v.name === 'data');
    expect(volume?.persistentVolumeClaim?.claimName).toBe('data-db-0');
    const claim = await core().readNamespacedPersistentVolumeClaim({ namespace, name: 'data-db-0' });
    expect(claim.metadata?.labels?.['game.kruise.io/owner-gss']).toBe('db');
    expect(claim.metadata?.ownerReferences ?? []).toEqual([]);

    const uid = pods.get('db-1')?.metadata?.uid;
    await kubectl(['delete', 'pod', 'db-1', '-n', namespace, '--wait=false']);
    await eventually(async () => {
      const live = await livePods(namespace, 'db');
      return live.has('db-1') && live.get('db-1')?.metadata?.uid !== uid;
    });
    const kept = await core().readNamespacedPersistentVolumeClaim({ namespace, name: 'data-db-1' });
    expect(kept.metadata?.deletionTimestamp).toBeUndefined();

    await patchSet(namespace, 'db', { spec: { replicas: 1 } });
    await eventually(async () => (await livePods(namespace, 'db')).size === 1);
    expect(await claimNames()).toEqual(['data-db-0', 'data-db-1']);
  });

  it('deletes the claims of scaled-away ids (whenScaled Delete) and owns them for whenDeleted Delete', async () => {
    await applySet(namespace, withClaims('db', 3, { whenScaled: 'Delete', whenDeleted: 'Delete' }));
    await eventually(async () => (await claimNames()).length === 3);
    const set = await readSet(namespace, 'db');
    const claim = await core().readNamespacedPersistentVolumeClaim({ namespace, name: 'data-db-2' });
    expect(claim.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'GameServerSet', name: 'db', uid: set.metadata.uid })]);
    await patchSet(namespace, 'db', { spec: { replicas: 1 } });
    await eventually(async () => JSON.stringify(await claimNames()) === JSON.stringify(['data-db-0']), { description: 'claims of db-1 and db-2 deleted' });
  });
});
