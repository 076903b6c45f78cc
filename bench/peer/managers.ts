// Starts the peer's two managers on the peer's control plane, as local
// processes, at one client rate: OpenKruise first (its webhooks on 127.0.0.1,
// WEBHOOK_HOST=127.0.0.1: it issues its own CA and certificate and points its
// two webhook configurations there; without them its controllers never start
// and OKG's Advanced StatefulSets lack the defaults they need), then OKG
// (--enable-cert-generation=false with the control plane's certificate for
// 127.0.0.1, and its webhooks registered with a URL on 127.0.0.1).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../e2e/cluster/ports.js';
import { isAlreadyExists } from '../../src/runtime/errors.js';
import type { KubeClient } from '../../src/runtime/kube-client.js';
import type { KubeObject } from '../../src/runtime/object.js';
import { NAMESPACES, type ResourceDescriptor } from '../../src/runtime/resource.js';
import { isObjectNotFound } from '../../src/runtime/write-errors.js';
import { writer } from '../../src/runtime/writes.js';
import { BenchChild } from '../child-process.js';
import type { PeerBuild } from './build.js';
import type { PeerRate } from './options.js';
import type { PeerCluster } from './peer-cluster.js';
import { KRUISE_NAMESPACE, kruiseWebhookConfigurations, okgWebhookConfigurations, type WebhookConfiguration } from './webhooks.js';

/** OKG's chart passes these workers with its rate (values.yaml of chart 1.0.0). */
export const OKG_WORKERS = { gameServer: 10, gameServerSet: 10 } as const;
/** OpenKruise's binary default client rate; its chart passes none. */
export const KRUISE_DEFAULT_RATE = { qps: 30, burst: 50 } as const;

/**
 * OpenKruise's client rate for a peer setting: its own default next to OKG's
 * chart default (how the charts install them), the same as OKG's otherwise.
 */
export function kruiseRateFor(rate: PeerRate): { qps: number; burst: number } {
  return rate.label === 'chart default' ? { ...KRUISE_DEFAULT_RATE } : { qps: rate.qps, burst: rate.burst };
}

/** How long each manager may take to answer /readyz (OpenKruise waits for its webhooks first). */
const MANAGER_READY_TIMEOUT_MS = 180_000;

/**
 * OKG exits without a cloud-provider file: only the kubernetes provider (as in
 * the chart's config.toml; the bench's set asks for no network, so none acts).
 */
const OKG_PROVIDER_CONFIG = '[kubernetes]\nenable = true\n[kubernetes.hostPort]\nmax_port = 9000\nmin_port = 8000\n';

export interface PeerManagers {
  readonly okg: BenchChild;
  readonly kruise: BenchChild;
  readonly kruiseRate: { readonly qps: number; readonly burst: number };
  stop(): Promise<void>;
}

export async function startPeerManagers(
  client: KubeClient,
  build: PeerBuild,
  cluster: PeerCluster,
  rate: PeerRate,
  dir: string,
  log: (message: string) => void,
): Promise<PeerManagers> {
  await mkdir(dir, { recursive: true });
  const env = { KUBECONFIG: cluster.kubeconfigPath };
  await createIfMissing(client, NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: KRUISE_NAMESPACE } });
  const kruiseConfigs = kruiseWebhookConfigurations(
    await readFile(join(build.kruiseWebhookDir, 'manifests.yaml'), 'utf8'),
    await readFile(join(build.kruiseWebhookDir, 'patch_manifests.yaml'), 'utf8'),
  );
  // OpenKruise rewrites these (URL, CA) once it runs: create them only when missing.
  for (const config of kruiseConfigs) await createIfMissing(client, configurationsOf(config), config);

  const kruiseRate = kruiseRateFor(rate);
  const [kruiseWebhook, kruiseMetrics, kruiseHealth] = [await freePort(), await freePort(), await freePort()];
  log(`starting OpenKruise (rate ${kruiseRate.qps}/${kruiseRate.burst}, webhooks on 127.0.0.1:${kruiseWebhook})`);
  const kruise = await BenchChild.start({
    name: 'kruise',
    command: build.kruiseManager,
    args: [
      '--enable-leader-election=false',
      `--metrics-addr=127.0.0.1:${kruiseMetrics}`,
      `--health-probe-addr=127.0.0.1:${kruiseHealth}`,
      '--enable-pprof=false',
      `--rest-config-qps=${kruiseRate.qps}`,
      `--rest-config-burst=${kruiseRate.burst}`,
    ],
    env: {
      ...env,
      POD_NAMESPACE: KRUISE_NAMESPACE,
      WEBHOOK_HOST: '127.0.0.1',
      WEBHOOK_PORT: String(kruiseWebhook),
      WEBHOOK_CERT_DIR: join(dir, 'kruise-certs'),
    },
    logFile: join(dir, 'kruise.log'),
    readyUrl: `http://127.0.0.1:${kruiseHealth}/readyz`,
    metricsUrl: `http://127.0.0.1:${kruiseMetrics}/metrics`,
  }, MANAGER_READY_TIMEOUT_MS);

  try {
    const certDir = join(dir, 'okg-certs');
    await mkdir(certDir, { recursive: true });
    await copyFile(cluster.pki.cert, join(certDir, 'tls.crt'));
    await copyFile(cluster.pki.key, join(certDir, 'tls.key'));
    const providerConfig = join(dir, 'okg-config.toml');
    await writeFile(providerConfig, OKG_PROVIDER_CONFIG);
    const [okgWebhook, okgMetrics, okgHealth, okgScale] = [await freePort(), await freePort(), await freePort(), await freePort()];
    log(`starting OKG (rate ${rate.qps}/${rate.burst}, webhooks on 127.0.0.1:${okgWebhook})`);
    const okg = await BenchChild.start({
      name: 'okg',
      command: build.okgManager,
      args: [
        '--leader-elect=false',
        `--metrics-bind-address=127.0.0.1:${okgMetrics}`,
        `--health-probe-bind-address=127.0.0.1:${okgHealth}`,
        `--scale-server-bind-address=127.0.0.1:${okgScale}`,
        `--provider-config=${providerConfig}`,
        `--api-server-qps=${rate.qps}`,
        `--api-server-qps-burst=${rate.burst}`,
        `--gameserver-workers=${OKG_WORKERS.gameServer}`,
        `--gameserverset-workers=${OKG_WORKERS.gameServerSet}`,
        '--enable-cert-generation=false',
        `--webhook-server-certs-dir=${certDir}`,
        `--webhook-port=${okgWebhook}`,
      ],
      env,
      logFile: join(dir, 'okg.log'),
      readyUrl: `http://127.0.0.1:${okgHealth}/readyz`,
      metricsUrl: `http://127.0.0.1:${okgMetrics}/metrics`,
    }, MANAGER_READY_TIMEOUT_MS).catch(async (error: unknown) => {
      await kruise.stop();
      throw error;
    });
    // Registered after OKG answers (its GameServerSet validation fails closed); replaced on every start (the port changes).
    const caBundle = (await readFile(cluster.pki.caCert)).toString('base64');
    for (const config of okgWebhookConfigurations(await readFile(join(build.okgWebhookDir, 'manifests.yaml'), 'utf8'), okgWebhook, caBundle)) {
      await writer(client, configurationsOf(config))
        .delete(undefined, config.metadata.name)
        .catch((error: unknown) => {
          if (!isObjectNotFound(error)) throw error;
        });
      await writer(client, configurationsOf(config)).create(config);
    }
    return {
      okg,
      kruise,
      kruiseRate,
      async stop() {
        await okg.stop();
        await kruise.stop();
      },
    };
  } catch (error) {
    await kruise.stop();
    throw error;
  }
}

function configurationsOf(config: WebhookConfiguration): ResourceDescriptor {
  const plural = config.kind === 'MutatingWebhookConfiguration' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
  return { group: 'admissionregistration.k8s.io', version: 'v1', plural, kind: config.kind, namespaced: false };
}

async function createIfMissing(client: KubeClient, resource: ResourceDescriptor, body: KubeObject): Promise<void> {
  await writer(client, resource)
    .create(body)
    .catch((error: unknown) => {
      if (!isAlreadyExists(error)) throw error;
    });
}
