// The operator as its own process (so its CPU and memory are its own): the
// project's node (v24) running src/main.ts through the tsx loader, or the
// built dist/main.js. Its log goes to a file; /metrics is scraped over HTTP.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../e2e/cluster/paths.js';
import { BenchChild } from './child-process.js';
import type { Sample } from './prom-text.js';

export interface OperatorSettings {
  readonly qps: number;
  readonly burst: number;
  readonly gssWorkers: number;
  readonly gsWorkers: number;
  readonly probeConcurrency: number;
  /** Unset: the operator's default (runs that predate the flag, the peer's settings). */
  readonly directProbeConcurrency?: number;
}

export interface OperatorProcessOptions {
  readonly kubeconfigPath: string;
  readonly namespaces: readonly string[];
  readonly settings: OperatorSettings;
  readonly metricsPort: number;
  readonly healthPort: number;
  readonly logFile: string;
  /** What to run: the compiled `main.js` at this path, or src/main.ts through the tsx loader when undefined. */
  readonly entry: string | undefined;
  readonly logLevel?: string;
  /** More flags, after the others (a later flag wins), e.g. leader election for the stress run. */
  readonly extraFlags?: readonly string[];
  /** A folder for heap snapshots: node then writes one there on SIGUSR2 (`writeHeapSnapshot`). */
  readonly heapSnapshotDir?: string;
}

/** The operator, started from the repository (see OperatorProcessOptions.entry). */
export class OperatorProcess {
  private constructor(
    private readonly child: BenchChild,
    readonly options: OperatorProcessOptions,
  ) {}

  get pid(): number {
    return this.child.pid;
  }

  get command(): string {
    return this.child.commandLine;
  }

  static async start(options: OperatorProcessOptions): Promise<OperatorProcess> {
    const [command, ...args] = commandLine(options);
    const child = await BenchChild.start(
      {
        name: 'the operator',
        command: command!,
        args,
        env: { KUBECONFIG: options.kubeconfigPath },
        cwd: repoRoot,
        logFile: options.logFile,
        readyUrl: `http://127.0.0.1:${options.healthPort}/readyz`,
        metricsUrl: `http://127.0.0.1:${options.metricsPort}/metrics`,
      },
      120_000,
    );
    return new OperatorProcess(child, options);
  }

  /** Throws ChildExitedError if the operator has exited. */
  assertAlive(): void {
    this.child.assertAlive();
  }

  metrics(): Promise<Sample[]> {
    return this.child.metrics();
  }

  /**
   * Has node write a heap snapshot (SIGUSR2; the operator must have been
   * started with `heapSnapshotDir`) and moves it to `path` once written.
   */
  async writeHeapSnapshot(path: string, timeoutMs = 300_000): Promise<void> {
    const dir = this.options.heapSnapshotDir;
    if (!dir) throw new Error('the operator was started without heapSnapshotDir');
    this.assertAlive();
    const known = new Set(await readdir(dir));
    this.child.signal('SIGUSR2');
    const deadline = Date.now() + timeoutMs;
    let last = -1;
    for (;;) {
      const written = (await readdir(dir)).find((name) => !known.has(name) && name.endsWith('.heapsnapshot'));
      if (written) {
        // Done once its size holds still for a second (node writes it in one go, from a paused process).
        const size = (await stat(join(dir, written))).size;
        if (size > 0 && size === last) {
          await rename(join(dir, written), path);
          return;
        }
        last = size;
      }
      if (Date.now() > deadline) throw new Error(`no heap snapshot in ${dir} within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs = 10_000): Promise<void> {
    return this.child.stop(graceMs);
  }
}

/**
 * V8 flags of the operator process, the same as the Dockerfile's ENTRYPOINT
 * (BENCH_NODE_FLAGS="..." replaces them, for experiments). Without them V8
 * sizes the heap for the machine: 16 MB semi-spaces and an old generation
 * allowed to grow to 4x its live size before a full GC, i.e. ~4x the RSS the
 * operator needs (N = 100: 562 MB peak without the flags, 159 MB with them).
 */
export const OPERATOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=384'];

function commandLine(options: OperatorProcessOptions): string[] {
  const node = join(repoRoot, 'node_modules/.bin/node');
  const entry = options.entry ? [options.entry] : ['--import', 'tsx', join(repoRoot, 'src/main.ts')];
  if (options.entry && !existsSync(options.entry)) throw new Error(`${options.entry} is missing`);
  const { settings } = options;
  return [
    existsSync(node) ? node : process.execPath,
    ...(process.env.BENCH_NODE_FLAGS ?? OPERATOR_NODE_FLAGS.join(' ')).split(' ').filter(Boolean),
    ...(options.heapSnapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${options.heapSnapshotDir}`] : []),
    ...entry,
    `--kubeconfig=${options.kubeconfigPath}`,
    '--leader-elect=false',
    `--namespaces=${options.namespaces.join(',')}`,
    `--metrics-bind-address=127.0.0.1:${options.metricsPort}`,
    `--health-probe-bind-address=127.0.0.1:${options.healthPort}`,
    `--kube-api-qps=${settings.qps}`,
    `--kube-api-burst=${settings.burst}`,
    `--gss-workers=${settings.gssWorkers}`,
    `--gs-workers=${settings.gsWorkers}`,
    `--probe-concurrency=${settings.probeConcurrency}`,
    ...(settings.directProbeConcurrency !== undefined ? [`--direct-probe-concurrency=${settings.directProbeConcurrency}`] : []),
    `--log-level=${options.logLevel ?? 'info'}`,
    '--external-scaler-port=0',
    ...(options.extraFlags ?? []),
  ];
}

/**
 * Where `buildOperator` puts the compiled operator: under node_modules, so
 * neither git nor eslint sees it, with its own package.json (type module);
 * packages resolve from the repository's node_modules above it.
 */
export const BENCH_BUILD_DIR = join(repoRoot, 'node_modules/.cache/gamekeeper-bench/dist');

/** Compiles src/ (tsconfig.build.json) into BENCH_BUILD_DIR; resolves with the path of its main.js. */
export async function buildOperator(): Promise<string> {
  await promisify(execFile)(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', join(repoRoot, 'tsconfig.build.json'), '--outDir', BENCH_BUILD_DIR], {
    cwd: repoRoot,
    maxBuffer: 16 << 20,
  }).catch((error: unknown) => {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`compiling the operator failed (or run it with --operator=tsx):\n${output.slice(0, 4000)}`, { cause: error });
  });
  await writeFile(join(BENCH_BUILD_DIR, 'package.json'), '{ "type": "module" }\n');
  return join(BENCH_BUILD_DIR, 'main.js');
}
