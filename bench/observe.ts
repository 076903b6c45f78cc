// Steady state and probes: windows over the operator's own counters
// (/metrics) and the kernel's view of its process (/proc).
import { existsSync, readFileSync } from 'node:fs';
import type { OperatorProcess } from './operator-process.js';
import { bucketsOf, hasMetric, sumOf, type Sample } from './prom-text.js';
import { cpuSeconds } from './proc.js';
import { bucketDelta, histogramQuantile } from './stats.js';
import { sleep } from './kube.js';

const REQUESTS = 'rest_client_requests_total';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const PROBES_TOTAL = 'gamekeeper_service_quality_probes_total';
export const PROBE_DELAY = 'gamekeeper_service_quality_probe_delay_seconds';

export interface SteadyResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** cpuSeconds / seconds: fraction of one core. */
  readonly coreFraction: number;
  readonly requestsPerSecond: number;
  /** Requests by method in the window. */
  readonly requestsByMethod: Record<string, number>;
  /** POST/PUT/PATCH/DELETE in the window (leader election is off, so there is no lease to renew). */
  readonly writes: number;
  /** Changes to pods, GameServers and the set seen by the benchmark's watches in the window (anyone's writes). */
  readonly objectChanges: number;
}

/** Watches the operator do nothing for `seconds`. `changes` counts object changes seen by the benchmark's watches. */
export async function measureSteady(operator: OperatorProcess, seconds: number, changes: () => number): Promise<SteadyResult> {
  const before = await operator.metrics();
  const cpuBefore = cpuSeconds(operator.pid);
  const changesBefore = changes();
  const started = Date.now();
  await sleep(seconds * 1000);
  const after = await operator.metrics();
  const cpuAfter = cpuSeconds(operator.pid);
  const elapsed = (Date.now() - started) / 1000;
  const byMethod = requestDelta(before, after);
  const total = Object.values(byMethod).reduce((a, b) => a + b, 0);
  const writes = Object.entries(byMethod)
    .filter(([method]) => WRITE_METHODS.has(method))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    seconds: elapsed,
    cpuSeconds: cpuAfter - cpuBefore,
    coreFraction: (cpuAfter - cpuBefore) / elapsed,
    requestsPerSecond: total / elapsed,
    requestsByMethod: byMethod,
    writes,
    objectChanges: changes() - changesBefore,
  };
}

export interface ProbeResult {
  readonly seconds: number;
  /** Probes the operator completed per second (from its counter), by outcome. */
  readonly probesPerSecond: number;
  readonly byOutcome: Record<string, number>;
  /** N / period: what "every due probe runs" means. */
  readonly expectedPerSecond: number;
  /** 99th percentile of the start delay past the due time, seconds (histogram_quantile over the window). */
  readonly p99DelaySeconds: number | undefined;
  /** Exec runs kwok performed per second (lines the probe command appended), a cross-check; undefined without the log. */
  readonly execsPerSecond: number | undefined;
  /** Operator writes per second in the window. */
  readonly writesPerSecond: number;
  readonly cpuSeconds: number;
  /** Why figures are missing. */
  readonly note?: string;
}

export async function measureProbes(operator: OperatorProcess, seconds: number, expectedPerSecond: number, execLog: string | undefined): Promise<ProbeResult> {
  const lines = () => (execLog && existsSync(execLog) ? readFileSync(execLog, 'utf8').split('\n').length - 1 : 0);
  const before = await operator.metrics();
  const linesBefore = lines();
  const cpuBefore = cpuSeconds(operator.pid);
  const started = Date.now();
  await sleep(seconds * 1000);
  const after = await operator.metrics();
  const elapsed = (Date.now() - started) / 1000;
  const byOutcome: Record<string, number> = {};
  for (const outcome of ['success', 'failure', 'error']) {
    const delta = sumOf(after, PROBES_TOTAL, (l) => l.outcome === outcome) - sumOf(before, PROBES_TOTAL, (l) => l.outcome === outcome);
    if (delta > 0) byOutcome[outcome] = delta;
  }
  const completed = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  const delay = bucketDelta(bucketsOf(after, PROBE_DELAY), bucketsOf(before, PROBE_DELAY));
  const writes = [...WRITE_METHODS].reduce((sum, method) => sum + requests(after, method) - requests(before, method), 0);
  const exposed = hasMetric(after, PROBES_TOTAL);
  return {
    seconds: elapsed,
    probesPerSecond: completed / elapsed,
    byOutcome,
    expectedPerSecond,
    p99DelaySeconds: histogramQuantile(delay, 99),
    execsPerSecond: execLog ? (lines() - linesBefore) / elapsed : undefined,
    writesPerSecond: writes / elapsed,
    cpuSeconds: cpuSeconds(operator.pid) - cpuBefore,
    ...(exposed ? {} : { note: `the operator exposes no ${PROBES_TOTAL}` }),
  };
}

function methods(samples: readonly Sample[]): string[] {
  return samples.filter((s) => s.name === REQUESTS).map((s) => s.labels.method ?? '');
}

function requests(samples: readonly Sample[], method: string): number {
  return sumOf(samples, REQUESTS, (labels) => labels.method === method);
}

/** Operator requests by method between two scrapes of /metrics. */
export function requestDelta(before: readonly Sample[], after: readonly Sample[]): Record<string, number> {
  const byMethod: Record<string, number> = {};
  for (const method of new Set([...methods(before), ...methods(after)])) {
    const delta = requests(after, method) - requests(before, method);
    if (delta > 0) byMethod[method] = delta;
  }
  return byMethod;
}

const API_REQUESTS = 'gamekeeper_api_requests_total';

/** Operator requests between two scrapes by "METHOD resource", with the status code appended when it is not 2xx. */
export function requestsByResource(before: readonly Sample[], after: readonly Sample[]): Record<string, number> {
  const key = (labels: Readonly<Record<string, string>>) =>
    `${labels.method ?? ''} ${labels.resource ?? ''}${labels.code?.startsWith('2') ? '' : ` ${labels.code ?? ''}`}`;
  const counts = new Map<string, number>();
  for (const sample of after) if (sample.name === API_REQUESTS) counts.set(key(sample.labels), (counts.get(key(sample.labels)) ?? 0) + sample.value);
  for (const sample of before) if (sample.name === API_REQUESTS) counts.set(key(sample.labels), (counts.get(key(sample.labels)) ?? 0) - sample.value);
  return Object.fromEntries([...counts].filter(([, count]) => count > 0).sort(([, a], [, b]) => b - a));
}
