// What an OKG user sees with kubectl: short names, OKG's columns, explain
// texts, and `kubectl scale` through the scale subresource.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VALID_GAME_SERVER, VALID_GAME_SERVER_SET } from '../../src/api/fixtures/bad-specs.js';
import { mergePatch } from '../../src/api/fixtures/samples.js';
import { eventually } from '../support/eventually.js';
import { kubectl, runKubectl } from '../support/kubectl.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

let namespace: string;

beforeAll(async () => {
  namespace = await createTestNamespace('api-kubectl');
  const create = (object: unknown) => kubectl(['create', '-n', namespace, '-f', '-'], { input: JSON.stringify(object) });
  await create(mergePatch(VALID_GAME_SERVER_SET, { metadata: { name: 'columns' } }));
  await create(mergePatch(VALID_GAME_SERVER, { metadata: { name: 'columns-0' } }));
  await create(mergePatch(VALID_GAME_SERVER_SET, { metadata: { name: 'scaled' }, spec: { replicas: 1 } }));
});
afterAll(async () => {
  await deleteTestNamespace(namespace);
});

const headers = (table: string) => (table.split('\n')[0] ?? '').trim().split(/\s+/);

describe('kubectl get', () => {
  it("prints OKG's GameServer columns", async () => {
    expect(headers(await kubectl(['get', 'gs', '-n', namespace]))).toEqual(['NAME', 'STATE', 'OPSSTATE', 'DP', 'UP', 'AGE']);
  });

  it("prints OKG's GameServerSet columns", async () => {
    expect(headers(await kubectl(['get', 'gss', '-n', namespace]))).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'UPDATED',
      'READY',
      'MAINTAINING',
      'WAITTOBEDELETED',
      'PREDELETE',
      'AGE',
    ]);
  });

  it('prints more with -o wide', async () => {
    expect(headers(await kubectl(['get', 'gss', '-n', namespace, '-o', 'wide']))).toEqual(expect.arrayContaining(['AVAILABLE', 'UPDATEDREADY']));
    expect(headers(await kubectl(['get', 'gs', '-n', namespace, '-o', 'wide']))).toContain('NETWORK');
  });

  it('shows the defaulted opsState of a new GameServer', async () => {
    const row = (await kubectl(['get', 'gs', 'columns-0', '-n', namespace, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 1)).toEqual(['columns-0']);
    expect(row).toContain('None');
  });

  it('lists both kinds under their full names and the game category', async () => {
    const names = await kubectl(['get', 'game', '-n', namespace, '-o', 'name']);
    expect(names.trim().split('\n').sort()).toEqual(
      expect.arrayContaining(['gameserver.game.kruise.io/columns-0', 'gameserverset.game.kruise.io/columns']),
    );
    await kubectl(['get', 'gameserversets.game.kruise.io,gameservers.game.kruise.io', '-n', namespace]);
  });
});

describe('kubectl explain', () => {
  it('teaches gss.spec.updateStrategy.rollingUpdate', async () => {
    const text = await kubectl(['explain', 'gss.spec.updateStrategy.rollingUpdate']);
    expect(text).toMatch(/updatePriority order/);
    for (const field of ['partition', 'maxUnavailable', 'podUpdatePolicy', 'paused', 'inPlaceUpdateStrategy', 'minReadySeconds']) {
      expect(text).toContain(field);
    }
    expect(text).toMatch(/Number of game servers left on the old revision/);
  });

  it('teaches gs.spec.opsState', async () => {
    expect(await kubectl(['explain', 'gs.spec.opsState'])).toMatch(/WaitToBeDeleted/);
  });
});

describe('kubectl scale', () => {
  it('changes spec.replicas through the scale subresource', async () => {
    await kubectl(['scale', 'gss', 'scaled', '-n', namespace, '--replicas=5']);
    await eventually(async () => (await kubectl(['get', 'gss', 'scaled', '-n', namespace, '-o', 'jsonpath={.spec.replicas}'])) === '5', {
      description: 'spec.replicas of gss/scaled to become 5',
      timeoutMs: 30_000,
    });
    const scale = JSON.parse(
      await kubectl(['get', '--raw', `/apis/game.kruise.io/v1alpha1/namespaces/${namespace}/gameserversets/scaled/scale`]),
    ) as { kind: string; spec: { replicas: number } };
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 5 } });
  });

  it('refuses a negative replica count written to the scale subresource', async () => {
    const result = await runKubectl(['patch', 'gss', 'scaled', '-n', namespace, '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('spec.replicas');
  });
});
