// Control-plane processes: each runs in its own process group with its output
// in <runDir>/logs/<name>.log, and is described in <runDir>/components so that
// any process (the CLI, a test worker, the reaper) can stop or restart it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ComponentSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Start order: stopAll stops in reverse. */
  readonly order: number;
}

interface ComponentRecord extends ComponentSpec {
  readonly pid: number;
}

const componentsDir = (runDir: string) => join(runDir, 'components');
export const logFile = (runDir: string, name: string) => join(runDir, 'logs', `${name}.log`);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startComponent(runDir: string, spec: ComponentSpec): Promise<number> {
  await mkdir(componentsDir(runDir), { recursive: true });
  await mkdir(join(runDir, 'logs'), { recursive: true });
  const out = openSync(logFile(runDir, spec.name), 'a');
  const child = spawn(spec.command, spec.args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  child.unref();
  const record: ComponentRecord = { ...spec, pid };
  writeFileSync(join(componentsDir(runDir), `${spec.name}.json`), JSON.stringify(record, null, 2));
  writeFileSync(join(componentsDir(runDir), `${spec.name}.pid`), String(pid));
  return pid;
}

function readRecord(runDir: string, name: string): ComponentRecord | undefined {
  const file = join(componentsDir(runDir), `${name}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ComponentRecord;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** Stops one component's whole process group: SIGTERM (or `signal`), then SIGKILL after `graceMs`. */
export async function stopComponent(runDir: string, name: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  const record = readRecord(runDir, name);
  if (!record) return;
  killGroup(record.pid, signal);
  if (!(await waitForExit(record.pid, graceMs))) {
    killGroup(record.pid, 'SIGKILL');
    await waitForExit(record.pid, 5_000);
  }
}

/** Stops a component and starts it again with the same command line. */
export async function restartComponent(runDir: string, name: string): Promise<number> {
  const record = readRecord(runDir, name);
  if (!record) throw new Error(`no component ${name} in ${runDir}`);
  await stopComponent(runDir, name);
  const { pid: _pid, ...spec } = record;
  return startComponent(runDir, spec);
}

export function listComponents(runDir: string): ComponentRecord[] {
  if (!existsSync(componentsDir(runDir))) return [];
  return readdirSync(componentsDir(runDir))
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(componentsDir(runDir), file), 'utf8')) as ComponentRecord)
    .sort((a, b) => a.order - b.order);
}

/**
 * Stops every component, last started first. A throwaway cluster (tests) need
 * not shut down gracefully: `graceMs` 0 kills at once.
 */
export async function stopAll(runDir: string, graceMs = 10_000): Promise<void> {
  for (const component of listComponents(runDir).reverse()) {
    await stopComponent(runDir, component.name, graceMs === 0 ? 'SIGKILL' : 'SIGTERM', graceMs);
  }
}

/** The last lines of a component's log, for failure messages. */
export async function logTail(runDir: string, name: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(logFile(runDir, name), 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log for ${name})`;
  }
}

/**
 * Starts a detached watchdog that kills every component's process group once
 * `ownerPid` is gone, so an interrupted test run leaves no process behind.
 */
export function startReaper(runDir: string, ownerPid: number, options: { removeRunDir?: boolean } = {}): void {
  const dir = componentsDir(runDir);
  const script = [
    `while kill -0 ${ownerPid} 2>/dev/null; do sleep 1; done`,
    `for f in "${dir}"/*.pid; do [ -f "$f" ] && kill -KILL -- -"$(cat "$f")" 2>/dev/null; done`,
    options.removeRunDir ? `sleep 1; rm -rf "${runDir}"` : '',
    'exit 0',
  ].join('\n');
  spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}
