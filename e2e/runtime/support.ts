// Helpers of the runtime e2e tests: an in-process Manager over ConfigMaps with
// a test-only reconciler, a TCP proxy that can drop every connection, and
// control of the shared cluster's kube-apiserver and etcd (restart, compact).
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket, connect } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Manager, type ManagerOptions } from '../../src/runtime/manager.js';
import { credentialsFromKubeConfig } from '../../src/runtime/credentials.js';
import type { KubeObject } from '../../src/runtime/object.js';
import { httpStatus } from '../cluster/health.js';
import { isAlive, listComponents, startComponent, stopComponent } from '../cluster/processes.js';
import { adminKubeConfig, e2eEnvironment, eventually } from '../support/index.js';

export type ConfigMap = V1ConfigMap & KubeObject;

/** A Manager under test, its log lines, and a stop that drains it. */
export interface RunningManager {
  readonly manager: Manager;
  readonly logs: readonly string[];
  stop(): Promise<void>;
}

export interface TestManagerOptions {
  readonly namespaces: readonly string[];
  readonly flags?: readonly string[];
  readonly kubeConfig?: KubeConfig;
  readonly manager?: Partial<Pick<ManagerOptions, 'watcher' | 'serveHttp'>>;
  /** Registers informers and controllers before the manager runs. */
  readonly setUp: (manager: Manager) => void;
}

/** Builds a Manager (leader election off unless flags say otherwise), lets `setUp` register, and runs it. */
export function startTestManager(options: TestManagerOptions): RunningManager {
  const config = loadConfig(
    [`--namespaces=${options.namespaces.join(',')}`, '--leader-elect=false', '--kube-api-qps=200', '--kube-api-burst=400', ...(options.flags ?? [])],
    {},
  );
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.setEncoding('utf8').on('data', (line: string) => {
    logs.push(line.trimEnd());
    if (process.env.E2E_OPERATOR_LOG === 'true') process.stderr.write(line);
  });
  const logger = createLogger({ level: 'debug', stream });
  const manager = new Manager({
    credentials: credentialsFromKubeConfig(options.kubeConfig ?? adminKubeConfig()),
    config,
    logger,
    metrics: new Metrics({ defaultMetrics: false }),
    serveHttp: false,
    gracefulShutdownTimeoutMs: 10_000,
    ...options.manager,
  });
  options.setUp(manager);
  const abort = new AbortController();
  const running = manager.run(abort.signal);
  let failure: unknown;
  running.catch((error: unknown) => (failure = error));
  return {
    manager,
    logs,
    async stop() {
      abort.abort();
      await running.catch(() => undefined);
      if (failure) throw new Error('the manager failed while the test ran', { cause: failure });
    },
  };
}

export function coreApi(): CoreV1Api {
  return adminKubeConfig().makeApiClient(CoreV1Api);
}

/** name → data of the ConfigMaps a fresh list returns (the truth a cache must converge to). */
export async function listConfigMapData(namespace: string, labelSelector: string): Promise<Record<string, Record<string, string>>> {
  const list = await coreApi().listNamespacedConfigMap({ namespace, labelSelector });
  return Object.fromEntries(list.items.map((cm) => [cm.metadata!.name!, cm.data ?? {}]));
}

/** name → resourceVersion of a fresh list. */
export async function listConfigMapVersions(namespace: string, labelSelector: string): Promise<Record<string, string>> {
  const list = await coreApi().listNamespacedConfigMap({ namespace, labelSelector });
  return Object.fromEntries(list.items.map((cm) => [cm.metadata!.name!, cm.metadata!.resourceVersion!]));
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP proxy in front of the API server (TLS passes through untouched).
 * `drop` destroys every open connection; `block` refuses new ones until `unblock`.
 */
export class DroppingProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private blocked = false;
  port = 0;
  /** Client connections accepted so far. */
  accepted = 0;

  constructor(private readonly upstream: URL) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A kubeconfig like `base` whose cluster is reached through this proxy. */
  kubeConfig(base: KubeConfig): KubeConfig {
    const cluster = base.getCurrentCluster()!;
    const user = base.getCurrentUser()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ ...cluster, name: 'proxied', server: `https://127.0.0.1:${this.port}` }],
      users: [user],
      contexts: [{ name: 'proxied', cluster: 'proxied', user: user.name }],
      currentContext: 'proxied',
    });
    return kc;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  drop(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  block(): void {
    this.blocked = true;
    this.drop();
  }

  unblock(): void {
    this.blocked = false;
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    if (this.blocked) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(this.upstream.port), this.upstream.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

const APISERVER = 'kube-apiserver';

/** True when the API server of the cluster under test answers /readyz with 200. */
export async function apiServerReady(): Promise<boolean> {
  const env = e2eEnvironment();
  const ca = readFileSync(join(env.runDir, 'pki', 'ca.crt'));
  const server = adminKubeConfig().getCurrentCluster()!.server;
  return (await httpStatus(`${server}/readyz`, ca)) === 200;
}

/** Kills the API server (SIGKILL: a crash, no goodbye bookmarks). */
export async function killApiServer(): Promise<void> {
  await stopComponent(e2eEnvironment().runDir, APISERVER, 'SIGKILL', 5_000);
}

/** Starts the API server again with its recorded command line (if it is not running) and waits for /readyz. */
export async function ensureApiServer(): Promise<void> {
  const { runDir } = e2eEnvironment();
  const record = listComponents(runDir).find((component) => component.name === APISERVER);
  if (!record) throw new Error(`no ${APISERVER} recorded in ${runDir}`);
  if (!isAlive(record.pid)) {
    await startComponent(runDir, { name: record.name, command: record.command, args: record.args, order: record.order });
  }
  await eventually(apiServerReady, { timeoutMs: 60_000, intervalMs: 200, description: `${APISERVER} /readyz after a restart` });
}

interface EtcdHeader {
  header?: { revision?: string };
}

async function etcdPost(path: string, body: unknown): Promise<EtcdHeader> {
  const etcdUrl = e2eEnvironment().etcdUrl;
  if (!etcdUrl) throw new Error('GAMEKEEPER_E2E_ETCD_URL is not set (local provider only)');
  const response = await fetch(`${etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`etcd ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as EtcdHeader;
}

/** Compacts etcd's history up to its current revision (every older resourceVersion is gone); returns that revision. */
export async function compactEtcd(): Promise<number> {
  const range = await etcdPost('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
  const revision = Number(range.header?.revision);
  if (!Number.isInteger(revision) || revision <= 0) throw new Error(`etcd returned no revision: ${JSON.stringify(range)}`);
  await etcdPost('/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
