// The figures of a run: one JSON document, and a table for the terminal.
import { cpus, release, totalmem } from 'node:os';
import type { BenchArgs } from './args.js';
import type { DirectProbeResult } from './direct-probes.js';
import type { ExecFloorResult } from './exec-floor.js';
import type { MilestoneTimes } from './milestones.js';
import type { ScaleDownResult } from './operator-steps.js';
import type { ProbeResult, SteadyResult } from './observe.js';
import type { PeerResult } from './peer/run-peer.js';
import { summarize, type Summary } from './stats.js';

export interface HeapSample {
  readonly usedBytes: number;
  readonly totalBytes: number;
  readonly externalBytes: number;
}

export interface MemoryResult {
  /** RSS once the operator was ready, before any game server existed. */
  readonly baselineRssBytes: number;
  /** VmHWM at the end of the run: the kernel's peak RSS of the operator. */
  readonly peakRssBytes: number;
  /** Largest RSS seen by sampling every second (cross-check of VmHWM). */
  readonly sampledMaxRssBytes: number;
  /** (peak − baseline) per thousand game servers. */
  readonly perThousandBytes: number;
  /** Largest sampled RSS in each phase of the run (floor-1, operator-1, steady, probes, ...). */
  readonly maxRssByPhaseBytes: Record<string, number>;
  /** The operator's V8 heap and external memory (its nodejs_* metrics) when each phase ended. */
  readonly heapAtEndOfPhase: Record<string, HeapSample>;
}

export interface BenchResult {
  readonly date: string;
  readonly machine: { readonly cores: number; readonly cpuModel: string; readonly memoryBytes: number; readonly kernel: string };
  readonly command: string;
  readonly n: number;
  readonly reps: number;
  readonly operator: {
    readonly command: string;
    readonly qps: number;
    readonly burst: number;
    readonly gssWorkers: number;
    readonly gsWorkers: number;
    readonly probeConcurrency: number;
    readonly directProbeConcurrency?: number;
  };
  readonly floorClient: { readonly qps: 'unlimited'; readonly concurrency: number };
  readonly samples: {
    readonly floorCreate: number[];
    readonly floorUpdate: number[];
    /** CPU seconds by control-plane process during each floor (local provider). */
    readonly floorCpu: { readonly rep: number; readonly create: Record<string, number>; readonly update: Record<string, number> }[];
    readonly scaleUp: number[];
    readonly update: number[];
    readonly scaleDown: ScaleDownResult[];
    /** The operator's API requests during each timed operator step (from its rest_client_requests_total). */
    readonly requests: StepRequests[];
  };
  steady?: SteadyResult;
  probes?: ProbeResult;
  /** Step 8: httpGet and tcpSocket probes straight to the pod IPs. */
  directProbes?: DirectProbeResult;
  /** pods/exec calls per second the control plane serves to a plain client (the floor of step 7). */
  execFloor?: ExecFloorResult;
  memory?: MemoryResult;
  /** With --peer=okg: the peer's runs of the same steps (bench/peer/). */
  peer?: PeerResult;
  readonly errors: string[];
}

export interface StepRequests {
  readonly rep: number;
  readonly step: 'scale-up' | 'update' | 'scale-down';
  readonly seconds: number;
  readonly byMethod: Record<string, number>;
  /** Requests by "METHOD resource" (status code appended when not 2xx). */
  readonly byResource?: Record<string, number>;
  /** CPU seconds used during the step by the operator and each control-plane process. */
  readonly cpuSeconds?: Record<string, number>;
  /** When the objects reached each milestone (seconds after the step started). */
  readonly milestones?: Record<string, MilestoneTimes>;
  /** GameServer status fields changed per server (each write that changed a field counts for it). */
  readonly gameServerStatusChanges?: Record<string, number>;
}

export interface Figures {
  readonly scaleUp?: Summary;
  readonly floorCreate?: Summary;
  readonly scaleUpRatio?: number;
  readonly update?: Summary;
  readonly floorUpdate?: Summary;
  readonly updateRatio?: number;
  readonly scaleDown?: Summary;
  readonly scaleDownChecks?: { readonly waitToBeDeletedKept: number; readonly allocatedDeleted: number; readonly marksOnPods: boolean };
}

export function newResult(args: BenchArgs, command: string, operatorCommand: string): BenchResult {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    machine: { cores: cpuList.length, cpuModel: cpuList[0]?.model ?? 'unknown', memoryBytes: totalmem(), kernel: release() },
    command,
    n: args.n,
    reps: args.reps,
    operator: { command: operatorCommand, ...args.settings },
    floorClient: { qps: 'unlimited', concurrency: args.floorConcurrency },
    samples: { floorCreate: [], floorUpdate: [], scaleUp: [], update: [], scaleDown: [], requests: [], floorCpu: [] },
    errors: [],
  };
}

export function figures(result: BenchResult): Figures {
  const s = result.samples;
  const scaleUp = summarize(s.scaleUp);
  const floorCreate = summarize(s.floorCreate);
  const update = summarize(s.update);
  const floorUpdate = summarize(s.floorUpdate);
  const scaleDown = summarize(s.scaleDown.map((r) => r.seconds));
  return {
    ...(scaleUp ? { scaleUp } : {}),
    ...(floorCreate ? { floorCreate } : {}),
    ...(scaleUp && floorCreate ? { scaleUpRatio: scaleUp.median / floorCreate.median } : {}),
    ...(update ? { update } : {}),
    ...(floorUpdate ? { floorUpdate } : {}),
    ...(update && floorUpdate ? { updateRatio: update.median / floorUpdate.median } : {}),
    ...(scaleDown ? { scaleDown } : {}),
    ...(s.scaleDown.length > 0
      ? {
          scaleDownChecks: {
            waitToBeDeletedKept: s.scaleDown.reduce((sum, r) => sum + r.waitToBeDeletedKept, 0),
            allocatedDeleted: s.scaleDown.reduce((sum, r) => sum + r.allocatedDeleted, 0),
            marksOnPods: s.scaleDown.every((r) => r.marksOnPods),
          },
        }
      : {}),
  };
}

/** The issue's targets, each with the figure it is judged on; undefined where the figure is missing. */
export function targets(result: BenchResult, f: Figures): { target: string; met: boolean | undefined; detail: string }[] {
  const mb = 1024 * 1024;
  const ratioLimit = result.n <= 1000 ? 1.5 : 2;
  const rssLimit = 150 * mb + Math.max(0, result.n / 1000 - 1) * 40 * mb;
  const rows: { target: string; met: boolean | undefined; detail: string }[] = [];
  rows.push({
    target: `scale-up ≤ ${ratioLimit}× the API floor`,
    met: f.scaleUpRatio === undefined ? undefined : f.scaleUpRatio <= ratioLimit,
    detail: f.scaleUpRatio === undefined ? 'not measured' : `${f.scaleUpRatio.toFixed(2)}×`,
  });
  rows.push({
    target: 'scale-down: every WaitToBeDeleted gone, no Allocated gone',
    met: f.scaleDownChecks === undefined ? undefined : f.scaleDownChecks.waitToBeDeletedKept === 0 && f.scaleDownChecks.allocatedDeleted === 0,
    detail: f.scaleDownChecks === undefined ? 'not measured' : `WaitToBeDeleted kept ${f.scaleDownChecks.waitToBeDeletedKept}, Allocated deleted ${f.scaleDownChecks.allocatedDeleted}`,
  });
  const steady = result.steady;
  rows.push({ target: 'steady state: zero writes', met: steady ? steady.writes === 0 : undefined, detail: steady ? `${steady.writes} writes` : 'not measured' });
  rows.push({
    target: 'steady state: < 2% of one core',
    met: steady ? steady.coreFraction < 0.02 : undefined,
    detail: steady ? `${(steady.coreFraction * 100).toFixed(2)}%` : 'not measured',
  });
  const memory = result.memory;
  rows.push({
    target: `peak RSS < ${(rssLimit / mb).toFixed(0)} MB (150 MB at 1000, +40 MB per further 1000)`,
    met: memory ? memory.peakRssBytes < rssLimit : undefined,
    detail: memory ? `${(memory.peakRssBytes / mb).toFixed(1)} MB` : 'not measured',
  });
  rows.push({
    target: 'RSS growth < 40 MB per 1000 servers',
    met: memory ? memory.perThousandBytes < 40 * mb : undefined,
    detail: memory ? `${(memory.perThousandBytes / mb).toFixed(1)} MB` : 'not measured',
  });
  const probes = result.probes;
  const probeCoverage = probes && probes.expectedPerSecond > 0 ? probes.probesPerSecond / probes.expectedPerSecond : undefined;
  rows.push({
    target: 'probes: every due probe runs',
    met: probeCoverage === undefined ? undefined : probeCoverage >= 0.98,
    detail: probes ? `${probes.probesPerSecond.toFixed(1)}/s of ${probes.expectedPerSecond.toFixed(1)}/s due` : 'not measured',
  });
  rows.push({
    target: 'probes: p99 delay < 2 s',
    met: probes?.p99DelaySeconds === undefined ? undefined : probes.p99DelaySeconds < 2,
    detail: probes?.p99DelaySeconds === undefined ? 'not measured' : `${probes.p99DelaySeconds.toFixed(3)} s`,
  });
  const floor = result.execFloor;
  if (probes && floor && floor.execsPerSecond > 0) {
    const dueBelowFloor = probes.expectedPerSecond < floor.execsPerSecond;
    rows.push({
      target: dueBelowFloor ? 'exec probes: every due probe runs (due below the exec floor)' : 'exec probes: ≥ 90% of the exec floor',
      met: dueBelowFloor ? probes.probesPerSecond >= 0.98 * probes.expectedPerSecond : probes.probesPerSecond >= 0.9 * floor.execsPerSecond,
      detail: `${probes.probesPerSecond.toFixed(1)}/s; floor ${floor.execsPerSecond.toFixed(1)}/s (${((100 * probes.probesPerSecond) / floor.execsPerSecond).toFixed(0)}%), due ${probes.expectedPerSecond.toFixed(1)}/s`,
    });
  }
  const direct = result.directProbes;
  rows.push({
    target: 'httpGet + tcpSocket probes: every due probe runs (≥ 1000/s at N = 5000)',
    met: direct ? direct.probesPerSecond >= 0.98 * direct.expectedPerSecond : undefined,
    detail: direct ? `${direct.probesPerSecond.toFixed(1)}/s of ${direct.expectedPerSecond.toFixed(1)}/s due` : 'not measured',
  });
  rows.push({
    target: 'httpGet + tcpSocket probes: p99 delay < 2 s',
    met: direct?.p99DelaySeconds === undefined ? undefined : direct.p99DelaySeconds < 2,
    detail: direct?.p99DelaySeconds === undefined ? 'not measured' : `${direct.p99DelaySeconds.toFixed(3)} s`,
  });
  return rows;
}

export function renderTable(result: BenchResult, f: Figures): string {
  const rows: string[][] = [['figure', 'median', 'min', 'max', 'note']];
  const seconds = (label: string, summary: Summary | undefined, note = '') =>
    rows.push(summary ? [label, `${summary.median.toFixed(2)} s`, `${summary.min.toFixed(2)} s`, `${summary.max.toFixed(2)} s`, `${summary.samples.length} reps ${note}`.trim()] : [label, '—', '—', '—', 'not measured']);
  const single = (label: string, value: string, note = '') => rows.push([label, value, '', '', note]);
  const n = result.n;
  seconds(`1 scale-up 0→${n}`, f.scaleUp);
  seconds(`2 API floor: ${n} pods + GameServers`, f.floorCreate);
  single('  scale-up / floor', f.scaleUpRatio === undefined ? '—' : `${f.scaleUpRatio.toFixed(2)}×`);
  seconds(`3 scale-down ${n}→${Math.floor(n / 2)} by priority`, f.scaleDown);
  if (f.scaleDownChecks) {
    single('  WaitToBeDeleted kept / Allocated deleted', `${f.scaleDownChecks.waitToBeDeletedKept} / ${f.scaleDownChecks.allocatedDeleted}`, f.scaleDownChecks.marksOnPods ? '' : 'marks not all on pods before scaling');
  }
  seconds(`4 in-place sidecar update of ${n}`, f.update);
  seconds(`  floor: ${n} direct image patches`, f.floorUpdate);
  single('  update / floor', f.updateRatio === undefined ? '—' : `${f.updateRatio.toFixed(2)}×`);
  const cpuLine = (cpu: Record<string, number>) =>
    Object.entries(cpu)
      .filter(([, seconds]) => Number.isFinite(seconds))
      .sort(([, a], [, b]) => b - a)
      .map(([process, seconds]) => `${process} ${seconds.toFixed(1)}`)
      .join(', ');
  const floorCpu = result.samples.floorCpu[result.samples.floorCpu.length - 1];
  if (floorCpu) {
    single('  CPU seconds during the create floor (last rep)', '', cpuLine(floorCpu.create));
    single('  CPU seconds during the update floor (last rep)', '', cpuLine(floorCpu.update));
  }
  for (const step of ['scale-up', 'update', 'scale-down'] as const) {
    const runs = result.samples.requests.filter((r) => r.step === step);
    if (runs.length === 0) continue;
    const total = (r: StepRequests) => Object.values(r.byMethod).reduce((a, b) => a + b, 0);
    const servers = step === 'scale-down' ? Math.floor(n / 2) : n;
    const perServer = summarize(runs.map((r) => total(r) / servers))!;
    const rate = summarize(runs.map((r) => total(r) / r.seconds))!;
    single(`  operator requests per server, ${step}`, perServer.median.toFixed(1), `${rate.median.toFixed(0)} requests/s; last rep ${JSON.stringify(runs[runs.length - 1]!.byMethod)}`);
    const last = runs[runs.length - 1]!;
    if (last.byResource) {
      const perServer = Object.entries(last.byResource).map(([key, count]) => `${key} ${(count / servers).toFixed(2)}`);
      single(`  per server by resource (last rep)`, '', perServer.join(', '));
    }
    if (last.cpuSeconds) single(`  CPU seconds during ${step} (last rep)`, '', cpuLine(last.cpuSeconds));
    if (last.gameServerStatusChanges) {
      const fields = Object.entries(last.gameServerStatusChanges).map(([field, perServer]) => `${field} ${perServer.toFixed(2)}`);
      single('  GameServer status fields changed per server', '', fields.join(', '));
    }
    for (const [milestone, times] of Object.entries(last.milestones ?? {})) {
      const at = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} s`);
      single(`    ${milestone}`, at(times.p100), `50% by ${at(times.p50)}, 90% by ${at(times.p90)} (${times.count} seen)`);
    }
  }
  const steady = result.steady;
  if (steady) {
    single(`5 steady ${steady.seconds.toFixed(0)} s: operator CPU`, `${steady.cpuSeconds.toFixed(2)} s`, `${(steady.coreFraction * 100).toFixed(2)}% of one core`);
    single('  API requests/s', steady.requestsPerSecond.toFixed(2), JSON.stringify(steady.requestsByMethod));
    single('  writes', String(steady.writes), `object changes seen: ${steady.objectChanges}`);
  } else single('5 steady state', '—', 'not measured');
  const memory = result.memory;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (memory) {
    single('6 peak RSS (VmHWM)', mb(memory.peakRssBytes), `baseline ${mb(memory.baselineRssBytes)}, sampled max ${mb(memory.sampledMaxRssBytes)}`);
    single('  RSS per 1000 servers', mb(memory.perThousandBytes), '(peak − baseline) / (N/1000)');
    single('  max RSS by phase', '', Object.entries(memory.maxRssByPhaseBytes).map(([phase, bytes]) => `${phase} ${mb(bytes)}`).join(', '));
    single(
      '  V8 heap used/total, external',
      '',
      Object.entries(memory.heapAtEndOfPhase)
        .map(([phase, heap]) => `${phase} ${mb(heap.usedBytes)}/${mb(heap.totalBytes)}, ${mb(heap.externalBytes)}`)
        .join('; '),
    );
  } else single('6 peak RSS', '—', 'not measured');
  const probes = result.probes;
  if (probes) {
    single('7 probes completed/s', probes.probesPerSecond.toFixed(1), `due ${probes.expectedPerSecond.toFixed(1)}/s; ${JSON.stringify(probes.byOutcome)}${probes.note ? `; ${probes.note}` : ''}`);
    single('  p99 delay past due', probes.p99DelaySeconds === undefined ? '—' : `${probes.p99DelaySeconds.toFixed(3)} s`, probes.execsPerSecond === undefined ? '' : `kwok execs/s ${probes.execsPerSecond.toFixed(1)}`);
  } else single('7 probes', '—', 'not measured');
  const execFloor = result.execFloor;
  if (execFloor) {
    const samples = execFloor.samples ? ` (before / after the probes: ${execFloor.samples.map((s) => s.toFixed(1)).join(' / ')})` : '';
    single('  floor: pods/exec calls/s', execFloor.execsPerSecond.toFixed(1), `plain client, ${execFloor.concurrency} in flight for ${execFloor.seconds.toFixed(0)} s${samples}; ${execFloor.failed} failed`);
  }
  const direct = result.directProbes;
  if (direct) {
    const s = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(3)} s`);
    single('8 httpGet+tcpSocket probes/s', direct.probesPerSecond.toFixed(1), `due ${direct.expectedPerSecond.toFixed(1)}/s; ${JSON.stringify(direct.byOutcome)}; ${direct.late} late`);
    single('  p50 / p99 delay past due', `${s(direct.p50DelaySeconds)} / ${s(direct.p99DelaySeconds)}`, `responder answered ${direct.answeredPerSecond.toFixed(1)}/s on ${direct.listeners} listeners; operator CPU ${direct.cpuSeconds.toFixed(1)} s in ${direct.seconds.toFixed(0)} s, ${direct.writesPerSecond.toFixed(1)} writes/s`);
  } else single('8 httpGet+tcpSocket probes', '—', 'not measured');
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const o = result.operator;
  lines.push('');
  lines.push(`operator: --kube-api-qps=${o.qps} --kube-api-burst=${o.burst} --gss-workers=${o.gssWorkers} --gs-workers=${o.gsWorkers} --probe-concurrency=${o.probeConcurrency}${o.directProbeConcurrency !== undefined ? ` --direct-probe-concurrency=${o.directProbeConcurrency}` : ''}`);
  lines.push(`floor client: no client-side QPS limit, ${result.floorClient.concurrency} requests in flight`);
  lines.push(`machine: ${result.machine.cores} cores (${result.machine.cpuModel}), ${(result.machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB, Linux ${result.machine.kernel}`);
  lines.push('');
  for (const row of targets(result, f)) lines.push(`${row.met === undefined ? '?' : row.met ? '✓' : '✗'} ${row.target}: ${row.detail}`);
  if (result.errors.length > 0) {
    lines.push('');
    lines.push('errors:');
    for (const error of result.errors) lines.push(`  ${error}`);
  }
  return lines.join('\n');
}
