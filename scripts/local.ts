// npm run local: the local control plane with the CRDs installed and the
// operator running in the foreground against it. Ctrl-C stops the operator;
// `npm run cluster:down` removes the cluster. Flags after `--` go to the
// operator and win over the defaults here (the last of a flag wins), e.g.
// `npm run local -- --metrics-bind-address=127.0.0.1:9090 --namespaces=games`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBinaries, localClusterDir, repoRoot } from '../e2e/cluster/index.js';

const say = (message: string) => process.stderr.write(`[local] ${message}\n`);
const kubeconfig = join(localClusterDir, 'kubeconfig');

function sh(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    say(`${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

async function main(): Promise<void> {
  sh(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'scripts/cluster.ts'), 'up']);
  const binDir = await ensureBinaries();
  const env = { ...process.env, KUBECONFIG: kubeconfig, PATH: `${binDir}:${process.env.PATH ?? ''}` };
  const crdDir = join(repoRoot, 'config/crd');
  const crds = existsSync(crdDir) ? readdirSync(crdDir).filter((f) => f.endsWith('.yaml')) : [];
  if (crds.length > 0) {
    sh(join(binDir, 'kubectl'), ['apply', '--server-side', '--force-conflicts', ...crds.flatMap((f) => ['-f', join(crdDir, f)])], env);
  }
  const tryNext = [
    '',
    'Try it (in another terminal):',
    `  export KUBECONFIG=${kubeconfig} PATH=${binDir}:$PATH`,
    '  kubectl apply -f examples/minecraft.yaml',
    '  kubectl get gss,gs',
    '  kubectl scale gss minecraft --replicas=5',
    '  kubectl patch gs minecraft-0 --type=merge -p \'{"spec":{"opsState":"Allocated"}}\'',
    'Ctrl-C stops the operator; `npm run cluster:down` removes the cluster.',
    '',
  ].join('\n');
  const entry = join(repoRoot, 'src/main.ts');
  process.stderr.write(`${tryNext}\n`);
  const operator = spawn(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), entry, '--leader-elect=false', '--log-format=text', '--metrics-bind-address=127.0.0.1:8080', '--health-probe-bind-address=127.0.0.1:8081', '--external-scaler-port=6000', ...process.argv.slice(2)], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => operator.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  operator.on('exit', (code, signal) => {
    say(`operator stopped (${signal ?? `exit ${code}`}); the cluster keeps running: npm run cluster:down removes it`);
    process.exitCode = code ?? 0;
  });
}

main().catch((error: unknown) => {
  say(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
