// Least privilege, proven: the chart installed for real (the control plane
// runs OwnerReferencesPermissionEnforcement, as hardened clusters do), then
// the operator runs with a token minted for the chart's ServiceAccount
// (TokenRequest) and the chart's own Deployment arguments, in both RBAC modes
// (ClusterRole; Roles per watched namespace), through a scale, a scale-down
// by opsState, an in-place update, an exec probe and a node loss. Any 403 in
// its log fails the test; verbs the chart does not grant are refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import {
  adminKubeConfig,
  createFakeNode,
  createTestNamespace,
  deleteNode,
  deleteTestNamespace,
  e2eEnvironment,
  eventually,
  kubectl,
  loseNode,
  runCommand,
  startOperator,
  type CommandResult,
  type TestOperator,
} from '../support/index.js';
import { chartDir, helm } from './helm.js';

interface InstalledRelease {
  readonly release: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly token: string;
  readonly args: string[];
}

/** `helm install` (CRDs are the cluster's already), then the Deployment's ServiceAccount, a token for it and its arguments. */
async function install(release: string, namespace: string, values: readonly string[]): Promise<InstalledRelease> {
  const result = await helm(['install', release, chartDir, '-n', namespace, '--set', 'crds.install=false', '--set', 'operator.nodeLossTimeout=5s', ...values, '--wait', '--timeout=90s']);
  expect(result).toMatchObject({ code: 0 });
  expect(result.stdout).toContain(`gamekeeper 0.1.0 is installed as ${release}`);
  const deployment = JSON.parse(await kubectl(['get', 'deployment', release, '-n', namespace, '-o', 'json'])) as {
    status: { readyReplicas?: number };
    spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } };
  };
  expect(deployment.status.readyReplicas).toBe(2);
  const serviceAccount = deployment.spec.template.spec.serviceAccountName;
  const token = (await kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration=1h'])).trim();
  // HTTP listeners are the test's concern, not the chart's
  const args = deployment.spec.template.spec.containers[0]!.args.filter((arg) => !/^--(metrics-bind-address|health-probe-bind-address|external-scaler-port)=/.test(arg));
  return { release, namespace, serviceAccount, token, args };
}

function serviceAccountKubeConfig(installed: InstalledRelease): KubeConfig {
  const cluster = adminKubeConfig().getCurrentCluster()!;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name: installed.serviceAccount, token: installed.token }],
    contexts: [{ name: 'chart', cluster: cluster.name, user: installed.serviceAccount }],
    currentContext: 'chart',
  });
  return kubeConfig;
}

/** kubectl as the chart's ServiceAccount (a kubeconfig holding only its token). */
function kubectlAs(installed: InstalledRelease, args: readonly string[], input?: string): Promise<CommandResult> {
  const path = join(mkdtempSync(join(tmpdir(), 'gamekeeper-sa-')), 'kubeconfig');
  writeFileSync(path, serviceAccountKubeConfig(installed).exportConfig());
  return runCommand(join(e2eEnvironment().binDir, 'kubectl'), ['--kubeconfig', path, ...args], input === undefined ? {} : { input });
}

// A namespace being deleted also answers 403 ("unable to create new content in
// namespace X because it is being terminated"): in ClusterRole mode the operator
// sees the namespaces other test files are tearing down. That is not a
// permission the chart lacks, so it is left out.
const NAMESPACE_TERMINATING = /because it is being terminated/;

function forbiddenLines(operator: TestOperator): string[] {
  return operator.logs.filter((line) => /forbidden|"(status|code|statusCode)":\s*403|ExecForbidden|PodNotOwned/i.test(line) && !NAMESPACE_TERMINATING.test(line));
}

/**
 * The scenario each mode runs: scale up, scale down by opsState, an in-place
 * sidecar update, an exec probe acting on the GameServer, a node loss.
 */
async function runScenario(ns: string, nodes: readonly [string, string]): Promise<void> {
  await kubectl(['cordon', nodes[1]]);
  await kubectl(['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'game.kruise.io/v1alpha1',
      kind: 'GameServerSet',
      metadata: { name: 'arena' },
      spec: {
        replicas: 2,
        updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '100%' } },
        serviceQualities: [
          {
            name: 'alive',
            containerName: 'game',
            exec: { command: ['true'] },
            periodSeconds: 1,
            serviceQualityAction: [{ state: true, annotations: { 'example.com/probed': 'alive' } }],
          },
        ],
        gameServerTemplate: {
          spec: {
            nodeSelector: { 'chart-e2e': ns },
            terminationGracePeriodSeconds: 1,
            containers: [
              { name: 'game', image: 'example.com/game:1.0' },
              { name: 'sidecar', image: 'example.com/sidecar:0.1' },
            ],
          },
        },
      },
    }),
  });
  const podsOf = async () =>
    (JSON.parse(await kubectl(['get', 'pods', '-n', ns, '-l', 'game.kruise.io/owner-gss=arena', '-o', 'json'])) as {
      items: {
        metadata: { name: string; uid: string; deletionTimestamp?: string };
        spec: { nodeName?: string };
        status: { containerStatuses?: { name: string; image: string; restartCount: number; ready: boolean }[] };
      }[];
    }).items;
  const gameServerStates = async () =>
    (await kubectl(['get', 'gs', '-n', ns, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.currentState}{"\\n"}{end}'])).trim().split('\n').filter(Boolean).sort();

  await eventually(async () => expect(await gameServerStates()).toEqual(['arena-0=Ready', 'arena-1=Ready']), { timeoutMs: 90_000, description: 'two rooms Ready' });
  await kubectl(['scale', 'gss', 'arena', '-n', ns, '--replicas=3']);
  await eventually(async () => expect(await gameServerStates()).toEqual(['arena-0=Ready', 'arena-1=Ready', 'arena-2=Ready']), { timeoutMs: 90_000, description: 'scaled to 3' });

  // the exec probe ran in the operator's own pods, and its action landed
  await eventually(
    async () => {
      const gs = JSON.parse(await kubectl(['get', 'gs', 'arena-0', '-n', ns, '-o', 'json'])) as { metadata: { annotations?: Record<string, string> }; status?: { serviceQualitiesConditions?: unknown[] } };
      expect({ probed: gs.metadata.annotations?.['example.com/probed'], conditions: gs.status?.serviceQualitiesConditions }).toMatchObject({ probed: 'alive', conditions: [{ name: 'alive', status: 'True' }] });
    },
    { timeoutMs: 60_000, description: 'the exec probe action on arena-0' },
  );

  await kubectl(['patch', 'gs', 'arena-1', '-n', ns, '--type=merge', '-p', '{"spec":{"opsState":"WaitToBeDeleted"}}']);
  await eventually(async () => expect(await kubectl(['get', 'pod', 'arena-1', '-n', ns, '-o', 'jsonpath={.metadata.labels.game\\.kruise\\.io/gs-opsState}'])).toBe('WaitToBeDeleted'));
  await kubectl(['scale', 'gss', 'arena', '-n', ns, '--replicas=2']);
  await eventually(async () => expect((await podsOf()).map((p) => p.metadata.name).sort()).toEqual(['arena-0', 'arena-2']), { timeoutMs: 60_000, description: 'arena-1 removed' });

  const before = await podsOf();
  await kubectl(['patch', 'gss', 'arena', '-n', ns, '--type=json', '-p', '[{"op":"replace","path":"/spec/gameServerTemplate/spec/containers/1/image","value":"example.com/sidecar:0.2"}]']);
  await eventually(
    async () => {
      const after = await podsOf();
      expect(after.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
      for (const pod of after) {
        expect(pod.status.containerStatuses?.find((s) => s.name === 'sidecar')).toMatchObject({ image: 'example.com/sidecar:0.2', restartCount: 1, ready: true });
      }
      expect(await gameServerStates()).toEqual(['arena-0=Ready', 'arena-2=Ready']);
    },
    { timeoutMs: 90_000, description: 'the sidecar updated in place' },
  );

  // node loss: the rooms come back on the spare node under the same names
  await loseNode(nodes[0]);
  await kubectl(['uncordon', nodes[1]]);
  await eventually(
    async () => {
      const pods = await podsOf();
      expect(pods.map((p) => `${p.metadata.name}@${p.spec.nodeName}${p.metadata.deletionTimestamp ? ' (deleting)' : ''}`).sort()).toEqual([
        `arena-0@${nodes[1]}`,
        `arena-2@${nodes[1]}`,
      ]);
      expect(await gameServerStates()).toEqual(['arena-0=Ready', 'arena-2=Ready']);
    },
    { timeoutMs: 150_000, intervalMs: 1_000, description: 'rooms recreated on the spare node' },
  );
}

describe.each([
  ['ClusterRole (all namespaces)', 'cluster'],
  ['Roles per watched namespace', 'namespaced'],
] as const)('the operator with the chart ServiceAccount: %s', (_title, mode) => {
  let releaseNamespace: string;
  let gamesNamespace: string;
  let otherNamespace: string;
  let installed: InstalledRelease;
  let operator: TestOperator | undefined;
  let nodes: [string, string];

  beforeAll(async () => {
    releaseNamespace = await createTestNamespace(`chart-${mode}`);
    gamesNamespace = await createTestNamespace(`games-${mode}`);
    otherNamespace = await createTestNamespace(`other-${mode}`);
    const suffix = gamesNamespace.slice(-6);
    nodes = [`chart-lost-${suffix}`, `chart-spare-${suffix}`];
    for (const node of nodes) await createFakeNode(node, { 'chart-e2e': gamesNamespace });
    installed = await install(`gamekeeper-${mode}`, releaseNamespace, mode === 'namespaced' ? ['--set', `operator.watchNamespaces={${gamesNamespace}}`] : []);
  });
  afterAll(async () => {
    await operator?.stop();
    await helm(['uninstall', `gamekeeper-${mode}`, '-n', releaseNamespace, '--wait=false']);
    for (const ns of [gamesNamespace, otherNamespace, releaseNamespace]) await deleteTestNamespace(ns);
    for (const node of nodes) await deleteNode(node);
  });

  it('runs a scale, an in-place update, an exec probe and a node loss without a single 403', async () => {
    expect(installed.args).toContain('--leader-elect=true');
    expect(installed.args).toContain(mode === 'namespaced' ? `--namespaces=${gamesNamespace}` : '--namespaces=');
    // the chart's own arguments come last and win over the harness's defaults
    operator = await startOperator({ namespaces: [gamesNamespace], kubeConfig: serviceAccountKubeConfig(installed), flags: installed.args });
    await eventually(async () => expect(await kubectl(['get', 'lease', `${installed.release}-leader`, '-n', releaseNamespace, '-o', 'jsonpath={.spec.holderIdentity}'])).not.toBe(''));

    await runScenario(gamesNamespace, nodes);
    expect(forbiddenLines(operator)).toEqual([]);
  });

  it('refuses what the chart does not grant', async () => {
    const refused = async (args: readonly string[]) => {
      const result = await kubectlAs(installed, args);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/forbidden/i);
    };
    // verbs the chart once granted and the code never uses
    // authorization comes before any lookup: the pod need not exist
    const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'arena-0', namespace: gamesNamespace }, spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] } });
    await refused(['get', 'gss', 'arena', '-n', gamesNamespace]);
    await refused(['delete', 'gss', 'arena', '-n', gamesNamespace, '--dry-run=server']);
    await refused(['create', 'secret', 'generic', 'x', '-n', gamesNamespace, '--dry-run=server']);
    await refused(['get', 'persistentvolumes']);
    await refused(['delete', 'service', 'arena-0', '-n', gamesNamespace, '--dry-run=server']);
    const replaced = await kubectlAs(installed, ['replace', '-n', gamesNamespace, '-f', '-'], pod);
    expect(replaced.code).not.toBe(0);
    expect(replaced.stderr).toMatch(/forbidden.*cannot update resource "pods"/i);
    if (mode === 'namespaced') {
      // no cluster-wide pod access, nothing in a namespace it does not watch
      await refused(['get', 'pods', '--all-namespaces']);
      await refused(['get', 'pods', '-n', otherNamespace]);
      await refused(['get', 'gameservers', '-n', otherNamespace]);
    }
    // the nodes are readable in both modes
    expect((await kubectlAs(installed, ['get', 'nodes', '-o', 'name'])).code).toBe(0);
  });
});

