// npm run cluster:up | cluster:down | cluster:status — the local control plane
// for development. State lives in .cluster/ (git-ignored); the admin
// kubeconfig is .cluster/kubeconfig.
import { copyFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBinaries, listComponents, isAlive, localClusterDir, readClusterInfo, startLocalControlPlane, stopLocalControlPlane } from '../e2e/cluster/index.js';
import { httpStatus } from '../e2e/cluster/health.js';

const runDir = join(localClusterDir, 'run');
const kubeconfig = join(localClusterDir, 'kubeconfig');
const say = (message: string) => process.stderr.write(`[cluster] ${message}\n`);

async function running(): Promise<boolean> {
  const info = readClusterInfo(runDir);
  if (!info) return false;
  const components = listComponents(runDir);
  if (components.length === 0 || !components.every((c) => isAlive(c.pid))) return false;
  const ca = readFileSync(join(runDir, 'pki', 'ca.crt'));
  return (await httpStatus(`${info.server}/readyz`, ca)) === 200;
}

async function up(): Promise<void> {
  const nodes = Number(process.env.CLUSTER_NODES ?? 3);
  if (await running()) {
    say(`already running (${readClusterInfo(runDir)?.server}); reusing it`);
  } else {
    await stopLocalControlPlane(runDir);
    await rm(runDir, { recursive: true, force: true });
    const binDir = await ensureBinaries();
    const started = Date.now();
    const info = await startLocalControlPlane({ runDir, binDir, nodes, log: say });
    await copyFile(info.kubeconfigPath, kubeconfig);
    say(`control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${info.server}, ${info.nodes.length} kwok nodes, logs in ${join(runDir, 'logs')}`);
    say(`kubectl, helm and kwok are in ${binDir}`);
  }
  process.stdout.write(`export KUBECONFIG=${kubeconfig}\n`);
}

async function down(): Promise<void> {
  await stopLocalControlPlane(runDir);
  await rm(localClusterDir, { recursive: true, force: true });
  say('stopped and removed');
}

async function status(): Promise<void> {
  if (await running()) {
    const info = readClusterInfo(runDir);
    say(`running: ${info?.server}, nodes ${info?.nodes.join(', ')}, since ${info?.startedAt}`);
    process.stdout.write(`export KUBECONFIG=${kubeconfig}\n`);
  } else {
    say(existsSync(runDir) ? 'not running (stale state: npm run cluster:up restarts it)' : 'not running');
    process.exitCode = 1;
  }
}

const commands: Record<string, () => Promise<void>> = { up, down, status };
const command = commands[process.argv[2] ?? ''];
if (!command) {
  say('usage: tsx scripts/cluster.ts up|down|status');
  process.exitCode = 2;
} else {
  command().catch((error: unknown) => {
    say(error instanceof Error ? `${error.message}${error.cause instanceof Error ? `\n  cause: ${error.cause.message}` : ''}` : String(error));
    process.exitCode = 1;
  });
}
