// The Helm chart, installed for real: `helm install` into the cluster, then the
// operator runs with a token minted for the chart's ServiceAccount and the
// chart's own Deployment arguments, and drives a scale and in-place update
// scenario. Any call the chart's RBAC forbids fails the test.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import {
  adminKubeConfig,
  createTestNamespace,
  deleteTestNamespace,
  e2eEnvironment,
  eventually,
  kubectl,
  runCommand,
  startOperator,
  type CommandResult,
  type TestOperator,
} from '../support/index.js';

const chart = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'charts', 'gamekeeper');
const release = 'gamekeeper';

function helm(args: readonly string[]): Promise<CommandResult> {
  const { binDir, kubeconfigPath, runDir } = e2eEnvironment();
  // helm's caches stay in the run's scratch directory, not the user's home
  const home = (kind: string) => join(runDir, 'helm', kind);
  return runCommand(join(binDir, 'helm'), args, {
    env: { KUBECONFIG: kubeconfigPath, HELM_CACHE_HOME: home('cache'), HELM_CONFIG_HOME: home('config'), HELM_DATA_HOME: home('data') },
    timeoutMs: 120_000,
  });
}

describe('helm lint and values.schema.json', () => {
  it('lints clean', async () => {
    const result = await helm(['lint', chart]);
    expect(result.stdout).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it.each([
    [['--set', 'operator.workers.gameServer=0'], 'workers'],
    [['--set', 'operator.logLevel=verbose'], 'logLevel'],
    [['--set', 'operator.leaderElection.leaseDuration=soon'], 'leaseDuration'],
    [['--set', 'externalScaler.port=0'], 'port'],
  ])('rejects %j naming the bad value', async (args, field) => {
    const result = await helm(['template', release, chart, ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(field);
  });

  it('serves the external scaler on gamekeeper-external-scaler:6000, and externalScaler.enabled=false turns it off', async () => {
    const on = await helm(['template', release, chart, '-n', 'gamekeeper-system']);
    expect(on.stdout).toContain('name: gamekeeper-external-scaler');
    expect(on.stdout).toContain('scalerAddress: gamekeeper-external-scaler.gamekeeper-system.svc:6000');
    expect(on.stdout).toContain('- --external-scaler-port=6000');
    expect(on.stdout).toContain('{name: scaler, containerPort: 6000, protocol: TCP}');
    const off = await helm(['template', release, chart, '-n', 'gamekeeper-system', '--set', 'externalScaler.enabled=false']);
    expect(off.stdout).not.toContain('external-scaler\n');
    expect(off.stdout).not.toContain('containerPort: 6000');
    expect(off.stdout).toContain('- --external-scaler-port=0');
  });
});

describe('helm install, then the operator with the chart ServiceAccount', () => {
  let releaseNamespace: string;
  let gamesNamespace: string;
  let operator: TestOperator | undefined;

  beforeAll(async () => {
    releaseNamespace = await createTestNamespace('chart');
    gamesNamespace = await createTestNamespace('chart-games');
  });
  afterAll(async () => {
    await operator?.stop();
    await helm(['uninstall', release, '-n', releaseNamespace, '--wait=false']);
    await deleteTestNamespace(gamesNamespace);
    await deleteTestNamespace(releaseNamespace);
  });

  it('installs, and its RBAC is enough for a scale and in-place update scenario', async () => {
    const install = await helm(['install', release, chart, '-n', releaseNamespace, '--set', `operator.watchNamespaces={${gamesNamespace}}`, '--wait', '--timeout=90s']);
    expect(install).toMatchObject({ code: 0 });
    const deployment = JSON.parse(await kubectl(['get', 'deployment', release, '-n', releaseNamespace, '-o', 'json'])) as {
      status: { readyReplicas?: number };
      spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } };
    };
    expect(deployment.status.readyReplicas).toBe(2);

    // The operator as the chart's Deployment runs it: its ServiceAccount's
    // token and its arguments (HTTP listeners are the test's concern).
    const serviceAccount = deployment.spec.template.spec.serviceAccountName;
    const token = (await kubectl(['create', 'token', serviceAccount, '-n', releaseNamespace, '--duration=1h'])).trim();
    const admin = adminKubeConfig();
    const cluster = admin.getCurrentCluster()!;
    const asServiceAccount = new KubeConfig();
    asServiceAccount.loadFromOptions({
      clusters: [cluster],
      users: [{ name: serviceAccount, token }],
      contexts: [{ name: 'chart', cluster: cluster.name, user: serviceAccount }],
      currentContext: 'chart',
    });
    const args = deployment.spec.template.spec.containers[0]!.args.filter((arg) => !/^--(metrics-bind-address|health-probe-bind-address|external-scaler-port)=/.test(arg));
    expect(args).toContain('--leader-elect=true');
    operator = await startOperator({ namespaces: [gamesNamespace], kubeConfig: asServiceAccount, flags: [...args, `--leader-elect-resource-namespace=${releaseNamespace}`] });

    const ns = gamesNamespace;
    await kubectl(['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'game.kruise.io/v1alpha1',
        kind: 'GameServerSet',
        metadata: { name: 'arena' },
        spec: {
          replicas: 2,
          updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '100%' } },
          gameServerTemplate: { spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }, { name: 'sidecar', image: 'example.com/sidecar:0.1' }] } },
        },
      }),
    });
    const podsOf = async () =>
      (JSON.parse(await kubectl(['get', 'pods', '-n', ns, '-l', 'game.kruise.io/owner-gss=arena', '-o', 'json'])) as {
        items: { metadata: { name: string; uid: string }; status: { containerStatuses?: { name: string; image: string; restartCount: number; ready: boolean }[] } }[];
      }).items;
    const gameServerStates = async () =>
      (await kubectl(['get', 'gs', '-n', ns, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.currentState}{"\\n"}{end}'])).trim().split('\n').filter(Boolean).sort();

    // the lease is held by the operator running with the chart's identity
    await eventually(async () => expect(await kubectl(['get', 'lease', `${release}-leader`, '-n', releaseNamespace, '-o', 'jsonpath={.spec.holderIdentity}'])).not.toBe(''));

    await eventually(async () => expect(await gameServerStates()).toEqual(['arena-0=Ready', 'arena-1=Ready']), { timeoutMs: 90_000 });
    await kubectl(['scale', 'gss', 'arena', '-n', ns, '--replicas=3']);
    await eventually(async () => expect(await gameServerStates()).toEqual(['arena-0=Ready', 'arena-1=Ready', 'arena-2=Ready']), { timeoutMs: 90_000 });

    await kubectl(['patch', 'gs', 'arena-1', '-n', ns, '--type=merge', '-p', '{"spec":{"opsState":"WaitToBeDeleted"}}']);
    await eventually(async () => expect(await kubectl(['get', 'pod', 'arena-1', '-n', ns, '-o', 'jsonpath={.metadata.labels.game\\.kruise\\.io/gs-opsState}'])).toBe('WaitToBeDeleted'));
    await kubectl(['scale', 'gss', 'arena', '-n', ns, '--replicas=2']);
    await eventually(async () => expect((await podsOf()).map((p) => p.metadata.name).sort()).toEqual(['arena-0', 'arena-2']), { timeoutMs: 60_000 });

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

    const forbidden = operator.logs.filter((line) => /forbidden|"(status|code|statusCode)":\s*403/i.test(line));
    expect(forbidden).toEqual([]);
  });
});

