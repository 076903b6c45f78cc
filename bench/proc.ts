// What the kernel says about a process: CPU seconds (user + system, from
// /proc/<pid>/stat) and memory (VmRSS, VmHWM = peak RSS, from
// /proc/<pid>/status). Linux only, like the local control plane.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let clockTicks: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, 100 almost everywhere). */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds the process has used so far (not its children). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5) are at 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

/** CPU seconds used so far by each named process; NaN for one that is gone. */
export function cpuSnapshot(pids: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => {
      try {
        return [name, cpuSeconds(pid)];
      } catch {
        return [name, Number.NaN];
      }
    }),
  );
}

/** CPU seconds each process used between two snapshots. */
export function cpuDelta(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? 0)]));
}

export interface MemorySample {
  /** Resident set size now, bytes. */
  readonly rssBytes: number;
  /** Peak resident set size since the process started, bytes. */
  readonly peakRssBytes: number;
}

export function memory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** Samples RSS every `intervalMs` to keep the largest seen (VmHWM is the kernel's own peak; this is a cross-check). */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  maxRssBytes = 0;
  /** Largest RSS seen during each named phase (see `phase`), to tell where the memory goes. */
  readonly maxByPhase: Record<string, number> = {};
  private current = 'start';

  /** Names the phase the following samples belong to. */
  phase(name: string): void {
    this.current = name;
    this.sample();
  }

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    try {
      const rss = memory(this.pid).rssBytes;
      this.maxRssBytes = Math.max(this.maxRssBytes, rss);
      this.maxByPhase[this.current] = Math.max(this.maxByPhase[this.current] ?? 0, rss);
    } catch {
      // the process is gone
    }
  }
}

/** Pids of the local control plane's processes (etcd, kube-apiserver, kwok, ...) by name; empty for other providers. */
export function componentPids(runDir: string): Record<string, number> {
  const dir = join(runDir, 'components');
  const pids: Record<string, number> = {};
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return pids;
  }
  for (const file of files.filter((name) => name.endsWith('.pid'))) {
    const pid = Number(readFileSync(join(dir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) pids[file.slice(0, -'.pid'.length)] = pid;
  }
  return pids;
}
