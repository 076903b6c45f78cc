// Step 8: httpGet and tcpSocket service-quality probes, which the operator
// sends straight to the pod IP. kwok hands pods addresses from the loopback
// pod CIDR (127.10.0.0/16, e2e/cluster/local-control-plane.ts), so a local
// responder bound to each pod's own IP (never a wildcard address) answers for
// every room: an HTTP server on one port and a bare TCP listener on another.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { bucketDelta, histogramQuantile } from './stats.js';
import { bucketsOf, sumOf, type Sample } from './prom-text.js';
import type { OperatorProcess } from './operator-process.js';
import { cpuSeconds } from './proc.js';

export const DIRECT_PROBE_PERIOD_SECONDS = 10;
export const HTTP_PROBE_NAME = 'bench-http';
export const TCP_PROBE_NAME = 'bench-tcp';

/** The httpGet and tcpSocket service qualities of step 8, with an action that changes nothing (as step 7's). */
export function directProbes(httpPort: number, tcpPort: number, periodSeconds = DIRECT_PROBE_PERIOD_SECONDS): unknown[] {
  const common = { permanent: false, periodSeconds, timeoutSeconds: 2, serviceQualityAction: [{ state: true, opsState: 'None' }] };
  return [
    { name: HTTP_PROBE_NAME, httpGet: { path: '/ready', port: httpPort }, ...common },
    { name: TCP_PROBE_NAME, tcpSocket: { port: tcpPort }, ...common },
  ];
}

/** HTTP and TCP listeners on each pod IP; counts what they answered. */
export class Responder {
  httpRequests = 0;
  tcpConnections = 0;
  private readonly servers: (HttpServer | TcpServer)[] = [];

  private constructor(
    readonly httpPort: number,
    readonly tcpPort: number,
  ) {}

  /** Listens on every address (each must be in 127.0.0.0/8) on both ports. */
  static async start(addresses: readonly string[], httpPort: number, tcpPort: number): Promise<Responder> {
    const responder = new Responder(httpPort, tcpPort);
    try {
      for (const address of addresses) {
        if (!address.startsWith('127.')) throw new Error(`pod IP ${address} is not a loopback address: the responder only listens on 127.0.0.0/8`);
        const http = createHttpServer((_request, response) => {
          responder.httpRequests++;
          response.end('ok');
        });
        const tcp = createTcpServer((socket) => {
          responder.tcpConnections++;
          socket.on('error', () => undefined);
          socket.end();
        });
        responder.servers.push(http, tcp);
        await Promise.all([listen(http, address, httpPort), listen(tcp, address, tcpPort)]);
      }
    } catch (error) {
      await responder.stop();
      throw error;
    }
    return responder;
  }

  get listeners(): number {
    return this.servers.length;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }
}

function listen(server: HttpServer | TcpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 511 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export interface DirectProbeResult {
  readonly seconds: number;
  /** httpGet + tcpSocket probes the operator completed per second (its counter, lane=direct). */
  readonly probesPerSecond: number;
  readonly byOutcome: Record<string, number>;
  /** 2N / period. */
  readonly expectedPerSecond: number;
  readonly p50DelaySeconds: number | undefined;
  readonly p99DelaySeconds: number | undefined;
  /** HTTP requests and TCP connections the responder answered per second (cross-check). */
  readonly answeredPerSecond: number;
  /** Late rounds counted by the operator in the window (skipped or started over 2 s late). */
  readonly late: number;
  readonly cpuSeconds: number;
  /** Operator writes per second in the window (the probes' results change nothing, so ~0 once every server reported). */
  readonly writesPerSecond: number;
  readonly listeners: number;
}

const PROBES_TOTAL = 'gamekeeper_service_quality_probes_total';
const PROBE_DELAY = 'gamekeeper_service_quality_probe_delay_seconds';
const PROBES_LATE = 'gamekeeper_service_quality_probes_late_total';
const direct = (labels: Readonly<Record<string, string>>) => labels.lane === 'direct';

export async function measureDirectProbes(operator: OperatorProcess, responder: Responder, seconds: number, expectedPerSecond: number): Promise<DirectProbeResult> {
  const answered = () => responder.httpRequests + responder.tcpConnections;
  const before = await operator.metrics();
  const answeredBefore = answered();
  const cpuBefore = cpuSeconds(operator.pid);
  const started = Date.now();
  await sleep(seconds * 1000);
  const after = await operator.metrics();
  const elapsed = (Date.now() - started) / 1000;
  const delta = (name: string, where: (labels: Readonly<Record<string, string>>) => boolean) => sumOf(after, name, where) - sumOf(before, name, where);
  const byOutcome: Record<string, number> = {};
  for (const outcome of ['success', 'failure', 'error']) {
    const count = delta(PROBES_TOTAL, (l) => direct(l) && l.outcome === outcome);
    if (count > 0) byOutcome[outcome] = count;
  }
  const completed = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  const delay = bucketDelta(directBuckets(after), directBuckets(before));
  return {
    seconds: elapsed,
    probesPerSecond: completed / elapsed,
    byOutcome,
    expectedPerSecond,
    p50DelaySeconds: histogramQuantile(delay, 50),
    p99DelaySeconds: histogramQuantile(delay, 99),
    answeredPerSecond: (answered() - answeredBefore) / elapsed,
    late: delta(PROBES_LATE, direct),
    cpuSeconds: cpuSeconds(operator.pid) - cpuBefore,
    writesPerSecond: delta('rest_client_requests_total', (l) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(l.method ?? '')) / elapsed,
    listeners: responder.listeners,
  };
}

function directBuckets(samples: readonly Sample[]): Map<number, number> {
  return bucketsOf(
    samples.filter((sample) => sample.name !== `${PROBE_DELAY}_bucket` || direct(sample.labels)),
    PROBE_DELAY,
  );
}
