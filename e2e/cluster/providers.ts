// Where the e2e tests get their cluster: the local control plane (default), an
// existing cluster from a kubeconfig (E2E_KUBECONFIG), or k3s in a container
// (E2E_PROVIDER=k3s, only where a Docker engine runs).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBinaries } from './binaries.js';
import { allCrdsEstablished, waitFor } from './health.js';
import { startLocalControlPlane, stopLocalControlPlane } from './local-control-plane.js';
import { repoRoot } from './paths.js';

const run = promisify(execFile);

export interface ProvidedCluster {
  readonly provider: 'local' | 'kubeconfig' | 'k3s';
  readonly kubeconfigPath: string;
  readonly binDir: string;
  readonly runDir: string;
  /** The etcd client URL where the provider exposes it (local only). */
  readonly etcdUrl?: string;
  stop(): Promise<void>;
}

export interface ClusterProvider {
  readonly name: ProvidedCluster['provider'];
  /** Why this provider cannot run here, or undefined when it can. */
  unavailableReason(): Promise<string | undefined>;
  start(log: (message: string) => void): Promise<ProvidedCluster>;
}

async function applyCrds(binDir: string, kubeconfigPath: string): Promise<void> {
  const dir = join(repoRoot, 'config/crd');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
  if (files.length === 0) return;
  const kubectl = join(binDir, 'kubectl');
  await run(kubectl, ['--kubeconfig', kubeconfigPath, 'apply', '--server-side', '--force-conflicts', ...files.flatMap((f) => ['-f', join(dir, f)])]);
  await waitFor('the CRDs Established', () => allCrdsEstablished(async () => (await run(kubectl, ['--kubeconfig', kubeconfigPath, 'get', 'crd', '-o', 'json'], { maxBuffer: 64 << 20 })).stdout), 60_000);
}

export const localProvider: ClusterProvider = {
  name: 'local',
  async unavailableReason() {
    return undefined;
  },
  async start(log) {
    const binDir = await ensureBinaries();
    const runDir = await mkdtemp(join(tmpdir(), 'gamekeeper-e2e-'));
    const keep = process.env.GAMEKEEPER_KEEP_RUNDIR === 'true';
    const info = await startLocalControlPlane({ runDir, binDir, ownerPid: process.pid, removeRunDirWithOwner: !keep, log });
    return {
      provider: 'local',
      kubeconfigPath: info.kubeconfigPath,
      binDir,
      runDir,
      etcdUrl: info.etcdUrl,
      async stop() {
        await stopLocalControlPlane(runDir, { graceful: false });
        if (!keep) await rm(runDir, { recursive: true, force: true });
      },
    };
  },
};

export const kubeconfigProvider: ClusterProvider = {
  name: 'kubeconfig',
  async unavailableReason() {
    const path = process.env.E2E_KUBECONFIG;
    if (!path) return 'E2E_KUBECONFIG is not set';
    return existsSync(path) ? undefined : `E2E_KUBECONFIG points at ${path}, which does not exist`;
  },
  async start(log) {
    const kubeconfigPath = process.env.E2E_KUBECONFIG ?? '';
    const binDir = await ensureBinaries();
    const runDir = await mkdtemp(join(tmpdir(), 'gamekeeper-e2e-'));
    log(`using the existing cluster of ${kubeconfigPath}`);
    await applyCrds(binDir, kubeconfigPath);
    return { provider: 'kubeconfig', kubeconfigPath, binDir, runDir, stop: () => rm(runDir, { recursive: true, force: true }) };
  },
};

export const k3sProvider: ClusterProvider = {
  name: 'k3s',
  async unavailableReason() {
    try {
      await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 });
      return undefined;
    } catch {
      return 'no Docker engine answers `docker info` on this machine';
    }
  },
  async start(log) {
    const { K3sContainer } = await import('@testcontainers/k3s');
    const image = process.env.E2E_K3S_IMAGE ?? 'rancher/k3s:v1.36.3-k3s1';
    log(`starting ${image}`);
    const container = await new K3sContainer(image).start();
    const binDir = await ensureBinaries();
    const runDir = await mkdtemp(join(tmpdir(), 'gamekeeper-e2e-'));
    const kubeconfigPath = join(runDir, 'kubeconfig');
    await writeFile(kubeconfigPath, container.getKubeConfig(), { mode: 0o600 });
    await applyCrds(binDir, kubeconfigPath);
    return {
      provider: 'k3s',
      kubeconfigPath,
      binDir,
      runDir,
      async stop() {
        await container.stop();
        await rm(runDir, { recursive: true, force: true });
      },
    };
  },
};

/** Picks the provider the environment asks for, saying why when it has to fall back. */
export async function selectProvider(log: (message: string) => void): Promise<ClusterProvider> {
  if (process.env.E2E_KUBECONFIG) {
    const reason = await kubeconfigProvider.unavailableReason();
    if (reason) throw new Error(reason);
    return kubeconfigProvider;
  }
  if (process.env.E2E_PROVIDER === 'k3s') {
    const reason = await k3sProvider.unavailableReason();
    if (!reason) return k3sProvider;
    log(`k3s provider skipped: ${reason}; using the local control plane`);
  }
  return localProvider;
}
