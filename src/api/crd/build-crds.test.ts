import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { BAD_SPECS } from '../fixtures/bad-specs.js';
import { manifestSamples, mergePatch, patchSamples, type JsonObject } from '../fixtures/samples.js';
import { GameServerSetSchema } from '../game-server-set.js';
import { GameServerSchema } from '../game-server.js';
import { buildCrdFiles, buildGameServerCrd, buildGameServerSetCrd, renderCrdYaml, type CustomResourceDefinition } from './build-crds.js';
import { undocumentedFields, type JsonSchema } from './structural.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Every place the generated CRDs are committed: kustomize-style config and the Helm chart. */
const CRD_DIRS = [join(ROOT, 'config', 'crd'), join(ROOT, 'charts', 'gamekeeper', 'files', 'crds')];
const crds = { GameServerSet: buildGameServerSetCrd(), GameServer: buildGameServerCrd() };
const version = (crd: CustomResourceDefinition) => crd.spec.versions[0]!;
const rootSchema = (kind: string) => version(crds[kind as keyof typeof crds]).schema.openAPIV3Schema;

describe('committed CRDs', () => {
  const cases = CRD_DIRS.flatMap((dir) => [...buildCrdFiles()].map(([file, crd]) => [join(dir, file).slice(ROOT.length + 1), crd] as const));
  it.each(cases)('%s is up to date (else run npm run gen:crds)', (path, crd) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(renderCrdYaml(crd));
  });

  it.each(CRD_DIRS.map((dir) => [dir.slice(ROOT.length + 1)]))('%s holds only the generated files', (dir) => {
    expect(readdirSync(join(ROOT, dir)).sort()).toEqual([...buildCrdFiles().keys()].sort());
  });
});

describe('CRD definitions', () => {
  it('names GameServerSet gss and GameServer gs, namespaced, in game.kruise.io/v1alpha1', () => {
    expect(crds.GameServerSet.metadata.name).toBe('gameserversets.game.kruise.io');
    expect(crds.GameServerSet.spec.names).toMatchObject({ kind: 'GameServerSet', plural: 'gameserversets', shortNames: ['gss'] });
    expect(crds.GameServer.metadata.name).toBe('gameservers.game.kruise.io');
    expect(crds.GameServer.spec.names).toMatchObject({ kind: 'GameServer', plural: 'gameservers', shortNames: ['gs'] });
    for (const crd of Object.values(crds)) {
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.names.categories.length).toBeGreaterThan(0);
      expect(version(crd)).toMatchObject({ name: 'v1alpha1', served: true, storage: true });
    }
  });

  it('gives both kinds a status subresource and GameServerSet a scale subresource', () => {
    expect(version(crds.GameServer).subresources).toEqual({ status: {} });
    expect(version(crds.GameServerSet).subresources).toEqual({
      status: {},
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' },
    });
  });

  const defaultColumns = (crd: CustomResourceDefinition) =>
    version(crd)
      .additionalPrinterColumns.filter((c) => (c.priority ?? 0) === 0)
      .map((c) => `${c.name.toUpperCase()}=${c.jsonPath}`);

  it("prints OKG's GameServer columns", () => {
    expect(defaultColumns(crds.GameServer)).toEqual([
      'STATE=.status.currentState',
      'OPSSTATE=.spec.opsState',
      'DP=.status.deletionPriority',
      'UP=.status.updatePriority',
      'AGE=.metadata.creationTimestamp',
    ]);
  });

  it("prints OKG's GameServerSet columns, extra ones only with -o wide", () => {
    expect(defaultColumns(crds.GameServerSet)).toEqual([
      'DESIRED=.spec.replicas',
      'CURRENT=.status.currentReplicas',
      'UPDATED=.status.updatedReplicas',
      'READY=.status.readyReplicas',
      'MAINTAINING=.status.maintainingReplicas',
      'WAITTOBEDELETED=.status.waitToBeDeletedReplicas',
      'PREDELETE=.status.preDeleteReplicas',
      'AGE=.metadata.creationTimestamp',
    ]);
    expect(version(crds.GameServerSet).additionalPrinterColumns.filter((c) => c.priority === 1).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(crds))('documents every field of %s', (kind) => {
    expect(undocumentedFields(rootSchema(kind)).filter((f) => f !== '<root>.metadata')).toEqual([]);
  });

  it('explains rollingUpdate and its fields', () => {
    const rollingUpdate = schemaAt(rootSchema('GameServerSet'), 'spec.updateStrategy.rollingUpdate');
    expect(rollingUpdate.description).toMatch(/updatePriority/);
    const fields = rollingUpdate.properties as Record<string, JsonSchema>;
    expect(Object.keys(fields).sort()).toEqual(['inPlaceUpdateStrategy', 'maxUnavailable', 'minReadySeconds', 'partition', 'paused', 'podUpdatePolicy']);
    expect(fields.partition?.description).toMatch(/old revision/);
  });

  it('forbids changing network.networkType with a transition rule on spec', () => {
    const rules = schemaAt(rootSchema('GameServerSet'), 'spec')['x-kubernetes-validations'] as Array<{ rule: string; fieldPath?: string }>;
    expect(rules).toEqual([expect.objectContaining({ fieldPath: '.network.networkType', rule: expect.stringContaining('oldSelf.network.networkType') })]);
  });

  it.each(BAD_SPECS.filter((bad) => bad.enforcedBy !== 'schema').map((bad) => [bad.name, bad] as const))(
    'carries the rule refusing %s',
    (_name, bad) => {
      const field = schemaAt(rootSchema(String(bad.object.kind)), bad.field);
      const parent = schemaAt(rootSchema(String(bad.object.kind)), bad.field.replace(/(\.[^.[\]]+|\[\d+\])$/, ''));
      if (bad.enforcedBy === 'list-map') expect(parent['x-kubernetes-list-type']).toBe('map');
      else expect([field, parent].some((node) => Array.isArray(node['x-kubernetes-validations']))).toBe(true);
    },
  );
});

describe('the generated OpenAPI schema (ajv)', () => {
  const ajv = new Ajv({ allErrors: true, strictTypes: false, useDefaults: true });
  // ajv-formats is CommonJS: its default import is the plugin or a namespace holding it.
  const formats = addFormatsModule as unknown as FormatsPlugin | { default: FormatsPlugin };
  const addFormats = 'default' in formats ? formats.default : formats;
  addFormats(ajv);
  for (const keyword of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-validations']) {
    ajv.addKeyword(keyword);
  }
  const validators = Object.fromEntries(Object.keys(crds).map((kind) => [kind, ajv.compile(rootSchema(kind))]));
  const validate = (object: JsonObject) => {
    const copy = structuredClone(object);
    const ok = validators[String(object.kind)]!(copy);
    return { ok, copy, errors: validators[String(object.kind)]!.errors ?? [] };
  };

  it.each(manifestSamples().map((sample) => [sample.name, sample] as const))('accepts %s', (_name, sample) => {
    expect(validate(sample.object).errors).toEqual([]);
  });

  it.each(patchSamples().map((sample) => [sample.name, sample] as const))('accepts %s merged onto its base', (_name, sample) => {
    expect(validate(mergePatch(sample.base.object, sample.patch) as JsonObject).errors).toEqual([]);
  });

  it.each(manifestSamples().map((sample) => [sample.name, sample] as const))('defaults %s as zod does', (_name, sample) => {
    const { copy } = validate(sample.object);
    const schema = sample.object.kind === 'GameServer' ? GameServerSchema : GameServerSetSchema;
    expect(copy.spec).toEqual(schema.parse(sample.object).spec);
  });

  it.each(BAD_SPECS.filter((bad) => bad.enforcedBy === 'schema').map((bad) => [bad.name, bad] as const))(
    'refuses %s, naming the field',
    (_name, bad) => {
      const { ok, errors } = validate(bad.object);
      expect(ok).toBe(false);
      expect(errors.map(ajvFieldPath)).toContain(bad.field);
    },
  );
});

/** `/spec/a/0` → `spec.a[0]`; a missing required property is named itself. */
function ajvFieldPath(error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') parts.push(String((error.params as { missingProperty: string }).missingProperty));
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

/** The schema node of a Kubernetes field path such as `spec.serviceQualities[0].name`. */
function schemaAt(root: JsonSchema, path: string): JsonSchema {
  let node = root;
  for (const token of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    const next = token.startsWith('[') ? node.items : (node.properties as Record<string, unknown> | undefined)?.[token];
    if (typeof next !== 'object' || next === null) throw new Error(`no schema at ${path} (${token})`);
    node = next as JsonSchema;
  }
  return node;
}
