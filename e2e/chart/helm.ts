// helm as the chart tests run it: the binary of the cached control-plane
// build, its caches in the run's scratch directory, the test cluster's
// kubeconfig.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eEnvironment, runCommand, type CommandResult } from '../support/index.js';

export const chartDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'charts', 'gamekeeper');

/**
 * The Kubernetes version `helm template` renders for. A helm built from
 * source (as the cache's is) defaults to v1.20, below the chart's
 * kubeVersion; released binaries default to a current version.
 */
export const RENDER_KUBE_VERSION = '1.36.0';

export function helm(args: readonly string[]): Promise<CommandResult> {
  const { binDir, kubeconfigPath, runDir } = e2eEnvironment();
  const home = (kind: string) => join(runDir, 'helm', kind);
  return runCommand(join(binDir, 'helm'), args, {
    env: { KUBECONFIG: kubeconfigPath, HELM_CACHE_HOME: home('cache'), HELM_CONFIG_HOME: home('config'), HELM_DATA_HOME: home('data') },
    timeoutMs: 120_000,
  });
}

/** `helm template` of the chart with `args`. */
export function helmTemplate(args: readonly string[], chart = chartDir): Promise<CommandResult> {
  return helm(['template', 'gk', chart, '--namespace', 'gamekeeper-system', '--kube-version', RENDER_KUBE_VERSION, ...args]);
}
