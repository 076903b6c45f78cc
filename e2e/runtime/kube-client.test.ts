// The runtime's HTTPS client against the real API server: requests reuse a
// bounded pool of keep-alive connections (a burst queues for a connection
// instead of opening one per request), watches get connections of their own,
// and API errors come back typed with the Status reason. The request timeout
// covers the exchange with the server, not the wait for a rate-limit token,
// and a fenced client (a leader that lost its Lease) sends nothing more.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { credentialsFromKubeConfig } from '../../src/runtime/credentials.js';
import { isNotFound, apiErrorInfo } from '../../src/runtime/errors.js';
import { ClientFencedError, HttpMethod, KubeClient } from '../../src/runtime/kube-client.js';
import { resourcePath, CONFIG_MAPS } from '../../src/runtime/resource.js';
import { adminKubeConfig, createTestNamespace, deleteTestNamespace, eventually } from '../support/index.js';
import { DroppingProxy } from './support.js';

let namespace: string;
let proxy: DroppingProxy;
let client: KubeClient;

beforeAll(async () => {
  namespace = await createTestNamespace('kube-client');
  proxy = new DroppingProxy(new URL(adminKubeConfig().getCurrentCluster()!.server));
  await proxy.listen();
  client = new KubeClient({ credentials: credentialsFromKubeConfig(proxy.kubeConfig(adminKubeConfig())), qps: 0 });
});

afterAll(async () => {
  await proxy?.close();
  await deleteTestNamespace(namespace);
});

describe('KubeClient', () => {
  it('sends sequential requests over one kept-alive connection', async () => {
    const before = proxy.accepted;
    for (let i = 0; i < 20; i++) await client.request(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace));
    expect(proxy.accepted - before).toBe(1);
  });

  it('queues a burst of 300 requests on at most 64 connections', async () => {
    const before = proxy.accepted;
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        client.request(HttpMethod.POST, resourcePath(CONFIG_MAPS, namespace), { body: { metadata: { name: `burst-${i}` }, data: { i: String(i) } } }),
      ),
    );
    const opened = proxy.accepted - before;
    expect(opened).toBeGreaterThan(1);
    expect(opened).toBeLessThanOrEqual(64);
    const list = await client.request<{ items: unknown[] }>(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace));
    expect(list.items.length).toBeGreaterThanOrEqual(300);
  });

  it('reports a missing object as a typed 404 with the Status reason', async () => {
    const failure = await client.request(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace, 'absent')).catch((error: unknown) => error);
    expect(isNotFound(failure)).toBe(true);
    expect(apiErrorInfo(failure)).toMatchObject({ code: 404, reason: 'NotFound' });
  });

  it('recovers when its connections are dropped', async () => {
    await client.request(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace));
    proxy.drop();
    // A request may still pick an idle connection whose close it has not seen yet (at most the 16 kept idle).
    let failures = 0;
    await eventually(
      () =>
        client.request(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace)).then(
          () => true,
          () => (failures++, false),
        ),
      { timeoutMs: 10_000, intervalMs: 20, description: 'a request succeeding after the drop' },
    );
    expect(failures).toBeLessThanOrEqual(16);
  });

  it('does not time a request out while it waits for a rate-limit token', async () => {
    // 2 requests a second, a 1 s timeout: the last of 8 waits about 3.5 s for its token.
    const slow = new KubeClient({ credentials: credentialsFromKubeConfig(adminKubeConfig()), qps: 2, burst: 1, requestTimeoutMs: 1_000 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => slow.request(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace))));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill('fulfilled'));
  });

  it('a fenced client drops the requests it has not sent and refuses new ones', async () => {
    const admin = new KubeClient({ credentials: credentialsFromKubeConfig(adminKubeConfig()), qps: 0 });
    const fenced = new KubeClient({ credentials: credentialsFromKubeConfig(adminKubeConfig()), qps: 1, burst: 1 });
    await fenced.request(HttpMethod.POST, resourcePath(CONFIG_MAPS, namespace), { body: { metadata: { name: 'fence-sent' } } });
    const queued = Array.from({ length: 5 }, (_, i) =>
      fenced.request(HttpMethod.POST, resourcePath(CONFIG_MAPS, namespace), { body: { metadata: { name: `fence-queued-${i}` } } }).catch((e: unknown) => e),
    );
    fenced.fence(new Error('lease lost'));
    const outcomes = await Promise.all(queued);
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(ClientFencedError);
    const later = await fenced.request(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace)).catch((e: unknown) => e);
    expect(later).toBeInstanceOf(ClientFencedError);
    expect(fenced.isFenced).toBe(true);
    const list = await admin.request<{ items: { metadata: { name: string } }[] }>(HttpMethod.GET, resourcePath(CONFIG_MAPS, namespace));
    const names = list.items.map((item) => item.metadata.name);
    expect(names).toContain('fence-sent');
    expect(names.filter((name) => name.startsWith('fence-queued-'))).toEqual([]);
  });
});
