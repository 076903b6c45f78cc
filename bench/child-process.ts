// A process the bench runs beside the control plane (our operator, or one of
// the peer's managers): its output goes to a log file, it is ready once an
// HTTP endpoint answers 200, its Prometheus metrics are scraped over HTTP,
// and it is stopped with SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { parseMetrics, type Sample } from './prom-text.js';

export interface ChildProcessOptions {
  /** How errors name it: "the operator", "okg", "kruise". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly logFile: string;
  readonly readyUrl: string;
  readonly metricsUrl: string;
}

export class ChildExitedError extends Error {
  constructor(
    readonly child: string,
    readonly code: number | null,
    readonly logFile: string,
  ) {
    super(`${child} exited (code ${code}); see ${logFile}`);
    this.name = 'ChildExitedError';
  }
}

export class BenchChild {
  private exited: { code: number | null } | undefined;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly options: ChildProcessOptions,
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

  /** The command as a shell would run it, its added environment first. */
  get commandLine(): string {
    const env = Object.entries(this.options.env ?? {}).map(([key, value]) => `${key}=${value}`);
    return [...env, this.options.command, ...this.options.args].join(' ');
  }

  /** Starts it and resolves once `readyUrl` answers 200 (bounded by `timeoutMs`); a child that is not ready is stopped. */
  static async start(options: ChildProcessOptions, timeoutMs: number): Promise<BenchChild> {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const started = new BenchChild(child, options);
    try {
      await started.waitReady(timeoutMs);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  /** Throws ChildExitedError if it has exited. */
  assertAlive(): void {
    if (this.exited) throw new ChildExitedError(this.options.name, this.exited.code, this.options.logFile);
  }

  async metrics(): Promise<Sample[]> {
    this.assertAlive();
    const response = await fetch(this.options.metricsUrl);
    if (!response.ok) throw new Error(`${this.options.name}: GET /metrics answered ${response.status}`);
    return parseMetrics(await response.text());
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
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
