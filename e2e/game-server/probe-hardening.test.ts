// Service-quality probes cannot be turned against the operator (issue 13):
// a probe goes to the pod's own IP only, follows no redirect, and reads a
// few KiB of a response body at most, however much the server sends.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_VERSION } from '../../src/api/constants.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { createPod, createSet, getGameServer, startGameServerController, type RunningController } from './harness.js';

let namespace: string;
let controller: RunningController;

beforeAll(async () => {
  namespace = await createTestNamespace('gs-probe-hard');
  controller = startGameServerController(namespace);
});
afterAll(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

const fast = { initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 3, successThreshold: 1, failureThreshold: 1 };
const MiB = 1024 * 1024;

async function listen(handler: (path: string, response: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => handler(request.url ?? '/', response));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Streams `total` bytes of 'x' with back-pressure; resolves with what was written before the connection ended. */
function stream(response: ServerResponse, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  return new Promise((resolve) => {
    const pump = () => {
      while (sent < total && !response.destroyed) {
        sent += chunk.length;
        if (!response.write(chunk)) return;
      }
      if (!response.destroyed) response.end();
    };
    response.on('drain', pump);
    response.on('close', () => resolve(sent));
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(total) });
    pump();
  });
}

describe('service-quality probe hardening', () => {
  it('an httpGet probe to another host is refused by the API server', async () => {
    const body = {
      apiVersion: API_VERSION,
      kind: 'GameServerSet',
      metadata: { name: 'snoop', namespace },
      spec: {
        replicas: 1,
        gameServerTemplate: { spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] } },
        serviceQualities: [{ name: 'secret', httpGet: { host: '127.0.0.1', port: 2379, path: '/version' }, serviceQualityAction: [{ state: true, opsState: 'None' }] }],
      },
    };
    const refused = await kubectl(['apply', '-f', '-'], { input: JSON.stringify(body) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String(refused)).toContain('spec.serviceQualities[0].httpGet.host');
    expect(String(refused)).toContain("host is not supported: a probe goes to the pod's own IP");
    const tcp = { ...body, spec: { ...body.spec, serviceQualities: [{ name: 'port', tcpSocket: { host: '127.0.0.1', port: 2379 } }] } };
    const refusedTcp = await kubectl(['apply', '-f', '-'], { input: JSON.stringify(tcp) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String(refusedTcp)).toContain('spec.serviceQualities[0].tcpSocket.host');
  });

  it('a redirect off the pod is not followed', async () => {
    const secret = await listen((_path, response) => response.end('secret'));
    let secretRequests = 0;
    secret.server.on('request', () => secretRequests++);
    const pod = await listen((_path, response) => {
      response.writeHead(302, { Location: `http://127.0.0.1:${secret.port}/secret` });
      response.end();
    });
    try {
      const set = await createSet(namespace, 'redirect', {
        serviceQualities: [{ name: 'follow', httpGet: { path: '/', port: pod.port }, ...fast, serviceQualityAction: [{ state: true, deletionPriority: 7 }] }],
      });
      await createPod(namespace, set, 0);
      const condition = await eventually(
        async () => {
          const found = (await getGameServer(namespace, 'redirect-0')).status?.serviceQualitiesConditions?.[0];
          return found?.status === 'True' ? found : false;
        },
        { description: 'redirect probe True', timeoutMs: 30_000 },
      );
      // a success whose result is what OpenKruise's prober (the kubelet's) says of a redirect it did not follow, and the secret's body is not in it
      expect(condition.result).toBe('Probe terminated redirects, Response body: ');
      expect(secretRequests).toBe(0);
    } finally {
      await close(pod.server);
      await close(secret.server);
    }
  });

  it('a 300 MB body is read a few KiB deep, the connection closed, and memory stays flat', async () => {
    const sentPerRequest: number[] = [];
    const big = await listen((_path, response) => void stream(response, 300 * MiB).then((sent) => sentPerRequest.push(sent)));
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 100);
    const before = process.memoryUsage().rss;
    try {
      const set = await createSet(namespace, 'huge', {
        serviceQualities: [{ name: 'body', httpGet: { path: '/big', port: big.port }, ...fast, serviceQualityAction: [{ state: true, opsState: 'Allocated' }] }],
      });
      await createPod(namespace, set, 0);
      await createPod(namespace, set, 1);
      await eventually(
        async () => {
          const servers = await Promise.all(['huge-0', 'huge-1'].map((name) => getGameServer(namespace, name)));
          return servers.every((gs) => gs.status?.serviceQualitiesConditions?.[0]?.status === 'True') ? servers : false;
        },
        { description: 'both probes True', timeoutMs: 30_000 },
      );
      // Several rounds of both probes (one a second each).
      await eventually(() => sentPerRequest.length >= 8, { description: 'eight probe requests answered', timeoutMs: 30_000 });
      const gs = await getGameServer(namespace, 'huge-0');
      expect(gs.spec.opsState).toBe('Allocated');
      expect(gs.status?.serviceQualitiesConditions?.[0]?.result).toBe('x'.repeat(1024));
    } finally {
      clearInterval(sampler);
      await close(big.server);
    }
    const peak = Math.max(before, ...rss);
    console.log(
      `300 MB bodies: ${sentPerRequest.length} requests, at most ${(Math.max(...sentPerRequest) / MiB).toFixed(1)} MiB written per request before the probe closed it; ` +
        `test-process RSS ${(before / MiB).toFixed(0)} MiB before, peak ${(peak / MiB).toFixed(0)} MiB`,
    );
    // The server got the connection closed long before its 300 MB were out (socket buffers hold a few MiB).
    for (const sent of sentPerRequest) expect(sent).toBeLessThan(32 * MiB);
    expect(peak - before).toBeLessThan(150 * MiB);
  });
});
