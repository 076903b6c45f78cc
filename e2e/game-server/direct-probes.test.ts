// httpGet and tcpSocket service qualities go from the operator straight to
// the pod's address, never through the API server. The pods here use the host
// network, so kwok gives them the node's address, 127.0.0.1 (--node-ip), and
// a real HTTP server and TCP listener on 127.0.0.1 answer for them. And when
// the due rate exceeds what the operator can serve (one direct probe at a
// time against a slow server), the set gets one Warning event, and a Normal
// one when the probes keep up again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { createPod, createSet, getGameServer, startGameServerController, type EventView, type RunningController } from './harness.js';

let namespace: string;
let controller: RunningController;

beforeAll(async () => {
  namespace = await createTestNamespace('gs-direct');
  controller = startGameServerController(namespace, { directProbeConcurrency: 1 });
});
afterAll(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
});

const fast = { initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 3, successThreshold: 1, failureThreshold: 1 };

async function listen(server: HttpServer | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: HttpServer | TcpServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function setEvents(type: 'Warning' | 'Normal', set: string): Promise<EventView[]> {
  const out = await kubectl(['-n', namespace, 'get', 'events', '--field-selector', `type=${type},involvedObject.kind=GameServerSet,involvedObject.name=${set}`, '-o', 'json']);
  return (JSON.parse(out) as { items: EventView[] }).items;
}

describe('httpGet and tcpSocket probes', () => {
  it('probe the pod address directly, and their results set opsState', async () => {
    let body = 'idle';
    const requests: string[] = [];
    const http = createHttpServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.end(body);
    });
    const tcp = createTcpServer((socket) => socket.end());
    const httpPort = await listen(http);
    const tcpPort = await listen(tcp);
    try {
      const set = await createSet(namespace, 'direct', {
        serviceQualities: [
          {
            name: 'players',
            httpGet: { path: '/players', port: httpPort },
            ...fast,
            serviceQualityAction: [
              { state: true, result: 'idle', opsState: 'WaitToBeDeleted' },
              { state: true, result: 'playing', opsState: 'None' },
            ],
          },
          { name: 'port', tcpSocket: { port: tcpPort }, ...fast, serviceQualityAction: [{ state: false, opsState: 'Maintaining' }] },
        ],
      });
      await createPod(namespace, set, 0, { hostNetwork: true });
      await eventually(async () => (await getGameServer(namespace, 'direct-0')).spec.opsState === 'WaitToBeDeleted', {
        description: 'direct-0 WaitToBeDeleted from the HTTP body',
        timeoutMs: 30_000,
      });
      expect(requests).toContain('GET /players');
      await eventually(
        async () => {
          const gs = await getGameServer(namespace, 'direct-0');
          expect(gs.status?.serviceQualitiesConditions).toEqual(
            expect.arrayContaining([
              expect.objectContaining({ name: 'players', status: 'True', result: 'idle' }),
              expect.objectContaining({ name: 'port', status: 'True' }),
            ]),
          );
          return true;
        },
        { description: 'both conditions True', timeoutMs: 30_000 },
      );

      // the TCP listener goes away: the connection is refused, the probe fails
      await close(tcp);
      await eventually(async () => (await getGameServer(namespace, 'direct-0')).spec.opsState === 'Maintaining', {
        description: 'direct-0 Maintaining once the TCP port is closed',
        timeoutMs: 30_000,
      });
      await eventually(
        async () => (await getGameServer(namespace, 'direct-0')).status?.serviceQualitiesConditions?.find((c) => c.name === 'port')?.status === 'False',
        { description: 'the port condition False', timeoutMs: 30_000 },
      );

      // a player joins: the HTTP result changes, and its action sets opsState again
      body = 'playing';
      await eventually(async () => (await getGameServer(namespace, 'direct-0')).spec.opsState === 'None', {
        description: 'direct-0 None once the body says playing',
        timeoutMs: 30_000,
      });
    } finally {
      await close(http);
      if (tcp.listening) await close(tcp);
    }
  });

  it('says once on the set when the probes fall behind, and once when they keep up again', async () => {
    let delayMs = 1500;
    const http = createHttpServer((_request, response) => {
      setTimeout(() => response.end('ok'), delayMs);
    });
    const port = await listen(http);
    try {
      // 2 probes due per second; one runs at a time (directProbeConcurrency 1) and each takes 1.5 s. (Two pods: the
      // host-network pods claim their container port on the node, and direct-0 holds it on one of the three nodes.)
      const set = await createSet(namespace, 'slow', {
        serviceQualities: [{ name: 'slow', httpGet: { path: '/', port }, ...fast, serviceQualityAction: [{ state: true, opsState: 'None' }] }],
      });
      for (let id = 0; id < 2; id++) await createPod(namespace, set, id, { hostNetwork: true });
      const warning = await eventually(async () => (await setEvents('Warning', 'slow')).find((e) => e.reason === 'ProbesFallingBehind') ?? false, {
        description: 'a ProbesFallingBehind Warning on the set',
        timeoutMs: 60_000,
      });
      expect(warning.message).toMatch(/^service-quality probes are falling behind their periods: direct probes \d+\.\d\/s due, \d+\.\d\/s served, \d+ late \(at most 1 at once, --direct-probe-concurrency\)/);

      // still behind two windows later: no second event, and the one there was not repeated
      const laterWindow = Date.now() + 21_000;
      await eventually(() => Date.now() > laterWindow, { description: 'two more backlog windows', timeoutMs: 30_000, intervalMs: 1000 });
      const warnings = (await setEvents('Warning', 'slow')).filter((e) => e.reason === 'ProbesFallingBehind');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.count ?? 1).toBe(1);

      // the server answers at once: the queue drains, and three clean windows later the set is told
      delayMs = 0;
      const caughtUp = await eventually(async () => (await setEvents('Normal', 'slow')).find((e) => e.reason === 'ProbesCaughtUp') ?? false, {
        description: 'a ProbesCaughtUp event on the set',
        timeoutMs: 90_000,
        intervalMs: 1000,
      });
      expect(caughtUp.message).toMatch(/^service-quality probes keep up again: direct probes 2\.0\/s due, \d+\.\d\/s served, 0 late/);
      expect((await setEvents('Warning', 'slow')).filter((e) => e.reason === 'ProbesFallingBehind')).toHaveLength(1);
    } finally {
      await close(http);
    }
  });
});
