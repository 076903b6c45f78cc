// Jest global setup of the e2e project: one cluster per test run, shared by
// every test file (each test works in its own namespace).
import { E2E_ENV } from './support/env.js';
import { selectProvider, type ProvidedCluster } from './cluster/index.js';

declare global {
  var gamekeeperE2eCluster: ProvidedCluster | undefined;
}

export default async function globalSetup(): Promise<void> {
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
