// How the process reaches the API server: its URL, the TLS material and the
// Authorization header of each request.
//
// The common cases are read here directly: in-cluster (service-account token
// and CA, the token file re-read as the kubelet rotates it) and kubeconfig
// files with certificates or a token. Anything else a kubeconfig can hold
// (exec plugins, auth providers, basic auth, several files in KUBECONFIG)
// is delegated to client-node's KubeConfig, loaded only then:
// importing client-node's index builds every generated model and costs the
// process about 70 MB of RSS, which the operator does not otherwise need.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';

/** What a request or a websocket needs besides the URL. */
export interface ConnectionOptions {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized?: boolean;
  readonly servername?: string;
  /** Authorization (and any other header the credentials add). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface Credentials {
  /** API server URL without a trailing slash. */
  readonly server: string;
  /** The cluster's `proxy-url` (HTTP CONNECT), which wins over HTTPS_PROXY/NO_PROXY. */
  readonly proxyUrl?: string;
  /** TLS material and headers for the next request; a rotated token is picked up here. */
  connection(): Promise<ConnectionOptions>;
}

export class KubeConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeConfigError';
  }
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** client-go re-reads a token file at most once a minute. */
const TOKEN_FILE_MAX_AGE_MS = 60_000;

/** Static TLS material plus a bearer token that is either fixed or read from a file. */
class StaticCredentials implements Credentials {
  private token: { value: string; readAt: number } | undefined;

  constructor(
    readonly server: string,
    private readonly tls: Omit<ConnectionOptions, 'headers'>,
    private readonly bearer: { readonly token?: string; readonly tokenFile?: string },
    private readonly now: () => number,
    readonly proxyUrl?: string,
  ) {}

  async connection(): Promise<ConnectionOptions> {
    const token = this.currentToken();
    return { ...this.tls, headers: token ? { Authorization: `Bearer ${token}` } : {} };
  }

  private currentToken(): string | undefined {
    if (this.bearer.token) return this.bearer.token;
    const file = this.bearer.tokenFile;
    if (!file) return undefined;
    if (!this.token || this.now() - this.token.readAt > TOKEN_FILE_MAX_AGE_MS) {
      this.token = { value: readFileSync(file, 'utf8').trim(), readAt: this.now() };
    }
    return this.token.value;
  }
}

/** Credentials from a client-node KubeConfig (any auth it supports: exec plugins, OIDC, basic auth). */
export function credentialsFromKubeConfig(kubeConfig: KubeConfig): Credentials {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new KubeConfigError('the kubeconfig has no current cluster');
  return {
    server: trimServer(cluster.server),
    ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}),
    async connection() {
      const options: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string; headers?: Record<string, string>; auth?: string } = {};
      await kubeConfig.applyToHTTPSOptions(options);
      const headers: Record<string, string> = { ...options.headers };
      if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
      return {
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.cert ? { cert: options.cert } : {}),
        ...(options.key ? { key: options.key } : {}),
        ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        ...(options.servername ? { servername: options.servername } : {}),
        headers,
      };
    },
  };
}

/**
 * The credentials of kubeconfig `path`; without a path, in-cluster when
 * running in a pod, else $KUBECONFIG, else ~/.kube/config (client-go's
 * loading order).
 */
export async function loadCredentials(path?: string, options: LoadOptions = {}): Promise<Credentials> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const context = options.context;
  if (path) return fromKubeConfigFile(path, now, context);
  if (env.KUBERNETES_SERVICE_HOST && !context) return inCluster(env, now);
  const fromEnv = env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? [];
  if (fromEnv.length > 1) return viaClientNode((kubeConfig) => loadInContext(kubeConfig, () => kubeConfig.loadFromDefault(), context));
  return fromKubeConfigFile(fromEnv[0] ?? join(homedir(), '.kube', 'config'), now, context);
}

export interface LoadOptions {
  /** Environment to read KUBERNETES_SERVICE_HOST/PORT and KUBECONFIG from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Clock of the token-file refresh (tests). */
  readonly now?: () => number;
  /** Context to use instead of the kubeconfig's current-context (kubectl --context). */
  readonly context?: string;
}

function loadInContext(kubeConfig: KubeConfig, load: () => void, context: string | undefined): void {
  load();
  if (context) kubeConfig.setCurrentContext(context);
}

function inCluster(env: NodeJS.ProcessEnv, now: () => number): Credentials {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new StaticCredentials(server, { ca: readFile(join(SERVICE_ACCOUNT_DIR, 'ca.crt')) }, { tokenFile: join(SERVICE_ACCOUNT_DIR, 'token') }, now);
}

/** The parts of a kubeconfig read here; the rest is passed over. */
const KubeConfigFile = z.object({
  'current-context': z.string().optional(),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string().optional() }) })).nullish(),
  clusters: z.array(z.object({ name: z.string(), cluster: z.record(z.string(), z.unknown()) })).nullish(),
  users: z.array(z.object({ name: z.string(), user: z.record(z.string(), z.unknown()).nullish() })).nullish(),
});
type KubeConfigFile = z.infer<typeof KubeConfigFile>;

/** Cluster and user fields read here; a kubeconfig using any other goes to client-node. */
const PLAIN_CLUSTER_FIELDS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'proxy-url', 'extensions']);
const PLAIN_USER_FIELDS = new Set(['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'extensions']);

async function fromKubeConfigFile(path: string, now: () => number, contextOverride?: string): Promise<Credentials> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new KubeConfigError(`cannot read kubeconfig ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const result = KubeConfigFile.safeParse(parsed ?? {});
  if (!result.success) throw new KubeConfigError(`kubeconfig ${path} is malformed: ${z.prettifyError(result.error)}`, { cause: result.error });
  const file: KubeConfigFile = result.data;
  const contextName = contextOverride ?? file['current-context'];
  const context = file.contexts?.find((entry) => entry.name === contextName)?.context;
  if (!context) throw new KubeConfigError(`kubeconfig ${path}: ${contextOverride ? 'context' : 'current-context'} ${JSON.stringify(contextName)} is not defined`);
  const cluster = file.clusters?.find((entry) => entry.name === context.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw new KubeConfigError(`kubeconfig ${path}: cluster ${JSON.stringify(context.cluster)} has no server`);
  const user = file.users?.find((entry) => entry.name === context.user)?.user ?? {};
  const plain = Object.keys(cluster).every((key) => PLAIN_CLUSTER_FIELDS.has(key)) && Object.keys(user).every((key) => PLAIN_USER_FIELDS.has(key));
  if (!plain) return viaClientNode((kubeConfig) => loadInContext(kubeConfig, () => kubeConfig.loadFromFile(path), contextOverride));

  const base = dirname(path);
  const material = (data: unknown, file: unknown): Buffer | undefined => {
    if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
    if (typeof file === 'string' && file) return readFile(isAbsolute(file) ? file : join(base, file));
    return undefined;
  };
  const ca = material(cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = material(user['client-certificate-data'], user['client-certificate']);
  const key = material(user['client-key-data'], user['client-key']);
  const tokenFile = typeof user.tokenFile === 'string' && user.tokenFile ? (isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile)) : undefined;
  return new StaticCredentials(
    trimServer(cluster.server),
    {
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(cluster['insecure-skip-tls-verify'] === true ? { rejectUnauthorized: false } : {}),
      ...(typeof cluster['tls-server-name'] === 'string' ? { servername: cluster['tls-server-name'] } : {}),
    },
    { ...(typeof user.token === 'string' && user.token ? { token: user.token } : {}), ...(tokenFile ? { tokenFile } : {}) },
    now,
    typeof cluster['proxy-url'] === 'string' && cluster['proxy-url'] ? cluster['proxy-url'] : undefined,
  );
}

async function viaClientNode(load: (kubeConfig: KubeConfig) => void): Promise<Credentials> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  try {
    load(kubeConfig);
  } catch (error) {
    throw new KubeConfigError(`cannot load the kubeconfig: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return credentialsFromKubeConfig(kubeConfig);
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new KubeConfigError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function trimServer(server: string): string {
  return server.replace(/\/+$/, '');
}
