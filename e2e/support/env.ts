// What the e2e global setup hands to every test file: where the running
// control plane is and how to reach it. Set as environment variables so that
// jest workers spawned after the setup inherit them.
import { KubeConfig } from '@kubernetes/client-node';

export const E2E_ENV = {
  kubeconfig: 'GAMEKEEPER_E2E_KUBECONFIG',
  binDir: 'GAMEKEEPER_E2E_BIN',
  runDir: 'GAMEKEEPER_E2E_RUNDIR',
  provider: 'GAMEKEEPER_E2E_PROVIDER',
  etcdUrl: 'GAMEKEEPER_E2E_ETCD_URL',
} as const;

export interface E2eEnvironment {
  /** Admin kubeconfig of the cluster under test. */
  readonly kubeconfigPath: string;
  /** Directory holding kubectl, helm, kwok and the control-plane binaries. */
  readonly binDir: string;
  /** Scratch directory of this run (component logs live in `<runDir>/logs`). */
  readonly runDir: string;
  /** Which provider started the cluster: local, kubeconfig or k3s. */
  readonly provider: string;
  /** etcd's client URL (local provider only), e.g. to compact and force a 410. */
  readonly etcdUrl?: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: e2e tests must run through jest's e2e project (npm run test:e2e)`);
  }
  return value;
}

export function e2eEnvironment(): E2eEnvironment {
  return {
    kubeconfigPath: required(E2E_ENV.kubeconfig),
    binDir: required(E2E_ENV.binDir),
    runDir: required(E2E_ENV.runDir),
    provider: process.env[E2E_ENV.provider] ?? 'local',
    etcdUrl: process.env[E2E_ENV.etcdUrl],
  };
}

/** A fresh admin KubeConfig for the cluster under test. */
export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(e2eEnvironment().kubeconfigPath);
  return kc;
}
