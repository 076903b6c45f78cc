// The generated CRDs at the API server: OKG's samples and our examples are
// accepted (and defaulted as the zod schemas default them), bad specs are
// refused with the field named, by schema and CEL rules alone (no webhook).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GameServerSchema, GameServerSetSchema } from '../../src/api/index.js';
import { BAD_SPECS, VALID_GAME_SERVER_SET } from '../../src/api/fixtures/bad-specs.js';
import { manifestSamples, mergePatch, patchSamples, type JsonObject } from '../../src/api/fixtures/samples.js';
import { kubectl, runKubectl } from '../support/kubectl.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

let namespace: string;

beforeAll(async () => {
  namespace = await createTestNamespace('api-crd');
});
afterAll(async () => {
  await deleteTestNamespace(namespace);
});

/** The object in the test namespace (the samples say `namespace: default`). */
function inNamespace(object: JsonObject): JsonObject {
  return mergePatch(object, { metadata: { namespace } }) as JsonObject;
}

const schemaOf = (kind: unknown) => (kind === 'GameServer' ? GameServerSchema : GameServerSetSchema);
const plural = (kind: unknown) => (kind === 'GameServer' ? 'gameservers.game.kruise.io' : 'gameserversets.game.kruise.io');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('OKG samples and examples', () => {
  it.each(manifestSamples().map((sample) => [sample.name, sample] as const))(
    'accepts %s (server-side dry run), defaulted as zod defaults it',
    async (_name, sample) => {
      const output = await kubectl(['apply', '--dry-run=server', '-o', 'json', '-f', '-'], { input: JSON.stringify(inNamespace(sample.object)) });
      const created = JSON.parse(output) as JsonObject;
      expect(created.spec).toEqual(schemaOf(sample.object.kind).parse(sample.object).spec);
    },
  );

  it.each(patchSamples().map((sample) => [sample.name, sample] as const))('accepts the merge patch %s', async (_name, sample) => {
    const base = inNamespace(sample.base.object);
    const name = String((base.metadata as JsonObject).name);
    await kubectl(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(base) });
    const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...patch } = sample.patch;
    const output = await kubectl(['patch', plural(base.kind), name, '-n', namespace, '--type', 'merge', '--dry-run=server', '-o', 'json', '-p', JSON.stringify(patch)]);
    const patched = JSON.parse(output) as JsonObject;
    const expected = schemaOf(base.kind).parse(mergePatch(sample.base.object, sample.patch)) as { spec: unknown };
    expect(patched.spec).toEqual(expected.spec);
  });
});

describe('bad specs', () => {
  it.each(BAD_SPECS.map((bad) => [bad.name, bad] as const))('refuses %s, naming the field', async (_name, bad) => {
    const result = await runKubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(inNamespace(bad.object)) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/is invalid/);
    expect(result.stderr).toMatch(new RegExp(`(^|[\\s*:])${escape(bad.field)}: `));
    expect(result.stderr).not.toMatch(/evaluation error|compilation failed|cost/i);
    if (bad.enforcedBy === 'list-map') expect(result.stderr).toContain('Duplicate value');
  });
});

describe('network.networkType', () => {
  const gssWithNetwork = (name: string, network?: JsonObject) =>
    inNamespace(mergePatch(VALID_GAME_SERVER_SET, { metadata: { name }, spec: { network: network ?? null } }) as JsonObject);
  const patch = (name: string, spec: JsonObject) =>
    runKubectl(['patch', 'gss', name, '-n', namespace, '--type', 'merge', '--dry-run=server', '-p', JSON.stringify({ spec })]);

  beforeAll(async () => {
    await kubectl(['create', '-f', '-'], { input: JSON.stringify(gssWithNetwork('net', { networkType: 'Kubernetes-HostPort' })) });
    await kubectl(['create', '-f', '-'], { input: JSON.stringify(gssWithNetwork('no-net')) });
  });

  it('cannot be changed once set', async () => {
    const result = await patch('net', { network: { networkType: 'Kubernetes-NodePort' } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/spec\.network\.networkType: Invalid value: .*networkType cannot be changed once set/);
  });

  it('cannot be removed once set', async () => {
    const result = await patch('net', { network: null });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('spec.network.networkType');
  });

  it('leaves the rest of the spec editable', async () => {
    const result = await patch('net', { replicas: 4, network: { networkConf: [{ name: 'ContainerPorts', value: 'game:25565/TCP' }] } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('may be set later when it was never set', async () => {
    const result = await patch('no-net', { network: { networkType: 'Kubernetes-HostPort' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
