// The side port: /metrics (Prometheus text), /healthz (the process is up)
// and /readyz (caches synced, and workers running on the leader). Each probe
// answers 200 "ok" or 503 with one line per failing check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from 'winston';

/** A named check: undefined when healthy, otherwise why not. */
export interface HealthCheck {
  readonly name: string;
  check(): string | undefined;
}

export interface HttpServerOptions {
  /** `host:port`, `:port` (all interfaces) or `0` for a free port (tests). */
  readonly address: string;
  readonly registry?: Registry;
  readonly healthz?: readonly HealthCheck[];
  readonly readyz?: readonly HealthCheck[];
  readonly logger: Logger;
}

export class InvalidAddressError extends Error {
  constructor(address: string) {
    super(`invalid bind address ${JSON.stringify(address)} (want host:port or :port)`);
    this.name = 'InvalidAddressError';
  }
}

/** Splits `host:port` / `:port` / `[::1]:port`; an empty host means all interfaces. */
export function parseBindAddress(address: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*))?:(\d+)$/.exec(address.trim()) ?? /^()()(\d+)$/.exec(address.trim());
  if (!match) throw new InvalidAddressError(address);
  const port = Number(match[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidAddressError(address);
  const host = match[1] ?? match[2];
  return { host: host ? host : undefined, port };
}

function probe(checks: readonly HealthCheck[], response: ServerResponse, verbose: boolean): void {
  const failures: string[] = [];
  const lines: string[] = [];
  for (const check of checks) {
    let problem: string | undefined;
    try {
      problem = check.check();
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (problem !== undefined) failures.push(`[-]${check.name} failed: ${problem}`);
    lines.push(problem === undefined ? `[+]${check.name} ok` : `[-]${check.name} failed: ${problem}`);
  }
  response.writeHead(failures.length === 0 ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(verbose ? `${lines.join('\n')}\n` : failures.length === 0 ? 'ok' : `${failures.join('\n')}\n`);
}

export class HttpServer {
  private readonly server: Server;

  constructor(private readonly options: HttpServerOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        options.logger.error('http handler failed', { err: error, url: request.url });
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    const { host, port } = parseBindAddress(this.options.address);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const bound = (this.server.address() as AddressInfo).port;
    this.options.logger.info('serving metrics and probes', { address: this.options.address, port: bound });
    return bound;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const verbose = url.searchParams.has('verbose');
    switch (url.pathname) {
      case '/metrics':
        if (!this.options.registry) break;
        response.writeHead(200, { 'Content-Type': this.options.registry.contentType });
        response.end(await this.options.registry.metrics());
        return;
      case '/healthz':
      case '/livez':
        probe(this.options.healthz ?? [], response, verbose);
        return;
      case '/readyz':
        probe(this.options.readyz ?? [], response, verbose);
        return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('not found\n');
  }
}
