// httpGet and tcpSocket probes against real listeners on 127.0.0.1: success
// as the kubelet counts it, and the result OpenKruise's PodProbeMarker
// reports (the message its prober returns).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { runHttpProbe } from './http-probe.js';
import { runTcpProbe } from './tcp-probe.js';

let http: HttpServer;
let httpPort: number;
let tcp: TcpServer;
let tcpPort: number;
let closedPort: number;

const listen = async (server: HttpServer | TcpServer): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  http = createHttpServer((request, response) => {
    const status = Number(/^\/status\/(\d+)/.exec(request.url ?? '')?.[1] ?? 200);
    if (request.url === '/slow') return void setTimeout(() => response.end('late'), 2000);
    response.writeHead(status, status >= 300 && status < 400 ? { Location: 'http://127.0.0.1:1/' } : {});
    response.end(request.url === '/header' ? String(request.headers['x-room']) : `body ${status}`);
  });
  httpPort = await listen(http);
  tcp = createTcpServer((socket) => socket.end());
  tcpPort = await listen(tcp);
  const spare = createTcpServer();
  closedPort = await listen(spare);
  await new Promise((resolve) => spare.close(resolve));
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await new Promise((resolve) => tcp.close(resolve));
});

const get = (path: string, options: { headers?: { name: string; value: string }[]; port?: number; signal?: AbortSignal } = {}) =>
  runHttpProbe(
    { scheme: 'HTTP', host: '127.0.0.1', port: options.port ?? httpPort, path, ...(options.headers ? { headers: options.headers } : {}) },
    options.signal ?? new AbortController().signal,
  );

describe('httpGet probe', () => {
  it.each([
    ['/status/200', { outcome: 'success', output: 'body 200' }],
    ['/status/204', { outcome: 'success', output: '' }],
    ['/status/302', { outcome: 'success', output: 'Probe terminated redirects, Response body: body 302' }],
    ['/status/399', { outcome: 'success', output: 'Probe terminated redirects, Response body: body 399' }],
    ['/status/400', { outcome: 'failure', output: 'HTTP probe failed with statuscode: 400', message: 'HTTP probe failed with statuscode: 400' }],
    ['/status/503', { outcome: 'failure', output: 'HTTP probe failed with statuscode: 503', message: 'HTTP probe failed with statuscode: 503' }],
  ])('GET %s → %j', async (path, expected) => {
    expect(await get(path)).toEqual(expected);
  });

  it('sends the probe headers', async () => {
    expect(await get('/header', { headers: [{ name: 'X-Room', value: 'r-7' }] })).toEqual({ outcome: 'success', output: 'r-7' });
  });

  it('a refused connection is a failure whose result is the error', async () => {
    const result = await get('/', { port: closedPort });
    expect(result.outcome).toBe('failure');
    expect(result.outcome === 'failure' && result.output).toMatch(new RegExp(`^Get "http://127.0.0.1:${closedPort}/": .*ECONNREFUSED`));
  });

  it('stops at the signal (the scheduler aborts it at timeoutSeconds)', async () => {
    const result = await get('/slow', { signal: AbortSignal.timeout(100) });
    expect(result.outcome).toBe('failure');
  });
});

describe('tcpSocket probe', () => {
  it('an open port is a success with an empty result', async () => {
    expect(await runTcpProbe('127.0.0.1', tcpPort, new AbortController().signal)).toEqual({ outcome: 'success', output: '' });
  });

  it('a closed port is a failure whose result is the dial error', async () => {
    const result = await runTcpProbe('127.0.0.1', closedPort, new AbortController().signal);
    expect(result.outcome).toBe('failure');
    expect(result.outcome === 'failure' && result.output).toMatch(new RegExp(`^dial tcp 127.0.0.1:${closedPort}: .*ECONNREFUSED`));
  });
});
