// One cluster per e2e run, shared by every test file (each test works in its
// own namespace). Called from jest's global setup and teardown.
import { E2E_ENV } from './support/env.js';
import { selectProvider, type ProvidedCluster } from './cluster/index.js';

declare global {
  var gamekeeperE2eCluster: ProvidedCluster | undefined;
}

export async function setUpCluster(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[e2e cluster] ${message}\n`);
  const started = Date.now();
  const provider = await selectProvider(log);
  const cluster = await provider.start(log);
  globalThis.gamekeeperE2eCluster = cluster;
  process.env[E2E_ENV.kubeconfig] = cluster.kubeconfigPath;
  process.env[E2E_ENV.binDir] = cluster.binDir;
  process.env[E2E_ENV.runDir] = cluster.runDir;
  process.env[E2E_ENV.provider] = cluster.provider;
  if (cluster.etcdUrl) process.env[E2E_ENV.etcdUrl] = cluster.etcdUrl;
  log(`${cluster.provider} cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s (run dir ${cluster.runDir})`);
}

export async function tearDownCluster(): Promise<void> {
  const cluster = globalThis.gamekeeperE2eCluster;
  globalThis.gamekeeperE2eCluster = undefined;
  await cluster?.stop();
}
