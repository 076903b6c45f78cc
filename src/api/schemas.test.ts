import { describe, expect, it } from '@jest/globals';
import { BAD_SPECS, VALID_GAME_SERVER, VALID_GAME_SERVER_SET } from './fixtures/bad-specs.js';
import { manifestSamples, mergePatch, patchSamples } from './fixtures/samples.js';
import { GameServerSetSchema } from './game-server-set.js';
import { GameServerSchema } from './game-server.js';
import { fieldPath, parseGameServer, parseGameServerSet } from './parse.js';

const schemaOf = (kind: unknown) => (kind === 'GameServer' ? GameServerSchema : GameServerSetSchema);

describe('OKG samples and examples', () => {
  const samples = manifestSamples();

  it('finds the seed samples and the examples', () => {
    const names = samples.map((sample) => sample.name);
    expect(names).toEqual(expect.arrayContaining(['okg/idle.yaml#0', 'okg/healthy.yaml#0', 'okg/hot-update.yaml#0', 'okg/on-delete.yaml#0']));
    expect(names).toEqual(expect.arrayContaining(['examples/minecraft.yaml#0', 'examples/game-server.yaml#0']));
  });

  it.each(samples.map((sample) => [sample.name, sample] as const))('accepts %s', (_name, sample) => {
    const result = schemaOf(sample.object.kind).safeParse(sample.object);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it.each(patchSamples().map((sample) => [sample.name, sample] as const))('accepts %s merged onto its base', (_name, sample) => {
    const patched = mergePatch(sample.base.object, sample.patch) as { kind: unknown };
    const result = schemaOf(patched.kind).safeParse(patched);
    expect(result.error?.issues ?? []).toEqual([]);
  });
});

describe('bad specs', () => {
  it.each(BAD_SPECS.map((bad) => [bad.name, bad] as const))('refuses %s, naming the field', (_name, bad) => {
    const result = schemaOf(bad.object.kind).safeParse(bad.object);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => fieldPath(issue.path))).toContain(bad.field);
  });

  it('starts from valid objects', () => {
    expect(GameServerSetSchema.safeParse(VALID_GAME_SERVER_SET).success).toBe(true);
    expect(GameServerSchema.safeParse(VALID_GAME_SERVER).success).toBe(true);
  });
});

describe('defaults', () => {
  it("fills a GameServerSet spec with OKG's defaults", () => {
    const gss = GameServerSetSchema.parse(VALID_GAME_SERVER_SET);
    expect(gss.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(gss.spec.scaleStrategy).toEqual({ scaleDownStrategyType: 'General' });
    expect(gss.spec.gameServerTemplate.reclaimPolicy).toBe('Cascade');
    expect(gss.spec.podManagementPolicy).toBe('Parallel');
    expect(gss.spec.revisionHistoryLimit).toBe(10);
    expect(gss.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  it('fills a given rollingUpdate, and probe timings of a service quality', () => {
    const gss = GameServerSetSchema.parse(
      mergePatch(VALID_GAME_SERVER_SET, {
        spec: { updateStrategy: { rollingUpdate: {} }, serviceQualities: [{ name: 'idle', exec: { command: ['true'] } }] },
      }),
    );
    expect(gss.spec.updateStrategy.rollingUpdate).toEqual({
      partition: 0,
      maxUnavailable: 1,
      podUpdatePolicy: 'ReCreate',
      paused: false,
      minReadySeconds: 0,
    });
    expect(gss.spec.serviceQualities?.[0]).toMatchObject({
      permanent: false,
      initialDelaySeconds: 10,
      timeoutSeconds: 5,
      periodSeconds: 3,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('sets no ops field in a service-quality action that does not name it', () => {
    const gss = GameServerSetSchema.parse(
      mergePatch(VALID_GAME_SERVER_SET, {
        spec: { serviceQualities: [{ name: 'idle', exec: { command: ['true'] }, serviceQualityAction: [{ state: true, opsState: 'None' }] }] },
      }),
    );
    expect(gss.spec.serviceQualities?.[0]?.serviceQualityAction).toEqual([{ state: true, opsState: 'None' }]);
  });

  it('fills a GameServer spec as OKG creates it, even when spec is absent', () => {
    const { spec: _spec, ...withoutSpec } = VALID_GAME_SERVER;
    expect(GameServerSchema.parse(withoutSpec).spec).toEqual({ opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false });
  });
});

describe('parseGameServerSet / parseGameServer', () => {
  it('returns the typed object', () => {
    const result = parseGameServerSet({ ...VALID_GAME_SERVER_SET, metadata: { name: 'x', namespace: 'ns', managedFields: [{}] } });
    expect(result).toMatchObject({ ok: true, value: { metadata: { name: 'x', managedFields: [{}] }, spec: { replicas: 1 } } });
  });

  it('names the object and every bad field', () => {
    const result = parseGameServerSet(
      mergePatch(VALID_GAME_SERVER_SET, {
        metadata: { namespace: 'ns' },
        spec: { replicas: -1, updateStrategy: { rollingUpdate: { maxUnavailable: '150%' } } },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^GameServerSet ns\/bad is invalid: /);
    expect(result.error).toContain('spec.replicas: Too small');
    expect(result.error).toMatch(/spec\.updateStrategy\.rollingUpdate\.maxUnavailable: Invalid string: must match pattern/);
  });

  it('reports a reversed reserve range in words', () => {
    const result = parseGameServerSet(mergePatch(VALID_GAME_SERVER_SET, { spec: { reserveGameServerIds: ['7-5'] } }));
    expect(result).toEqual({ ok: false, error: 'GameServerSet bad is invalid: spec.reserveGameServerIds[0]: range "7-5" is reversed: write "5-7"' });
  });

  it('refuses a GameServerSet given as a GameServer, and a non-object', () => {
    expect(parseGameServer(VALID_GAME_SERVER_SET)).toMatchObject({ ok: false, error: expect.stringContaining('kind') });
    expect(parseGameServer(null)).toMatchObject({ ok: false, error: expect.stringMatching(/^GameServer \(not an object\) is invalid/) });
  });

  it('keeps timestamps as RFC 3339 strings', () => {
    const result = parseGameServer({
      ...VALID_GAME_SERVER,
      metadata: { name: 'a', creationTimestamp: '2026-11-23T09:00:00Z' },
      status: { currentState: 'Ready', lastTransitionTime: '2026-11-23T09:00:01Z', deletionPriority: '5' },
    });
    expect(result).toMatchObject({ ok: true, value: { status: { currentState: 'Ready', deletionPriority: '5' } } });
  });
});
