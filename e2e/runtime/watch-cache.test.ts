// The watch cache never goes silent: after a forced connection drop, and
// after the API server is killed mid-watch while etcd compacts its history
// (the resumed watch gets 410 Gone and the informer relists), the cache and
// what a reconciler saw end equal to a fresh list — no event lost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { enqueueSelf, watch } from '../../src/runtime/handlers.js';
import type { SharedInformer } from '../../src/runtime/informer.js';
import { CONFIG_MAPS } from '../../src/runtime/resource.js';
import { adminKubeConfig, createTestNamespace, deleteTestNamespace, eventually } from '../support/index.js';
import {
  DroppingProxy,
  compactEtcd,
  coreApi,
  ensureApiServer,
  killApiServer,
  listConfigMapData,
  listConfigMapVersions,
  startTestManager,
  type ConfigMap,
  type RunningManager,
} from './support.js';

const LABEL = 'e2e.gamekeeper.dev/cache';
const SELECTOR = `${LABEL}=true`;

let namespace: string;
let proxy: DroppingProxy;
let running: RunningManager;
let informer: SharedInformer<ConfigMap>;
/** What the test reconciler last read from the cache for each key (a missing object removes the key). */
const mirror = new Map<string, Record<string, string>>();

const core = () => coreApi();
const labelled = (name: string, data: Record<string, string>): ConfigMap => ({ metadata: { name, labels: { [LABEL]: 'true' } }, data });

async function create(name: string, data: Record<string, string>): Promise<void> {
  await core().createNamespacedConfigMap({ namespace, body: labelled(name, data) });
}

async function update(name: string, data: Record<string, string>): Promise<void> {
  const current = await core().readNamespacedConfigMap({ namespace, name });
  await core().replaceNamespacedConfigMap({ namespace, name, body: { ...current, data } });
}

async function remove(name: string): Promise<void> {
  await core().deleteNamespacedConfigMap({ namespace, name });
}

/** Cache and mirror both equal a fresh list (resourceVersions for the cache, data for the mirror). */
async function converged(description: string): Promise<void> {
  await eventually(
    async () => {
      const versions = await listConfigMapVersions(namespace, SELECTOR);
      const cached = Object.fromEntries(informer.store.list().map((cm) => [cm.metadata!.name!, cm.metadata!.resourceVersion!]));
      expect(cached).toEqual(versions);
      expect(Object.fromEntries(mirror)).toEqual(await listConfigMapData(namespace, SELECTOR));
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 200, description },
  );
}

beforeAll(async () => {
  namespace = await createTestNamespace('rt-cache');
  proxy = new DroppingProxy(new URL(adminKubeConfig().getCurrentCluster()!.server));
  await proxy.listen();
  running = startTestManager({
    namespaces: [namespace],
    kubeConfig: proxy.kubeConfig(adminKubeConfig()),
    manager: { watcher: { backoff: { initialMs: 100, maxMs: 1_000 }, inactivityTimeoutMs: 60_000 } },
    setUp(manager) {
      informer = manager.informer<ConfigMap>(CONFIG_MAPS, { labelSelector: SELECTOR });
      manager.addController({
        name: 'cache-mirror',
        workers: 2,
        watches: [watch(informer, enqueueSelf)],
        reconciler: {
          async reconcile(request) {
            const cm = informer.store.getByName(request.namespace, request.name);
            if (cm) mirror.set(request.name, { ...(cm.data ?? {}) });
            else mirror.delete(request.name);
          },
        },
      });
    },
  });
  for (let i = 0; i < 5; i++) await create(`c${i}`, { v: '0' });
  await informer.synced;
  await converged('the initial list');
});

afterAll(async () => {
  await ensureApiServer();
  await running?.stop();
  await proxy?.close();
  await deleteTestNamespace(namespace);
});

describe('watch cache', () => {
  it('converges after a forced connection drop, with writes while disconnected', async () => {
    const before = { ...informer.stats };
    proxy.block();
    try {
      await update('c0', { v: '1' });
      await remove('c1');
      await create('c5', { v: '0' });
      await core().createNamespacedConfigMap({ namespace, body: { metadata: { name: 'unlabelled' }, data: { v: '0' } } });
    } finally {
      proxy.unblock();
    }
    await converged('the cache after the connection drop');
    expect(informer.stats.watches).toBeGreaterThan(before.watches);
    expect(informer.stats.errors + informer.stats.watches - before.watches).toBeGreaterThan(0);
    await update('c2', { v: '1' });
    await converged('the cache on the resumed watch');
  });

  it('converges after the API server is killed mid-watch and etcd compacted: 410 Gone, relist, no event lost', async () => {
    await eventually(() => proxy.openConnections > 0, { timeoutMs: 10_000, description: 'an open watch connection' });
    await update('c3', { v: '1' });
    await converged('a change seen on the live watch');
    // A write the informer's selector does not see: the API server's new
    // watch cache starts after the informer's last resourceVersion.
    await update('unlabelled', { v: '1' });
    const before = { ...informer.stats };
    try {
      await killApiServer();
      const revision = await compactEtcd();
      expect(revision).toBeGreaterThan(0);
    } finally {
      await ensureApiServer();
    }
    await update('c0', { v: '2' });
    await remove('c4');
    await create('c6', { v: '0' });
    await converged('the cache after the API server restart');
    expect(informer.stats.goneRelists).toBeGreaterThan(before.goneRelists);
    expect(informer.stats.lists).toBeGreaterThan(before.lists);
    expect(running.manager.readinessProblems()).toEqual([]);
  });
});
