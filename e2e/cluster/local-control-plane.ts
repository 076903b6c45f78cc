// A real Kubernetes control plane on 127.0.0.1, built from source: etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler and kwok playing the
// kubelet for N fake nodes. Everything a run needs lives in one run directory.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { allCrdsEstablished, httpStatus, StartupError, waitFor } from './health.js';
import { writeAdminKubeconfig } from './kubeconfig.js';
import { repoRoot } from './paths.js';
import { createPki } from './pki.js';
import { freePort } from './ports.js';
import { isAlive, logTail, startComponent, startReaper, stopAll } from './processes.js';

const run = promisify(execFile);

/** Nodes kwok manages carry this label; set it to "false" to lose the node. */
export const KWOK_MANAGED_LABEL = 'gamekeeper.dev/kwok-managed';
/** Pod IPs come from loopback so that no probe ever leaves the machine. */
export const POD_CIDR = '127.10.0.0/16';

export interface LocalControlPlaneOptions {
  readonly runDir: string;
  readonly binDir: string;
  /** Fake nodes to create (default 3). */
  readonly nodes?: number;
  /** CRD manifests applied before the controller manager starts (default config/crd). */
  readonly crdDir?: string;
  /** Kill the control plane when this process dies (tests); unset for a long-lived cluster. */
  readonly ownerPid?: number;
  /** With ownerPid: also remove the run directory when the owner dies. */
  readonly removeRunDirWithOwner?: boolean;
  readonly log?: (message: string) => void;
}

export interface ControlPlaneInfo {
  readonly runDir: string;
  readonly binDir: string;
  readonly kubeconfigPath: string;
  readonly server: string;
  readonly etcdUrl: string;
  readonly kwokPort: number;
  readonly nodes: readonly string[];
  readonly startedAt: string;
}

export const clusterInfoFile = (runDir: string) => join(runDir, 'cluster.json');

export function readClusterInfo(runDir: string): ControlPlaneInfo | undefined {
  const file = clusterInfoFile(runDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ControlPlaneInfo) : undefined;
}

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [delete, deletecollection]
    resources: [{ group: "", resources: [pods] }]
  - level: None
`;

/** The API server's audit log (pod deletions only) of a local control plane. */
export function auditLogPath(runDir: string): string {
  return join(runDir, 'audit.log');
}

export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<ControlPlaneInfo> {
  const { runDir, binDir } = options;
  const log = options.log ?? (() => undefined);
  const bin = (name: string) => join(binDir, name);
  await mkdir(runDir, { recursive: true });
  if (options.ownerPid !== undefined) startReaper(runDir, options.ownerPid, { removeRunDir: options.removeRunDirWithOwner ?? false });

  const pki = await createPki(join(runDir, 'pki'));
  const [etcdClient, etcdPeer, apiPort, kwokPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const server = `https://127.0.0.1:${apiPort}`;
  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const kubeconfigPath = join(runDir, 'kubeconfig');
  await writeAdminKubeconfig(kubeconfigPath, server, pki);
  const kubectl = (...args: string[]) => run(bin('kubectl'), ['--kubeconfig', kubeconfigPath, ...args], { maxBuffer: 64 << 20 });
  const failWith = async (component: string, error: unknown): Promise<never> => {
    throw new StartupError(`${component} did not start; last log lines:\n${await logTail(runDir, component)}`, { cause: error });
  };

  log(`etcd on ${etcdUrl}`);
  const etcdPid = await startComponent(runDir, {
    name: 'etcd',
    order: 0,
    command: bin('etcd'),
    args: [
      '--name=node0',
      `--data-dir=${join(runDir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=node0=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--quota-backend-bytes=8589934592',
      '--log-level=warn',
    ],
  });
  await waitFor('etcd /health', async () => (await httpStatus(`${etcdUrl}/health`)) === 200, 30_000, () => isAlive(etcdPid)).catch((e) => failWith('etcd', e));

  // Pod deletions are audited (who, with which user agent, when), so fault
  // tests can prove which operator process deleted a pod and when.
  const auditPolicy = join(runDir, 'audit-policy.yaml');
  writeFileSync(auditPolicy, AUDIT_POLICY);

  log(`kube-apiserver on ${server}`);
  const apiserverPid = await startComponent(runDir, {
    name: 'kube-apiserver',
    order: 1,
    command: bin('kube-apiserver'),
    args: [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.cert}`,
      `--tls-private-key-file=${pki.key}`,
      `--client-ca-file=${pki.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--authorization-mode=Node,RBAC',
      // As on OpenShift and hardened clusters: an owner reference with
      // blockOwnerDeletion needs update on the owner's finalizers.
      '--enable-admission-plugins=OwnerReferencesPermissionEnforcement',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--endpoint-reconciler-type=none',
      '--kubelet-preferred-address-types=InternalIP',
      '--allow-privileged=true',
      '--max-requests-inflight=0',
      '--max-mutating-requests-inflight=0',
      '--enable-priority-and-fairness=false',
      `--audit-policy-file=${auditPolicy}`,
      `--audit-log-path=${auditLogPath(runDir)}`,
      '--audit-log-format=json',
      '--audit-log-maxsize=200',
      '--v=1',
    ],
  });
  const ca = readFileSync(pki.caCert);
  await waitFor('kube-apiserver /readyz', async () => (await httpStatus(`${server}/readyz`, ca)) === 200, 90_000, () => isAlive(apiserverPid)).catch((e) =>
    failWith('kube-apiserver', e),
  );

  // CRDs first: the garbage collector reads discovery only every 30 s.
  const crdDir = options.crdDir ?? join(repoRoot, 'config/crd');
  const kwokCrdDir = join(binDir, '..', 'kwok-crds');
  const crdFiles = [crdDir, kwokCrdDir]
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f)));
  if (crdFiles.length > 0) {
    log(`applying ${crdFiles.length} CRDs`);
    await kubectl('apply', '--server-side', ...crdFiles.flatMap((f) => ['-f', f]));
    await waitFor('the CRDs Established', () => allCrdsEstablished(async () => (await kubectl('get', 'crd', '-o', 'json')).stdout), 60_000);
  }

  const kcmArgs = [
    `--kubeconfig=${kubeconfigPath}`,
    '--leader-elect=false',
    '--secure-port=0',
    `--root-ca-file=${pki.caCert}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    '--use-service-account-credentials=false',
    '--node-monitor-period=2s',
    '--node-monitor-grace-period=20s',
    '--kube-api-qps=500',
    '--kube-api-burst=1000',
    '--concurrent-gc-syncs=50',
    '--v=1',
  ];
  log('kube-controller-manager, kube-scheduler, kwok');
  await startComponent(runDir, { name: 'kube-controller-manager', order: 2, command: bin('kube-controller-manager'), args: kcmArgs });

  const schedulerConfig = join(runDir, 'scheduler.yaml');
  await writeFile(
    schedulerConfig,
    [
      'apiVersion: kubescheduler.config.k8s.io/v1',
      'kind: KubeSchedulerConfiguration',
      'clientConnection:',
      `  kubeconfig: ${kubeconfigPath}`,
      '  qps: 500',
      '  burst: 1000',
      'leaderElection:',
      '  leaderElect: false',
      '',
    ].join('\n'),
  );
  await startComponent(runDir, {
    name: 'kube-scheduler',
    order: 3,
    command: bin('kube-scheduler'),
    args: [`--config=${schedulerConfig}`, '--secure-port=0', '--v=1'],
  });

  await startComponent(runDir, {
    name: 'kwok',
    order: 4,
    command: bin('kwok'),
    args: [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${join(repoRoot, 'config/kwok/kwok.yaml')}`,
      `--config=${join(repoRoot, 'config/kwok/stages.yaml')}`,
      `--manage-nodes-with-label-selector=${KWOK_MANAGED_LABEL}=true`,
      '--node-ip=127.0.0.1',
      `--node-port=${kwokPort}`,
      `--server-address=127.0.0.1:${kwokPort}`,
      `--tls-cert-file=${pki.cert}`,
      `--tls-private-key-file=${pki.key}`,
      `--cidr=${POD_CIDR}`,
      '--node-lease-duration-seconds=10',
      '--enable-crds=Exec,ClusterExec',
    ],
  });

  const nodes = Array.from({ length: options.nodes ?? 3 }, (_, i) => `kwok-node-${i}`);
  await applyManifest(kubectl, nodes.map(nodeManifest).join('\n---\n'));
  await mkdir(join(runDir, 'exec'), { recursive: true });
  await applyManifest(kubectl, defaultClusterExec(join(runDir, 'exec')));

  await waitFor(
    `${nodes.length} nodes Ready`,
    async () => {
      const { stdout } = await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}');
      return stdout.split('\n').filter((s) => s === 'True').length === nodes.length;
    },
    60_000,
  ).catch((e) => failWith('kwok', e));
  await waitFor('the default ServiceAccount', async () => (await kubectl('get', 'serviceaccount', 'default', '-n', 'default')).stdout !== '', 60_000).catch(
    (e) => failWith('kube-controller-manager', e),
  );

  const info: ControlPlaneInfo = { runDir, binDir, kubeconfigPath, server, etcdUrl, kwokPort, nodes, startedAt: new Date().toISOString() };
  await writeFile(clusterInfoFile(runDir), JSON.stringify(info, null, 2));
  return info;
}

export async function stopLocalControlPlane(runDir: string, options: { graceful?: boolean } = {}): Promise<void> {
  await stopAll(runDir, options.graceful === false ? 0 : 10_000);
}

type Kubectl = (...args: string[]) => Promise<{ stdout: string }>;

async function applyManifest(kubectl: Kubectl, manifest: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gamekeeper-manifest-'));
  const file = join(dir, 'manifest.yaml');
  await writeFile(file, manifest);
  try {
    await kubectl('apply', '-f', file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function nodeManifest(name: string): string {
  return [
    'apiVersion: v1',
    'kind: Node',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    '    kwok.x-k8s.io/node: fake',
    '  labels:',
    `    ${KWOK_MANAGED_LABEL}: "true"`,
    '    kubernetes.io/os: linux',
    '    kubernetes.io/arch: amd64',
    `    kubernetes.io/hostname: ${name}`,
    '    type: kwok',
    'status:',
    '  allocatable: {cpu: "1000", memory: 1Ti, pods: "1000000"}',
    '  capacity: {cpu: "1000", memory: 1Ti, pods: "1000000"}',
  ].join('\n');
}

function defaultClusterExec(workDir: string): string {
  return [
    'apiVersion: kwok.x-k8s.io/v1alpha1',
    'kind: ClusterExec',
    'metadata:',
    '  name: gamekeeper-default',
    'spec:',
    '  execs:',
    '  - local:',
    `      workDir: ${workDir}`,
  ].join('\n');
}
