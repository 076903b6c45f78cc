// The chart's CRDs: templates of the release (Helm never upgrades a chart's
// crds/), so `helm upgrade` applies a changed schema, `helm uninstall` keeps
// them (and every GameServerSet), and an install meeting CRDs it does not
// manage (OpenKruise Game's, or the test cluster's own, applied by kubectl)
// stops with what to do instead of Helm's bare ownership error.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dump, load } from 'js-yaml';
import { createTestNamespace, deleteTestNamespace, kubectl } from '../support/index.js';
import { chartDir, helm } from './helm.js';

const release = 'gamekeeper';
const CRDS = ['gameservers.game.kruise.io', 'gameserversets.game.kruise.io'];
const MARKER = 'GameServer: changed by the chart upgrade test';

/** A copy of the chart whose GameServer CRD has another schema description. */
function chartWithChangedCrd(): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'gamekeeper-chart-')), 'gamekeeper');
  cpSync(chartDir, copy, { recursive: true });
  const file = join(copy, 'files', 'crds', 'game.kruise.io_gameservers.yaml');
  const crd = load(readFileSync(file, 'utf8')) as { spec: { versions: { schema: { openAPIV3Schema: { description?: string } } }[] } };
  crd.spec.versions[0]!.schema.openAPIV3Schema.description = MARKER;
  writeFileSync(file, dump(crd, { lineWidth: -1 }));
  return copy;
}

const schemaDescription = () => kubectl(['get', 'crd', CRDS[0]!, '-o', 'jsonpath={.spec.versions[0].schema.openAPIV3Schema.description}']);

describe('the chart and its CRDs', () => {
  let namespace: string;
  let games: string;
  beforeAll(async () => {
    namespace = await createTestNamespace('chart-crds');
    games = await createTestNamespace('chart-crds-games');
  });
  afterAll(async () => {
    await helm(['uninstall', release, '-n', namespace, '--wait=false']);
    await deleteTestNamespace(games);
    await deleteTestNamespace(namespace);
  });

  it('refuses to install over CRDs it does not manage, saying what to do', async () => {
    // the cluster's CRDs were applied with kubectl by the test setup, as an OKG install's would be
    const result = await helm(['install', release, chartDir, '-n', namespace]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`CustomResourceDefinition ${CRDS[0]} already exists and release ${namespace}/${release} does not manage it`);
    expect(result.stderr).toContain('--set crds.install=false');
    expect(result.stderr).toContain(`kubectl annotate crd ${CRDS[0]} meta.helm.sh/release-name=${release} meta.helm.sh/release-namespace=${namespace} --overwrite`);
    expect(await kubectl(['get', 'deployment', '-n', namespace, '-o', 'name'])).toBe('');
  });

  it('takes the CRDs over, upgrades a changed schema, and keeps them on uninstall', async () => {
    // the take-over the message describes
    for (const crd of CRDS) {
      await kubectl(['label', 'crd', crd, 'app.kubernetes.io/managed-by=Helm', '--overwrite']);
      await kubectl(['annotate', 'crd', crd, `meta.helm.sh/release-name=${release}`, `meta.helm.sh/release-namespace=${namespace}`, '--overwrite']);
    }
    const install = await helm(['install', release, chartDir, '-n', namespace, '--set', 'replicaCount=1', '--set', `operator.watchNamespaces={${games}}`]);
    expect(install).toMatchObject({ code: 0 });
    expect(install.stdout).toContain('CRDs:       managed by this release (upgraded with it, kept on uninstall)');
    for (const crd of CRDS) {
      expect(await kubectl(['get', 'crd', crd, '-o', 'jsonpath={.metadata.labels.app\\.kubernetes\\.io/instance} {.metadata.annotations.helm\\.sh/resource-policy}'])).toBe(`${release} keep`);
    }
    const original = await schemaDescription();
    expect(original).not.toBe(MARKER);
    await kubectl(['apply', '-n', games, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'game.kruise.io/v1alpha1',
        kind: 'GameServerSet',
        metadata: { name: 'kept' },
        spec: { replicas: 0, gameServerTemplate: { spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] } } },
      }),
    });

    const upgrade = await helm(['upgrade', release, chartWithChangedCrd(), '-n', namespace, '--reuse-values']);
    expect(upgrade).toMatchObject({ code: 0 });
    expect(await schemaDescription()).toBe(MARKER);
    const back = await helm(['upgrade', release, chartDir, '-n', namespace, '--reuse-values']);
    expect(back).toMatchObject({ code: 0 });
    expect(await schemaDescription()).toBe(original);

    const uninstall = await helm(['uninstall', release, '-n', namespace]);
    expect(uninstall).toMatchObject({ code: 0 });
    expect(uninstall.stdout + uninstall.stderr).toMatch(/kept due to the resource policy/);
    expect((await kubectl(['get', 'crd', ...CRDS, '-o', 'name'])).trim().split('\n')).toEqual(CRDS.map((crd) => `customresourcedefinition.apiextensions.k8s.io/${crd}`));
    expect(await kubectl(['get', 'gss', 'kept', '-n', games, '-o', 'name'])).toBe('gameserverset.game.kruise.io/kept\n');
  });
});
