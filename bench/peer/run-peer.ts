// The peer's side of `npm run bench -- --peer=okg`: on a control plane of its
// own, for each rate setting, OpenKruise and OKG are started and the very
// steps our operator runs (bench/operator-steps.ts: same GameServerSet, same
// watches, same done conditions) are timed: scale-up 0→N, the in-place
// sidecar update, the scale-down by priority N→N/2.
import { join } from 'node:path';
import { HttpMethod, unlimitedClient } from '../kube.js';
import { requestDelta } from '../observe.js';
import { prepareSet, scaleDownByPriority, scaleUp, SET_NAME, tearDown, updateSidecar, Watched, type ScaleDownResult, type StepContext } from '../operator-steps.js';
import { componentPids, cpuDelta, cpuSnapshot } from '../proc.js';
import { sumOf, type Sample } from '../prom-text.js';
import type { KubeClient } from '../../src/runtime/kube-client.js';
import type { PeerBuild } from './build.js';
import { startPeerManagers, OKG_WORKERS, type PeerManagers } from './managers.js';
import type { PeerOptions, PeerRate } from './options.js';
import { startPeerCluster } from './peer-cluster.js';

export type PeerStep = 'scale-up' | 'update' | 'scale-down';

export interface PeerStepRequests {
  readonly rep: number;
  readonly step: PeerStep;
  readonly seconds: number;
  /** Requests by method of each manager during the step (their rest_client_requests_total). */
  readonly byManager: Record<string, Record<string, number>>;
  /** Requests by status code of each manager during the step: how many were conflicts (409) and retries. */
  readonly byCode?: Record<string, Record<string, number>>;
  /** CPU seconds of each manager and control-plane process during the step. */
  readonly cpuSeconds: Record<string, number>;
}

export interface PeerRun {
  readonly rate: PeerRate;
  readonly kruiseRate: { readonly qps: number; readonly burst: number };
  readonly commands: readonly string[];
  readonly samples: {
    readonly scaleUp: number[];
    readonly update: number[];
    readonly scaleDown: ScaleDownResult[];
    readonly requests: PeerStepRequests[];
  };
  readonly errors: string[];
}

export interface PeerResult {
  readonly name: 'okg';
  readonly versions: { readonly okg: string; readonly kruise: string };
  readonly workers: typeof OKG_WORKERS;
  readonly runs: PeerRun[];
  readonly errors: string[];
}

export interface PeerRunOptions {
  readonly peer: PeerOptions;
  readonly build: PeerBuild;
  readonly n: number;
  readonly reps: number;
  readonly nodes: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly log: (message: string) => void;
}

/** How long no pod, GameServer or set may change before the peer's scale-down marks are written. */
const SETTLE_QUIET_MS = 10_000;

/** Requests per room the peer needed at most in a step (OKG about 14, OpenKruise 3.5, at N = 1000): bounds a wait at the peer's rate. */
const PEER_REQUESTS_PER_ROOM = 20;

/** The bound of each wait: the bench's own, or long enough for the peer's requests at its rate. */
export function peerTimeoutMs(n: number, qps: number, benchTimeoutMs: number): number {
  return Math.max(benchTimeoutMs, Math.ceil((n * PEER_REQUESTS_PER_ROOM) / qps) * 1000);
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runPeer(options: PeerRunOptions): Promise<PeerResult> {
  const { log } = options;
  const result: PeerResult = { name: 'okg', versions: { okg: 'v1.0.0', kruise: 'v1.8.4' }, workers: OKG_WORKERS, runs: [], errors: [] };
  log('peer: starting its own control plane (OKG and OpenKruise CRDs; ours is stopped)');
  const cluster = await startPeerCluster(options.build, options.nodes, log);
  try {
    const client = await unlimitedClient(cluster.kubeconfigPath);
    for (const rate of options.peer.rates) {
      const dir = join(cluster.runDir, 'peer', `${rate.qps}-${rate.burst}`);
      let managers: PeerManagers;
      try {
        managers = await startPeerManagers(client, options.build, cluster, rate, dir, log);
      } catch (error) {
        result.errors.push(`peer ${rate.qps}/${rate.burst}: ${describe(error)}`);
        log(`peer ${rate.qps}/${rate.burst}: ${describe(error)}`);
        continue;
      }
      const run: PeerRun = {
        rate,
        kruiseRate: managers.kruiseRate,
        commands: [managers.kruise.commandLine, managers.okg.commandLine],
        samples: { scaleUp: [], update: [], scaleDown: [], requests: [] },
        errors: [],
      };
      result.runs.push(run);
      try {
        for (let rep = 1; rep <= options.reps; rep++) await peerRep(rep, client, cluster.runDir, managers, run, options);
      } finally {
        await managers.stop();
      }
    }
  } finally {
    await cluster.stop().catch((error: unknown) => log(`stopping the peer's control plane failed: ${describe(error)}`));
  }
  return result;
}

async function peerRep(rep: number, client: KubeClient, runDir: string, managers: PeerManagers, run: PeerRun, options: PeerRunOptions): Promise<void> {
  const { rate } = run;
  const tag = `peer ${rate.qps}/${rate.burst} rep ${rep}`;
  const namespace = `okg-${rate.qps}-${rate.burst}-${rep}`.replace(/\./g, '-');
  const timeoutMs = peerTimeoutMs(options.n, Math.min(rate.qps, managers.kruiseRate.qps), options.timeoutMs);
  const ctx: StepContext = {
    client,
    namespace,
    n: options.n,
    timeoutMs,
    concurrency: options.concurrency,
    // At OKG's chart rate the marks reach its pods well after they were set (60 marks at 5 QPS).
    markTimeoutMs: Math.max(60_000, Math.ceil((options.n * 2) / rate.qps) * 1000),
    alive: () => {
      managers.okg.assertAlive();
      managers.kruise.assertAlive();
    },
    log: options.log,
  };
  const watched = new Watched(client, namespace);
  const pids: Record<string, number> = { okg: managers.okg.pid, kruise: managers.kruise.pid, ...componentPids(runDir) };
  const step = async <T>(name: PeerStep, body: () => Promise<T>, seconds: (value: T) => number): Promise<T> => {
    const before = await Promise.all([managers.okg.metrics(), managers.kruise.metrics()]);
    const cpuBefore = cpuSnapshot(pids);
    const value = await body();
    const cpuSeconds = cpuDelta(cpuBefore, cpuSnapshot(pids));
    const after = await Promise.all([managers.okg.metrics(), managers.kruise.metrics()]);
    run.samples.requests.push({
      rep,
      step: name,
      seconds: seconds(value),
      byManager: { okg: requestDelta(before[0], after[0]), kruise: requestDelta(before[1], after[1]) },
      byCode: { okg: codeDelta(before[0], after[0]), kruise: codeDelta(before[1], after[1]) },
      cpuSeconds,
    });
    return value;
  };
  try {
    options.log(`${tag}: scale-up 0→${options.n}`);
    await prepareSet(ctx, watched);
    await advancedStatefulSetObserved(ctx);
    const up = await step('scale-up', () => scaleUp(ctx, watched, options.n), (s) => s.seconds);
    run.samples.scaleUp.push(up.seconds);
    options.log(`${tag}: scale-up ${up.seconds.toFixed(2)} s`);
    const update = await step('update', () => updateSidecar(ctx, watched), (s) => s.seconds);
    run.samples.update.push(update.seconds);
    options.log(`${tag}: in-place update ${update.seconds.toFixed(2)} s`);
    // OKG keeps writing for a while after an update at a low rate, and its GameServer spec patches carry the
    // whole spec from its cache: an opsState mark written meanwhile is lost. Let it settle first (not timed).
    await watched.quiet(SETTLE_QUIET_MS, timeoutMs);
    const down = await step('scale-down', () => scaleDownByPriority(ctx, watched, options.seed + rep), (r) => r.seconds);
    run.samples.scaleDown.push(down);
    options.log(`${tag}: scale-down ${down.seconds.toFixed(2)} s (WaitToBeDeleted kept ${down.waitToBeDeletedKept}, Allocated deleted ${down.allocatedDeleted})`);
  } catch (error) {
    run.errors.push(`${tag}: ${describe(error)}`);
    options.log(`${tag}: ${describe(error)}`);
  } finally {
    await tearDown(ctx, watched).catch((error: unknown) => options.log(`${tag}: tear-down failed: ${describe(error)}`));
    await watched.stop();
  }
}

/** A controller-runtime manager's requests by status code between two scrapes (its rest_client_requests_total). */
export function codeDelta(before: readonly Sample[], after: readonly Sample[]): Record<string, number> {
  const codes = new Set(after.filter((s) => s.name === REST_REQUESTS).map((s) => s.labels.code ?? ''));
  const byCode: Record<string, number> = {};
  for (const code of codes) {
    const delta = sumOf(after, REST_REQUESTS, (l) => l.code === code) - sumOf(before, REST_REQUESTS, (l) => l.code === code);
    if (delta > 0) byCode[code] = delta;
  }
  return byCode;
}

const REST_REQUESTS = 'rest_client_requests_total';

/** OKG made its Advanced StatefulSet and OpenKruise's controller has seen it: both sides are running before the clock starts. */
async function advancedStatefulSetObserved(ctx: StepContext): Promise<void> {
  const path = `/apis/apps.kruise.io/v1beta1/namespaces/${ctx.namespace}/statefulsets/${SET_NAME}`;
  const observed = async () => {
    const sts = await ctx.client.request<{ status?: { observedGeneration?: number } }>(HttpMethod.GET, path).catch(() => undefined);
    return (sts?.status?.observedGeneration ?? 0) >= 1;
  };
  const deadline = Date.now() + 120_000;
  while (!(await observed())) {
    ctx.alive();
    if (Date.now() > deadline) throw new Error(`OpenKruise did not observe the Advanced StatefulSet ${ctx.namespace}/${SET_NAME} within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

