// The write layer (src/runtime/writes.ts) against the real API server: the
// typed errors it throws come from the API server's own Status bodies (a 404
// about the object written is not a 404 about its namespace; a namespace
// being deleted refuses creates; a 422 names the field; a failed `test` op
// and a stale resourceVersion are both conflicts), and every object the
// operator writes carries its fieldManager in managedFields.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FIELD_MANAGER } from '../../src/api/constants.js';
import { GAME_SERVERS } from '../../src/controllers/shared/resources.js';
import { credentialsFromKubeConfig } from '../../src/runtime/credentials.js';
import { KubeClient } from '../../src/runtime/kube-client.js';
import type { KubeObject } from '../../src/runtime/object.js';
import { CONFIG_MAPS, NAMESPACES, PODS } from '../../src/runtime/resource.js';
import { ConflictError, DependencyNotFoundError, InvalidError, NamespaceTerminatingError, ObjectNotFoundError, WriteError } from '../../src/runtime/write-errors.js';
import { jsonPatch, mergePatch, writer } from '../../src/runtime/writes.js';
import { applySet, gameServerSet, podsReady } from '../game-server-set/harness.js';
import { adminKubeConfig, createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';

let namespace: string;
let client: KubeClient;

beforeAll(async () => {
  namespace = await createTestNamespace('writes');
  client = new KubeClient({ credentials: credentialsFromKubeConfig(adminKubeConfig()), qps: 0, fieldManager: 'writes-e2e' });
});
afterAll(async () => {
  await deleteTestNamespace(namespace);
});

const configMap = (name: string, data: Record<string, string> = {}): KubeObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

const failureOf = async (write: Promise<unknown>): Promise<WriteError> => {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WriteError)) throw new Error(`expected a WriteError, got ${String(error)}`, { cause: error });
  return error;
};

describe('404: the object written vs something it needs', () => {
  it('a patch of a deleted object is ObjectNotFoundError', async () => {
    const configMaps = writer(client, CONFIG_MAPS);
    await configMaps.create(configMap('gone'));
    await configMaps.delete(namespace, 'gone');
    const error = await failureOf(configMaps.patch(namespace, 'gone', mergePatch({ data: { a: 'b' } })));
    expect(error).toBeInstanceOf(ObjectNotFoundError);
    expect(error.message).toBe(`patch configmaps ${namespace}/gone: HTTP 404: the object is gone: configmaps "gone" not found`);
  });

  it('a status write of a deleted object is ObjectNotFoundError too', async () => {
    const error = await failureOf(writer(client, PODS).patchStatus(namespace, 'never-created', mergePatch({ status: { conditions: [] } })));
    expect(error).toBeInstanceOf(ObjectNotFoundError);
  });

  it('a create into a namespace that does not exist is DependencyNotFoundError naming the namespace', async () => {
    const missing = `${namespace}-missing`;
    const error = await failureOf(writer(client, CONFIG_MAPS).create({ ...configMap('x'), metadata: { name: 'x', namespace: missing } }));
    expect(error).toBeInstanceOf(DependencyNotFoundError);
    expect(error.failure).toEqual({ kind: 'dependencyNotFound', missing: { kind: 'namespaces', name: missing } });
  });

  it('a create into a namespace being deleted is refused as namespaceTerminating', async () => {
    const doomed = await createTestNamespace('writes-doomed');
    const configMaps = writer(client, CONFIG_MAPS);
    // A finalizer holds the namespace in Terminating until the test lets it go.
    await configMaps.create({ ...configMap('held'), metadata: { name: 'held', namespace: doomed, finalizers: ['gamekeeper.dev/e2e-hold'] } });
    await writer(client, NAMESPACES).delete(undefined, doomed);
    try {
      const error = await eventually(
        async () => {
          const failure = await failureOf(configMaps.create({ ...configMap('late'), metadata: { name: 'late', namespace: doomed } }));
          return failure.failure.kind === 'namespaceTerminating' ? failure : false;
        },
        { description: 'creates refused in the terminating namespace' },
      );
      expect(error).toBeInstanceOf(NamespaceTerminatingError);
      expect(error.code).toBe(403);
      expect(error.message).toContain('because it is being terminated');
    } finally {
      await configMaps.patch(doomed, 'held', mergePatch({ metadata: { finalizers: null } })).catch(() => undefined);
    }
  });
});

describe('conflicts and refusals', () => {
  it('a stale resourceVersion precondition and a failed test op are both ConflictError', async () => {
    const configMaps = writer(client, CONFIG_MAPS);
    const created = await configMaps.create(configMap('cas', { v: '1' }));
    await configMaps.patch(namespace, 'cas', mergePatch({ data: { v: '2' } }));
    const stale = await failureOf(configMaps.patch(namespace, 'cas', mergePatch({ data: { v: '3' } }), { precondition: { resourceVersion: created.metadata?.resourceVersion } }));
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale.failure).toEqual({ kind: 'conflict', precondition: 'resourceVersion' });
    const tested = await failureOf(
      configMaps.patch(namespace, 'cas', jsonPatch([{ op: 'test', path: '/data/v', value: '1' }, { op: 'replace', path: '/data/v', value: '3' }])),
    );
    expect(tested).toBeInstanceOf(ConflictError);
    expect(tested.failure).toEqual({ kind: 'conflict', precondition: 'test' });
  });

  it('a delete with a stale uid precondition is ConflictError', async () => {
    const configMaps = writer(client, CONFIG_MAPS);
    await configMaps.create(configMap('uid'));
    const error = await failureOf(configMaps.delete(namespace, 'uid', { precondition: { uid: '00000000-0000-0000-0000-000000000000' } }));
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('a 422 names the field the API server refused', async () => {
    const error = await failureOf(
      writer(client, GAME_SERVERS).create({
        apiVersion: 'game.kruise.io/v1alpha1',
        kind: 'GameServer',
        metadata: { name: 'bad', namespace },
        spec: { opsState: 'not a label value!' },
      } as KubeObject),
    );
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.message).toContain('spec.opsState');
  });
});

describe('fieldManager', () => {
  let operator: TestOperator;
  beforeAll(async () => {
    operator = await startOperator({ namespaces: [namespace] });
  });
  afterAll(async () => {
    await operator.stop();
  });

  const managers = async (kind: string, name: string): Promise<string[]> => {
    const object = JSON.parse(await kubectl(['get', kind, name, '-n', namespace, '--show-managed-fields', '-o', 'json'])) as { metadata: { managedFields?: { manager: string }[] } };
    return [...new Set((object.metadata.managedFields ?? []).map((entry) => entry.manager))].sort();
  };

  it(`names the operator (${FIELD_MANAGER}) in managedFields of the pods and GameServers it writes`, async () => {
    await applySet(namespace, gameServerSet('fm', 1));
    await eventually(() => podsReady(namespace, 'fm', ['fm-0']));
    await eventually(async () => (await kubectl(['get', 'gs', '-n', namespace, '-o', 'name'])).includes('fm-0'), { description: 'GameServer fm-0' });
    await eventually(async () => (await managers('pod', 'fm-0')).includes(FIELD_MANAGER), { description: `pod fm-0 managed by ${FIELD_MANAGER}` });
    // The GameServer is the operator's alone: it creates it and writes its status.
    await eventually(async () => JSON.stringify(await managers('gs', 'fm-0')) === JSON.stringify([FIELD_MANAGER]), { description: `GameServer fm-0 managed by ${FIELD_MANAGER} only` });
  });
});
