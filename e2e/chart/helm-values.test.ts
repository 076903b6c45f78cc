// The chart's values, rendered: `helm lint --strict`, every value set at
// once (and the operator accepting the arguments the chart renders), the
// namespaced RBAC mode, and each refusal of values.schema.json or of the
// template's own checks, with the message an operator of the chart reads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadAll } from 'js-yaml';
import { loadConfig } from '../../src/config.js';
import { chartDir, helm, helmTemplate } from './helm.js';

interface Rendered {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
  spec?: Record<string, unknown>;
}
interface Container {
  image: string;
  args: string[];
  env: { name: string; value?: string }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { priorityClassName?: string; serviceAccountName: string; containers: Container[] };
}

async function render(args: readonly string[]): Promise<Rendered[]> {
  const result = await helmTemplate(args);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return (loadAll(result.stdout) as (Rendered | null)[]).filter((doc): doc is Rendered => doc !== null);
}

function valuesFile(values: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gamekeeper-values-')), 'values.yaml');
  writeFileSync(path, JSON.stringify(values));
  return path;
}

const podTemplate = (docs: Rendered[]) => (docs.find((doc) => doc.kind === 'Deployment')!.spec!.template as PodTemplate);
const kinds = (docs: Rendered[]) => docs.map((doc) => `${doc.kind}/${doc.metadata.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata.name}`).sort();

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('helm lint', () => {
  it.each([[[]], [['--set', 'operator.watchNamespaces={games,tests}', '--set', 'replicaCount=1']]])('passes --strict with %j', async (args) => {
    const result = await helm(['lint', '--strict', chartDir, ...args]);
    expect(result.stdout).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });
});

describe('helm template', () => {
  it('renders every value, and the operator accepts the arguments it renders', async () => {
    const docs = await render([
      '-f',
      valuesFile({
        global: { imageRegistry: 'ignored.example.com' },
        nameOverride: 'gk',
        fullnameOverride: 'games-operator',
        replicaCount: 3,
        image: { repository: 'registry.example.com/gamekeeper', tag: '1.2.3', digest: DIGEST, pullPolicy: 'Always' },
        imagePullSecrets: [{ name: 'pull' }],
        serviceAccount: { create: true, name: 'gk-operator', annotations: { 'example.com/role': 'operator' } },
        operator: {
          logLevel: 'debug',
          watchNamespaces: [],
          workers: { gameServerSet: 2, gameServer: 3 },
          kubeApi: { qps: 50, burst: 100 },
          leaderElection: { enabled: true, leaseDuration: '30s', renewDeadline: '20s', retryPeriod: '4s' },
          nodeLossTimeout: 0,
          syncPeriod: '10m',
          probeConcurrency: 4,
          network: { hostPortRange: '9000-9100', totalWait: '2m', interval: '10s' },
        },
        extraArgs: ['--log-format=json', '--request-timeout=45s'],
        extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy.example.com:3128' }],
        crds: { install: true },
        resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '1Gi' } },
        heap: { percentOfMemoryLimit: 50 },
        podAnnotations: { 'example.com/scrape': 'true' },
        podLabels: { team: 'games' },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Exists' }],
        affinity: { nodeAffinity: {} },
        priorityClassName: 'system-cluster-critical',
        metrics: { port: 9090, service: { enabled: true, type: 'ClusterIP' }, serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prom' } } },
        healthProbe: { port: 9091 },
        podDisruptionBudget: { enabled: true, minAvailable: 2 },
      }),
    ]);
    expect(kinds(docs)).toEqual(
      expect.arrayContaining([
        'ClusterRole/games-operator',
        'ClusterRoleBinding/games-operator',
        'CustomResourceDefinition/gameservers.game.kruise.io',
        'CustomResourceDefinition/gameserversets.game.kruise.io',
        'Deployment/gamekeeper-system/games-operator',
        'PodDisruptionBudget/gamekeeper-system/games-operator',
        'ServiceAccount/gamekeeper-system/gk-operator',
        'ServiceMonitor/gamekeeper-system/games-operator',
      ]),
    );
    const deployment = docs.find((doc) => doc.kind === 'Deployment')!;
    expect(deployment.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'gk' });
    const pod = podTemplate(docs);
    expect(pod.metadata.labels).toMatchObject({ team: 'games', 'app.kubernetes.io/name': 'gk' });
    expect(pod.metadata.annotations).toEqual({ 'example.com/scrape': 'true' });
    expect(pod.spec).toMatchObject({ priorityClassName: 'system-cluster-critical', serviceAccountName: 'gk-operator' });
    const [container] = pod.spec.containers;
    expect(container!.image).toBe(`registry.example.com/gamekeeper:1.2.3@${DIGEST}`);
    expect(container!.args.slice(-2)).toEqual(['--log-format=json', '--request-timeout=45s']);
    expect(container!.env).toEqual(
      expect.arrayContaining([
        { name: 'NODE_OPTIONS', value: '--max-old-space-size=512' },
        { name: 'HTTPS_PROXY', value: 'http://proxy.example.com:3128' },
      ]),
    );
    // the CRDs carry the release's labels and are kept on uninstall
    for (const crd of docs.filter((doc) => doc.kind === 'CustomResourceDefinition')) {
      expect(crd.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      expect(crd.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'gk' });
    }

    // The very arguments (and the environment) the container gets.
    const config = loadConfig(container!.args, {});
    expect(config).toMatchObject({
      namespaces: [],
      workers: { gameServerSet: 2, gameServer: 3 },
      kubeApi: { qps: 50, burst: 100, requestTimeoutMs: 45_000 },
      logLevel: 'debug',
      logFormat: 'json',
      leaderElection: { enabled: true, namespace: 'gamekeeper-system', name: 'games-operator-leader', leaseDurationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 4_000 },
      nodeLossTimeoutMs: 0,
      syncPeriodMs: 600_000,
    });
  });

  it('renders the defaults the operator accepts, with a 384 MiB heap for the 512Mi limit', async () => {
    const docs = await render([]);
    const [container] = podTemplate(docs).spec.containers;
    expect(container!.image).toBe('ghcr.io/gamekeeper/gamekeeper:0.1.0');
    expect(container!.env).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=384' });
    expect(() => loadConfig(container!.args, {})).not.toThrow();
    expect(kinds(docs)).toContain('PodDisruptionBudget/gamekeeper-system/gk-gamekeeper');
  });

  it.each([
    [['--set', 'resources.limits.memory=2Gi'], '--max-old-space-size=1536'],
    [['--set', 'resources.limits.memory=1G'], '--max-old-space-size=715'],
    [['--set', 'resources.limits.memory=805306368'], '--max-old-space-size=576'],
  ])('derives the heap from %j', async (args, flag) => {
    const [container] = podTemplate(await render(args)).spec.containers;
    expect(container!.env).toContainEqual({ name: 'NODE_OPTIONS', value: flag });
  });

  it('leaves the heap to V8 without a memory limit', async () => {
    const [container] = podTemplate(await render(['--set', 'resources.limits=null'])).spec.containers;
    expect(container!.env.map((variable) => variable.name)).not.toContain('NODE_OPTIONS');
  });

  it('renders no PodDisruptionBudget for one replica (it would block every drain)', async () => {
    expect(kinds(await render(['--set', 'replicaCount=1'])).filter((kind) => kind.startsWith('PodDisruptionBudget'))).toEqual([]);
  });

  it('takes nodeLossTimeout 0 from --set, not only --set-string', async () => {
    const [container] = podTemplate(await render(['--set', 'operator.nodeLossTimeout=0'])).spec.containers;
    expect(container!.args).toContain('--node-loss-timeout=0');
    expect(loadConfig(container!.args, {}).nodeLossTimeoutMs).toBe(0);
  });

  it('serves the external scaler on <fullname>-external-scaler:6000, and externalScaler.enabled=false turns it off', async () => {
    const on = await helmTemplate([]);
    expect(on.stdout).toContain('name: gk-gamekeeper-external-scaler');
    expect(on.stdout).toContain('scalerAddress: gk-gamekeeper-external-scaler.gamekeeper-system.svc:6000');
    expect(on.stdout).toContain('- --external-scaler-port=6000');
    expect(on.stdout).toContain('{name: scaler, containerPort: 6000, protocol: TCP}');
    const off = await helmTemplate(['--set', 'externalScaler.enabled=false']);
    expect(off.stdout).not.toContain('external-scaler\n');
    expect(off.stdout).not.toContain('containerPort: 6000');
    expect(off.stdout).toContain('- --external-scaler-port=0');
  });

  it('renders no CRDs with crds.install=false', async () => {
    expect(kinds(await render(['--set', 'crds.install=false'])).filter((kind) => kind.startsWith('CustomResourceDefinition'))).toEqual([]);
  });

  it('namespaced mode: a Role per watched namespace, and only nodes cluster-wide', async () => {
    const docs = await render(['--set', 'operator.watchNamespaces={games,tests}']);
    expect(kinds(docs).filter((kind) => /^(Cluster)?Role/.test(kind))).toEqual([
      'ClusterRole/gk-gamekeeper-nodes',
      'ClusterRoleBinding/gk-gamekeeper-nodes',
      'Role/gamekeeper-system/gk-gamekeeper-leader-election',
      'Role/games/gk-gamekeeper',
      'Role/tests/gk-gamekeeper',
      'RoleBinding/gamekeeper-system/gk-gamekeeper-leader-election',
      'RoleBinding/games/gk-gamekeeper',
      'RoleBinding/tests/gk-gamekeeper',
    ]);
    const clusterRole = docs.find((doc) => doc.kind === 'ClusterRole')!;
    expect(clusterRole.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] }]);
    const [container] = podTemplate(docs).spec.containers;
    expect(loadConfig(container!.args, {}).namespaces).toEqual(['games', 'tests']);
  });

  it('grants no verb on a kind the operator never calls it for', async () => {
    const docs = await render([]);
    const rules = docs.filter((doc) => doc.kind === 'ClusterRole').flatMap((doc) => doc.rules ?? []);
    const granted = rules.flatMap((rule) => rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${verb} ${resource}`)));
    for (const never of ['update pods', 'get gameserversets', 'update gameserversets', 'create gameserversets', 'delete gameserversets', 'update gameservers/status', 'get persistentvolumes', 'list persistentvolumes', 'update gameservers/finalizers', 'delete services', 'delete ingresses']) {
      expect(granted).not.toContain(never);
    }
    for (const needed of ['get pods', 'update pods/finalizers', 'update gameserversets/finalizers', 'create pods/exec', 'patch pods/status']) {
      expect(granted).toContain(needed);
    }
    expect(granted.filter((entry) => entry.includes('*'))).toEqual([]);
  });
});

describe('refusals', () => {
  it.each([
    [['--set', 'operator.workers.gameServer=0'], '/operator/workers/gameServer'],
    [['--set', 'operator.logLevel=verbose'], '/operator/logLevel'],
    [['--set', 'operator.leaderElection.leaseDuration=soon'], '/operator/leaderElection/leaseDuration'],
    [['--set', 'operator.nodeLossTimeout=5'], '/operator/nodeLossTimeout'],
    [['--set', 'operator.nodeLossTimeout=five'], '/operator/nodeLossTimeout'],
    [['--set', 'image.digest=sha256:abc'], '/image/digest'],
    [['--set', 'nameOverride=Not_A_Name'], '/nameOverride'],
    [['--set', 'extraArgs={log-level=debug}'], '/extraArgs/0'],
    [['--set', 'resources.limits.memory=lots'], '/resources/limits/memory'],
    [['--set', 'heap.percentOfMemoryLimit=95'], '/heap/percentOfMemoryLimit'],
    [['--set', 'unknownValue=1'], 'unknownValue'],
    [['--set', 'externalScaler.port=0'], '/externalScaler/port'],
    [['--set', 'operator.leaderElection.renewDeadline=20s'], 'operator.leaderElection.renewDeadline (20s) must be shorter than operator.leaderElection.leaseDuration (15s)'],
    [['--set', 'operator.leaderElection.renewDeadline=15s'], 'must be shorter than operator.leaderElection.leaseDuration'],
    [['--set', 'operator.leaderElection.retryPeriod=9s'], 'operator.leaderElection.renewDeadline (10s) must be longer than 1.2 x operator.leaderElection.retryPeriod (9s)'],
    [['--set', 'operator.leaderElection.leaseDuration=1m', '--set', 'operator.leaderElection.renewDeadline=1m30s'], 'renewDeadline (1m30s) must be shorter'],
    [['--set', 'operator.leaderElection.enabled=false'], 'replicaCount=2 needs operator.leaderElection.enabled=true'],
    [['--set', 'resources.limits.memory=64Mi'], 'leaves a heap of 48 MiB'],
  ])('refuses %j, naming it', async (args, message) => {
    const result = await helmTemplate(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('accepts one replica without leader election', async () => {
    const [container] = podTemplate(await render(['--set', 'replicaCount=1', '--set', 'operator.leaderElection.enabled=false'])).spec.containers;
    expect(container!.args).toContain('--leader-elect=false');
  });
});
