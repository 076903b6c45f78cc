// The operator as its own process (src/main.ts through tsx), the way a
// Deployment runs it: for tests that kill it with SIGKILL, run two replicas
// with leader election, or poll its /healthz from outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../cluster/ports.js';
import { repoRoot } from '../cluster/paths.js';
import { e2eEnvironment } from './env.js';
import { eventually } from './eventually.js';

export interface OperatorLogLine {
  readonly message?: string;
  readonly level?: string;
  readonly timestamp?: string;
  readonly [key: string]: unknown;
}

export interface OperatorProcessOptions {
  readonly identity: string;
  readonly namespaces: readonly string[];
  /** Leader election in this namespace (omit: leader election off). */
  readonly leaseNamespace?: string;
  readonly leaseName?: string;
  /** More flags, e.g. `--kube-api-qps=5`. */
  readonly flags?: readonly string[];
}

export class OperatorProcess {
  readonly lines: OperatorLogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private constructor(
    readonly identity: string,
    readonly healthUrl: string,
    private readonly child: ChildProcess,
  ) {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          this.lines.push(JSON.parse(line) as OperatorLogLine);
        } catch {
          this.lines.push({ message: line });
        }
        if (process.env.E2E_OPERATOR_LOG === 'true') process.stderr.write(`[${identity}] ${line}\n`);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.lines.push({ message: chunk, level: 'stderr' });
      if (process.env.E2E_OPERATOR_LOG === 'true') process.stderr.write(`[${identity} stderr] ${chunk}`);
    });
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(options: OperatorProcessOptions): Promise<OperatorProcess> {
    const port = await freePort();
    const leader = options.leaseNamespace
      ? [
          '--leader-elect=true',
          `--leader-elect-resource-namespace=${options.leaseNamespace}`,
          `--leader-elect-resource-name=${options.leaseName ?? 'gamekeeper'}`,
          `--leader-elect-identity=${options.identity}`,
        ]
      : ['--leader-elect=false'];
    const flags = [
      `--kubeconfig=${e2eEnvironment().kubeconfigPath}`,
      `--namespaces=${options.namespaces.join(',')}`,
      `--metrics-bind-address=127.0.0.1:${port}`,
      `--health-probe-bind-address=127.0.0.1:${port}`,
      '--log-level=debug',
      // Several operator processes run at once (and beside other test runs): no fixed port for KEDA's scaler.
      '--external-scaler-port=0',
      ...leader,
      ...(options.flags ?? []),
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/main.ts'), ...flags], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new OperatorProcess(options.identity, `http://127.0.0.1:${port}`, child);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first log line with this message, if any. */
  logged(message: string): OperatorLogLine | undefined {
    return this.lines.find((line) => line.message === message);
  }

  /** Waits for a log line with this message; fails at once, with the log's tail, if the process exits first. */
  async waitForLog(message: string, timeoutMs = 60_000): Promise<OperatorLogLine> {
    return eventually(
      () => {
        const line = this.logged(message);
        if (line) return line;
        if (!this.alive) throw new Error(`${this.identity} exited before logging "${message}":\n${this.tail()}`);
        return false;
      },
      { timeoutMs, intervalMs: 100, description: `${this.identity} logging "${message}"` },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${this.tail()}`, { cause: error });
    });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`) and waits for it. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The last `count` log lines, for failure messages. */
  tail(count = 40): string {
    return this.lines
      .slice(-count)
      .map((line) => JSON.stringify(line))
      .join('\n');
  }
}
