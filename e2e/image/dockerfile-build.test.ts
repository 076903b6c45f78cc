// The image, without a Docker engine: the Dockerfile's own build steps (its
// `npm ci`, the compiler run and `npm prune`, with the flags read from the
// Dockerfile) in an empty temporary directory, then the result started as the
// ENTRYPOINT starts it, with only production dependencies, against the test
// cluster: it must become ready and reconcile a set. A devDependency imported
// at run time, or a runtime dependency missing from package.json, fails here.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '../cluster/paths.js';
import { freePort } from '../cluster/ports.js';
import { createTestNamespace, deleteTestNamespace, e2eEnvironment, eventually, kubectl, runCommand, type CommandResult } from '../support/index.js';

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');

/** The commands of the build stage's `RUN` lines, each `&&` part on its own, in order. */
function buildCommands(): string[] {
  const build = dockerfile.split(/^FROM /m)[1] ?? '';
  return [...build.matchAll(/^RUN (.+)$/gm)].flatMap((match) => match[1]!.split('&&').map((part) => part.trim()));
}

/** The ENTRYPOINT's exec form, e.g. ["node", "--enable-source-maps", ..., "dist/main.js"]. */
function entrypoint(): string[] {
  const match = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!match) throw new Error('the Dockerfile has no exec-form ENTRYPOINT');
  return JSON.parse(match[1]!) as string[];
}

/** The files the Dockerfile's build stage COPYs from the repository. */
function copiedPaths(): string[] {
  const build = dockerfile.split(/^FROM /m)[1] ?? '';
  return [...build.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.trim().split(/\s+/));
}

/** Runs a build step; npm uses the machine's cache, offline first. */
async function step(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  const result = await runCommand(command, args, { cwd, env: { npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' }, timeoutMs: 600_000 });
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(-4000)}`);
  return result;
}

describe('the Dockerfile build, run with production dependencies only', () => {
  let dir: string;
  let ns: string;
  let operator: ChildProcess | undefined;
  const logs: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gamekeeper-image-'));
    ns = await createTestNamespace('image');
  });
  afterAll(async () => {
    operator?.kill('SIGKILL');
    await deleteTestNamespace(ns);
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`image build timings (s): ${JSON.stringify(timings)}\n`);
  });

  it('builds as the Dockerfile does and leaves no devDependency', async () => {
    const npmCommand = 'npm';
    const time = async (name: string, run: () => Promise<unknown>) => {
      const started = Date.now();
      await run();
      timings[name] = Math.round((Date.now() - started) / 100) / 10;
    };
    for (const path of copiedPaths()) cpSync(join(repoRoot, path), join(dir, path), { recursive: true });
    expect(existsSync(join(dir, 'package-lock.json'))).toBe(true);

    const commands = buildCommands();
    expect(commands.find((command) => command.startsWith('npm ci '))).toContain('--ignore-scripts');
    for (const command of commands) {
      const [program, ...args] = command.split(/\s+/) as [string, ...string[]];
      // node is the test's own Node 24, as the image's base brings it; anything else runs in a shell as RUN does
      if (program === 'node') await time('node ' + args.at(-1), () => step(process.execPath, args, dir));
      else if (program === npmCommand) await time(`npm ${args[0]}`, () => step(npmCommand, args, dir));
      else await time(program, () => step('sh', ['-c', command], dir));
    }
    const packageJson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(packageJson.dependencies)) expect([name, existsSync(join(dir, 'node_modules', name))]).toEqual([name, true]);
    // what the lockfile marks dev-only (typescript, jest, tsx, the node devDependency, ...) is gone
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev === true);
    expect(devOnly.map(([path]) => path)).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/jest', 'node_modules/tsx']));
    expect(devOnly.filter(([path]) => existsSync(join(dir, path))).map(([path]) => path)).toEqual([]);
    expect(existsSync(join(dir, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist', 'proto', 'externalscaler.proto'))).toBe(true);
  }, 600_000);

  it('starts as the ENTRYPOINT does, becomes ready and reconciles a set', async () => {
    const [command, ...args] = entrypoint();
    expect(command).toBe('node');
    const port = await freePort();
    operator = spawn(
      process.execPath,
      [
        ...args,
        `--kubeconfig=${e2eEnvironment().kubeconfigPath}`,
        `--namespaces=${ns}`,
        '--leader-elect=false',
        `--metrics-bind-address=127.0.0.1:${port}`,
        `--health-probe-bind-address=127.0.0.1:${port}`,
        // the external scaler is served (its proto loaded from dist/proto), on a port of its own
        `--external-scaler-port=${await freePort()}`,
      ],
      // as in the image: NODE_ENV=production, the built directory as the working directory, and the chart's heap setting
      { cwd: dir, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', NODE_OPTIONS: '--max-old-space-size=384' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    operator.stdout!.setEncoding('utf8').on('data', (chunk: string) => logs.push(chunk));
    operator.stderr!.setEncoding('utf8').on('data', (chunk: string) => logs.push(chunk));
    const exited = new Promise<number | null>((resolve) => operator!.on('exit', (code) => resolve(code)));

    await eventually(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        expect([response?.status, logs.join('').slice(-2000)]).toEqual([200, expect.any(String)]);
      },
      { timeoutMs: 60_000, description: 'the built operator ready' },
    );
    await kubectl(['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'game.kruise.io/v1alpha1',
        kind: 'GameServerSet',
        metadata: { name: 'built' },
        spec: { replicas: 2, gameServerTemplate: { spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] } } },
      }),
    });
    await eventually(
      async () => {
        const out = await kubectl(['get', 'gs', '-n', ns, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.currentState}{"\\n"}{end}']);
        expect(out.trim().split('\n').sort()).toEqual(['built-0=Ready', 'built-1=Ready']);
      },
      { timeoutMs: 60_000, description: 'the set reconciled by the built operator' },
    );
    operator.kill('SIGTERM');
    expect(await exited).toBe(0);
    operator = undefined;
    expect(logs.join('')).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
  }, 180_000);
});

