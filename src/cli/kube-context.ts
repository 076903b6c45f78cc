// Where the plugin talks to and in which namespace, resolved as kubectl does:
// --kubeconfig, else $KUBECONFIG (first file that names the context), else
// ~/.kube/config; --context over the current-context; -n over the context's
// namespace over "default". The credentials themselves come from the
// operator's own loader (runtime/credentials.ts).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { loadCredentials } from '../runtime/credentials.js';
import { KubeClient } from '../runtime/kube-client.js';

export interface ConnectionFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
}

export interface KubeTarget {
  readonly client: KubeClient;
  /** Namespace of -n, else of the context, else "default". */
  readonly namespace: string;
}

interface KubeConfigFragment {
  'current-context'?: string;
  contexts?: { name?: string; context?: { namespace?: string } }[] | null;
}

/** The kubeconfig files kubectl would read, in order. */
export function kubeConfigFiles(flags: ConnectionFlags, env: NodeJS.ProcessEnv): string[] {
  if (flags.kubeconfig) return [flags.kubeconfig];
  const fromEnv = env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? [];
  return fromEnv.length > 0 ? fromEnv : [join(homedir(), '.kube', 'config')];
}

/** The namespace of `contextName` (or the current context) in the first file that defines it. */
export function contextNamespace(files: readonly { readonly text: string }[], contextName: string | undefined): string | undefined {
  const parsed = files.map((file) => (parseYaml(file.text) ?? {}) as KubeConfigFragment);
  const name = contextName ?? parsed.map((file) => file['current-context']).find((value) => value);
  if (!name) return undefined;
  for (const file of parsed) {
    const context = file.contexts?.find((entry) => entry.name === name);
    if (context) return context.context?.namespace || undefined;
  }
  return undefined;
}

const IN_CLUSTER_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export async function connect(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<KubeTarget> {
  const credentials = await loadCredentials(flags.kubeconfig, { env, ...(flags.context ? { context: flags.context } : {}) });
  const client = new KubeClient({ credentials, qps: 0, userAgent: 'kubectl-gs', fieldManager: 'kubectl-gs' });
  return { client, namespace: flags.namespace || defaultNamespace(flags, env) };
}

function defaultNamespace(flags: ConnectionFlags, env: NodeJS.ProcessEnv): string {
  const inCluster = !flags.kubeconfig && !flags.context && env.KUBERNETES_SERVICE_HOST && !env.KUBECONFIG;
  if (inCluster) return existsSync(IN_CLUSTER_NAMESPACE) ? readFileSync(IN_CLUSTER_NAMESPACE, 'utf8').trim() || 'default' : 'default';
  const files = kubeConfigFiles(flags, env)
    .filter((path) => existsSync(path))
    .map((path) => ({ text: readFileSync(path, 'utf8') }));
  return contextNamespace(files, flags.context) ?? 'default';
}
