// Runs `kubectl gs` against the cluster under test: as a process (the
// executable from the checkout, through tsx), or in-process when a test
// needs to step between its read and its write.
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { connect } from '../../src/cli/kube-context.js';
import type { Room } from '../../src/cli/rooms.js';
import { e2eEnvironment, runCommand, type CommandResult } from '../support/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** `kubectl gs ARGS` as a user runs it (KUBECONFIG of the test cluster). */
export function kubectlGs(args: readonly string[], timeoutMs = 120_000, kubeconfig = e2eEnvironment().kubeconfigPath): Promise<CommandResult> {
  return runCommand(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src', 'cli', 'kubectl-gs.ts'), ...args], {
    env: { KUBECONFIG: kubeconfig },
    timeoutMs,
  });
}

/** `kubectl gs ARGS` in this process; `beforeRoomWrite` runs between the read of each room and its write. */
export async function kubectlGsInProcess(args: readonly string[], beforeRoomWrite?: (room: Room) => Promise<void>): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { KUBECONFIG: e2eEnvironment().kubeconfigPath },
    now: Date.now,
    interactive: false,
    ...(beforeRoomWrite ? { beforeRoomWrite } : {}),
    connect: () => connect({ kubeconfig: e2eEnvironment().kubeconfigPath, ...namespaceFlag(args) }),
  });
  return { code, stdout, stderr };
}

function namespaceFlag(args: readonly string[]): { namespace?: string } {
  const index = args.findIndex((arg) => arg === '-n' || arg === '--namespace');
  return index >= 0 && args[index + 1] ? { namespace: args[index + 1]! } : {};
}

/** Rows of a kubectl-style table (header first), split on runs of 2+ spaces... or column starts. */
export function tableRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}
