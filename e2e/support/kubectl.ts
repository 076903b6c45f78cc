// Runs the kubectl built with the control plane against the cluster under
// test, as a user would.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { e2eEnvironment } from './env.js';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's standard input (e.g. a manifest for `apply -f -`). */
  readonly input?: string;
  /** Kill kubectl after this long (default 60 s). */
  readonly timeoutMs?: number;
}

export class KubectlError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: CommandResult,
  ) {
    super(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
    this.name = 'KubectlError';
  }
}

export interface RunOptions {
  /** Environment added to this process's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to standard input. */
  readonly input?: string;
  /** Kill the command after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Working directory (default: the test process's). */
  readonly cwd?: string;
}

/** Runs a command and resolves with its exit code and output, whatever the code. */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that exits without reading its input (helm refusing a value) closes the pipe: its exit code tells, not EPIPE.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs kubectl and resolves with its exit code and output, whatever the code. */
export function runKubectl(args: readonly string[], options: KubectlOptions = {}): Promise<CommandResult> {
  const env = e2eEnvironment();
  return runCommand(join(env.binDir, 'kubectl'), args, { ...options, env: { KUBECONFIG: env.kubeconfigPath } });
}

/** Runs kubectl and returns its standard output; throws KubectlError on a non-zero exit. */
export async function kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<string> {
  const result = await runKubectl(args, options);
  if (result.code !== 0) throw new KubectlError(args, result);
  return result.stdout;
}
