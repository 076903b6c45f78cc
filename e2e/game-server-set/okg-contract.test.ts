// The rest of OKG's GameServer contract, with the whole operator: a
// GameServer whose id is back in the set loses gs-deleting=true, and the
// set's template metadata reaches existing GameServers when it changes.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { applySet, gameServerSet, patchSet, podsReady } from './harness.js';

let namespace: string;
let operator: TestOperator;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-okg');
  operator = await startOperator({ namespaces: [namespace] });
});
afterEach(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

interface GameServerObject {
  metadata: { uid: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { opsState?: string };
}

async function gameServer(name: string): Promise<GameServerObject> {
  return JSON.parse(await kubectl(['get', 'gs', name, '-n', namespace, '-o', 'json'])) as GameServerObject;
}

describe('OKG GameServer contract', () => {
  it('gs-deleting=true on a GameServer whose id is in the set is reset to "false" (OKG SyncGameServer), keeping its ops fields', async () => {
    const set = gameServerSet('web', 1);
    (set.spec as { gameServerTemplate: Record<string, unknown> }).gameServerTemplate.reclaimPolicy = 'Delete';
    await applySet(namespace, set);
    await eventually(() => podsReady(namespace, 'web', ['web-0']));
    const before = await eventually(() => gameServer('web-0'));
    await kubectl(['patch', 'gs', 'web-0', '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { opsState: 'Allocated' } })]);
    await kubectl(['label', 'gs', 'web-0', '-n', namespace, '--overwrite', 'game.kruise.io/gs-deleting=true']);
    const after = await eventually(async () => {
      const gs = await gameServer('web-0');
      return gs.metadata.labels?.['game.kruise.io/gs-deleting'] === 'false' ? gs : false;
    }, { description: 'gs-deleting reset to false' });
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.spec.opsState).toBe('Allocated');
  });

  it('gameServerTemplate.metadata labels and annotations reach an existing GameServer when they change (gsTemplate-metadata-hash)', async () => {
    // OnDelete: the template change must not re-create the pod (and with it a Cascade GameServer).
    await applySet(namespace, gameServerSet('web', 1, { updateStrategy: { type: 'OnDelete' } }));
    await eventually(() => podsReady(namespace, 'web', ['web-0']));
    const before = await eventually(async () => {
      const gs = await gameServer('web-0');
      return gs.metadata.annotations?.['game.kruise.io/gsTemplate-metadata-hash'] ? gs : false;
    }, { description: 'GameServer created with the template hash' });
    expect(before.metadata.labels?.app).toBe('web');
    await patchSet(namespace, 'web', { spec: { gameServerTemplate: { metadata: { labels: { tier: 'gold' }, annotations: { 'example.com/note': 'changed' } } } } });
    const after = await eventually(async () => {
      const gs = await gameServer('web-0');
      return gs.metadata.labels?.tier === 'gold' && gs.metadata.annotations?.['example.com/note'] === 'changed' ? gs : false;
    }, { description: 'template metadata on the existing GameServer' });
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.annotations?.['game.kruise.io/gsTemplate-metadata-hash']).not.toBe(before.metadata.annotations?.['game.kruise.io/gsTemplate-metadata-hash']);
  });
});
