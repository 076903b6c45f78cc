// One of the peer's managers (OKG's or OpenKruise's Go binary) as a local
// process: its log goes to a file, readiness is its /readyz, and its
// controller-runtime metrics (rest_client_requests_total) are scraped over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { parseMetrics, type Sample } from '../prom-text.js';

export interface ManagerProcessOptions {
  /** How the report names it: "okg" or "kruise". */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly readyUrl: string;
  readonly metricsUrl: string;
}

export class ManagerExitedError extends Error {
  constructor(
    readonly manager: string,
    readonly code: number | null,
    readonly logFile: string,
  ) {
    super(`${manager} exited (code ${code}); see ${logFile}`);
    this.name = 'ManagerExitedError';
  }
}

export class ManagerProcess {
  private exited: { code: number | null } | undefined;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly options: ManagerProcessOptions,
  ) {
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exited = { code };
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get command(): string {
    const env = Object.entries(this.options.env).map(([key, value]) => `${key}=${value}`);
    return [...env, this.options.binary, ...this.options.args].join(' ');
  }

  /** Starts the binary and resolves once its /readyz answers 200 (bounded by `timeoutMs`). */
  static async start(options: ManagerProcessOptions, timeoutMs = 180_000): Promise<ManagerProcess> {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(options.binary, options.args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const manager = new ManagerProcess(child, options);
    try {
      await manager.waitReady(timeoutMs);
    } catch (error) {
      await manager.stop();
      throw error;
    }
    return manager;
  }

  assertAlive(): void {
    if (this.exited) throw new ManagerExitedError(this.options.name, this.exited.code, this.options.logFile);
  }

  async metrics(): Promise<Sample[]> {
    this.assertAlive();
    const response = await fetch(this.options.metricsUrl);
    if (!response.ok) throw new Error(`${this.options.name}: GET /metrics answered ${response.status}`);
    return parseMetrics(await response.text());
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertAlive();
      try {
        const response = await fetch(this.options.readyUrl);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.options.name} was not ready within ${timeoutMs / 1000} s; see ${this.options.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
