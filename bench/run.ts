// npm run bench -- [--n=1000] [--reps=3] [--steady-seconds=60] [--json=path]
// Starts the local control plane, runs the operator as its own process and
// measures it against the API server's own floor (BENCHMARKS.md explains each
// figure). Every wait is bounded; a failed step is reported, not hidden.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { selectProvider, type ProvidedCluster } from '../e2e/cluster/index.js';
import { freePort } from '../e2e/cluster/ports.js';
import { parseArgs, USAGE, UsageError, type BenchArgs } from './args.js';
import { directProbes, measureDirectProbes, Responder } from './direct-probes.js';
import { measureExecFloor } from './exec-floor.js';
import { execProbe, GAME_CONTAINER, PROBE_LOG } from './fixtures.js';
import { runFloor } from './floor.js';
import { mergePatch, unlimitedClient } from './kube.js';
import { measureProbes, measureSteady, requestDelta, requestsByResource } from './observe.js';
import { buildOperator, OperatorProcess } from './operator-process.js';
import { repoRoot } from '../e2e/cluster/paths.js';
import { prepareSet, scaleDownByPriority, scaleUp, SET_NAME, tearDown, updateSidecar, Watched, type StepContext } from './operator-steps.js';
import { componentPids, cpuDelta, cpuSnapshot, memory, RssSampler } from './proc.js';
import { sumOf } from './prom-text.js';
import { figures, newResult, renderTable, type BenchResult, type HeapSample, type StepRequests } from './report.js';
import { ensurePeer, type PeerBuild } from './peer/build.js';
import { renderComparison } from './peer/report.js';
import { runPeer } from './peer/run-peer.js';
import { SETTLE_MS } from '../src/controllers/game-server/reconciler.js';
import { GAME_SERVER_SETS } from '../src/controllers/shared/resources.js';

const say = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message ? `${error.message}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  say(`N=${args.n}, ${args.reps} reps, steps ${[...args.steps].join(',')}`);

  let entry: string | undefined;
  if (args.operator === 'build') {
    say('compiling the operator (tsconfig.build.json → node_modules/.cache/gamekeeper-bench/dist)');
    entry = await buildOperator();
  } else if (args.operator === 'dist') entry = join(repoRoot, 'dist/main.js');
  let peerBuild: PeerBuild | undefined;
  if (args.peer) {
    say(`building the peer from ${args.peer.archivesDir} (scripts/peer/build-okg.sh; cached after the first run)`);
    peerBuild = await ensurePeer(args.peer.archivesDir);
  }
  const provider = await selectProvider(say);
  if (args.peer && provider.name !== 'local') throw new Error(`--peer runs on the local control plane only (the provider is ${provider.name})`);
  const started = Date.now();
  const cluster = await provider.start(say);
  say(`${cluster.provider} control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s (kubeconfig ${cluster.kubeconfigPath})`);
  const outDir = join(cluster.runDir, 'bench');
  await mkdir(outDir, { recursive: true });
  let operator: OperatorProcess | undefined;
  let result: BenchResult | undefined;
  try {
    const needsOperator = args.steps.has('operator') || args.steps.has('steady') || args.steps.has('probes') || args.steps.has('direct-probes');
    const runNamespaces = Array.from({ length: args.reps }, (_, i) => `bench-${i + 1}`);
    if (needsOperator) {
      const [metricsPort, healthPort] = [await freePort(), await freePort()];
      operator = await OperatorProcess.start({
        kubeconfigPath: cluster.kubeconfigPath,
        namespaces: [...runNamespaces, 'bench-steady'],
        settings: args.settings,
        metricsPort,
        healthPort,
        logFile: join(outDir, 'operator.log'),
        entry,
        ...(args.heapSnapshotPath ? { heapSnapshotDir: outDir } : {}),
      });
      say(`operator pid ${operator.pid}: ${operator.command}`);
    }
    result = newResult(args, command, operator?.command ?? 'not started');
    await runAll(args, cluster, operator, result);
  } finally {
    await operator?.stop().catch(() => undefined);
    await cluster.stop().catch((error: unknown) => say(`stopping the control plane failed: ${describe(error)}`));
  }
  if (args.peer && peerBuild) {
    try {
      result.peer = await runPeer({
        peer: args.peer,
        build: peerBuild,
        n: args.n,
        reps: args.reps,
        nodes: args.nodes,
        seed: args.seed,
        timeoutMs: args.timeoutSeconds * 1000,
        concurrency: args.floorConcurrency,
        log: say,
      });
    } catch (error) {
      result.errors.push(`peer: ${describe(error)}`);
      say(`peer: ${describe(error)}`);
    }
  }
  const f = figures(result);
  const json = resolve(args.jsonPath);
  await mkdir(dirname(json), { recursive: true });
  await writeFile(json, `${JSON.stringify({ ...result, figures: f }, null, 2)}\n`);
  const comparison = result.peer ? `\n\n${renderComparison(result, result.peer)}` : '';
  process.stdout.write(`${renderTable(result, f)}${comparison}\n\nJSON: ${json}\n`);
  const peerErrors = result.peer ? result.peer.errors.length + result.peer.runs.reduce((sum, run) => sum + run.errors.length, 0) : 0;
  return result.errors.length + peerErrors > 0 ? 1 : 0;
}

async function runAll(args: BenchArgs, cluster: ProvidedCluster, operator: OperatorProcess | undefined, result: BenchResult): Promise<void> {
  const client = await unlimitedClient(cluster.kubeconfigPath);
  const timeoutMs = args.timeoutSeconds * 1000;
  const sampler = operator ? new RssSampler(operator.pid) : undefined;
  let baselineRss = 0;
  if (operator) {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    baselineRss = memory(operator.pid).rssBytes;
    sampler?.start();
  }
  // The V8 heap (used, total) and external memory at the end of each phase, to tell a leak from a lazy GC or off-heap buffers.
  const heapAtEnd: Record<string, HeapSample> = {};
  let current = 'start';
  const phase = async (name: string) => {
    if (!operator || !sampler) return;
    const used = await operator
      .metrics()
      .then((samples) => ({
        usedBytes: sumOf(samples, 'nodejs_heap_size_used_bytes'),
        totalBytes: sumOf(samples, 'nodejs_heap_size_total_bytes'),
        externalBytes: sumOf(samples, 'nodejs_external_memory_bytes'),
      }))
      .catch(() => undefined);
    if (used !== undefined) heapAtEnd[current] = used;
    current = name;
    sampler.phase(name);
  };
  const context = (namespace: string): StepContext => ({
    client,
    namespace,
    n: args.n,
    timeoutMs,
    concurrency: args.floorConcurrency,
    alive: () => operator?.assertAlive(),
    log: say,
  });
  const fail = (step: string, error: unknown) => {
    const message = `${step}: ${describe(error)}`;
    result.errors.push(message);
    say(message);
  };

  for (let rep = 1; rep <= args.reps; rep++) {
    if (args.steps.has('floor')) {
      await phase(`floor-${rep}`);
      say(`rep ${rep}: API floor`);
      try {
        const pids = componentPids(cluster.runDir);
        const cpu = () => cpuSnapshot(pids);
        const floor = await runFloor({ client, namespace: `bench-floor-${rep}`, n: args.n, concurrency: args.floorConcurrency, timeoutMs, cpu });
        result.samples.floorCreate.push(floor.createSeconds);
        if (floor.createCpu && floor.updateCpu) result.samples.floorCpu.push({ rep, create: floor.createCpu, update: floor.updateCpu });
        result.samples.floorUpdate.push(floor.updateSeconds);
        say(`rep ${rep}: floor create ${floor.createSeconds.toFixed(2)} s, floor update ${floor.updateSeconds.toFixed(2)} s`);
      } catch (error) {
        fail(`rep ${rep} floor`, error);
      }
    }
    if (args.steps.has('operator') && operator) await phase(`operator-${rep}`);
    if (args.steps.has('operator') && operator) await operatorRep(rep, context(`bench-${rep}`), args, result, operator, cluster.runDir, fail);
  }

  if (operator && (args.steps.has('steady') || args.steps.has('probes') || args.steps.has('direct-probes'))) {
    const ctx = context('bench-steady');
    const watched = new Watched(client, ctx.namespace);
    try {
      await phase('steady-setup');
      say(`steady: ${args.n} servers`);
      await prepareSet(ctx, watched);
      await scaleUp(ctx, watched, args.n);
      // Quiet for longer than the operator defers a write (a GameServer's
      // podStatus mirror, SETTLE_MS.podStatus): no object changes, and the
      // collector has had time to return the scale-up's garbage.
      await watched.quiet(STEADY_QUIET_MS, STEADY_QUIET_MS + 300_000);
      if (args.steps.has('steady')) {
        await phase('steady');
        say(`steady: measuring ${args.steadySeconds} s`);
        result.steady = await measureSteady(operator, args.steadySeconds, () => watched.pods.changes + watched.gameServers.changes + watched.sets.changes);
      }
      if (args.steps.has('probes')) {
        await phase('exec-floor');
        say(`probes: exec floor, ${EXEC_FLOOR_SECONDS} s with ${EXEC_FLOOR_CONCURRENCY} execs in flight`);
        const period = args.probePeriodSeconds;
        const probe = execProbe(period) as { exec: { command: string[] } };
        const podNames = watched.livePods().map((pod) => pod.metadata?.name ?? '');
        const floor = () =>
          measureExecFloor(client, ctx.namespace, podNames, GAME_CONTAINER, probe.exec.command, { seconds: EXEC_FLOOR_SECONDS, concurrency: EXEC_FLOOR_CONCURRENCY });
        const floorBefore = await floor();
        result.execFloor = floorBefore;
        say(`probes: exec floor ${floorBefore.execsPerSecond.toFixed(1)} execs/s (${floorBefore.failed} failed)`);
        await mergePatch(client, GAME_SERVER_SETS, ctx.namespace, SET_NAME, { spec: { serviceQualities: [execProbe(period)] } });
        await phase('probes');
        const warmUp = period + 5;
        say(`probes: warming up ${warmUp} s and until every server was probed once, then measuring ${args.probeSeconds} s`);
        await probedOnce(operator, 'exec', args.n / period, period, warmUp, timeoutMs);
        const execLog = cluster.provider === 'local' ? join(cluster.runDir, 'exec', PROBE_LOG) : undefined;
        result.probes = await measureProbes(operator, args.probeSeconds, args.n / period, execLog);
        say(`probes: ${result.probes.probesPerSecond.toFixed(1)}/s of ${result.probes.expectedPerSecond.toFixed(1)}/s due, p99 delay ${result.probes.p99DelaySeconds?.toFixed(3) ?? '—'} s`);
        // The floor again once the probes are gone: a shared machine's floor moves, so the probes are judged
        // against the mean of the floor just before and just after them.
        await mergePatch(client, GAME_SERVER_SETS, ctx.namespace, SET_NAME, { spec: { serviceQualities: null } });
        await operatorQuiet(operator, 5_000, 90_000);
        const floorAfter = await floor();
        say(`probes: exec floor after the probes ${floorAfter.execsPerSecond.toFixed(1)} execs/s (${floorAfter.failed} failed)`);
        result.execFloor = {
          ...floorBefore,
          seconds: floorBefore.seconds + floorAfter.seconds,
          execsPerSecond: (floorBefore.execsPerSecond + floorAfter.execsPerSecond) / 2,
          failed: floorBefore.failed + floorAfter.failed,
          samples: [floorBefore.execsPerSecond, floorAfter.execsPerSecond],
        };
      }
      if (args.steps.has('direct-probes')) {
        await phase('direct-probes');
        const addresses = watched.livePods().map((pod) => (pod as { status?: { podIP?: string } }).status?.podIP ?? '');
        if (addresses.some((address) => address === '')) throw new Error('direct probes: a pod has no IP');
        const [httpPort, tcpPort] = [await freePort(), await freePort()];
        say(`direct probes: responder on ${addresses.length} pod IPs, HTTP :${httpPort}, TCP :${tcpPort}`);
        const responder = await Responder.start(addresses, httpPort, tcpPort);
        try {
          const period = args.probePeriodSeconds;
          await mergePatch(client, GAME_SERVER_SETS, ctx.namespace, SET_NAME, { spec: { serviceQualities: directProbes(httpPort, tcpPort, period) } });
          const warmUp = period + 5;
          say(`direct probes: warming up ${warmUp} s and until every server was probed once, then measuring ${args.probeSeconds} s`);
          await probedOnce(operator, 'direct', (2 * args.n) / period, period, warmUp, timeoutMs);
          result.directProbes = await measureDirectProbes(operator, responder, args.probeSeconds, (2 * args.n) / period);
          const d = result.directProbes;
          say(`direct probes: ${d.probesPerSecond.toFixed(1)}/s of ${d.expectedPerSecond.toFixed(1)}/s due, p50 ${d.p50DelaySeconds?.toFixed(3) ?? '—'} s, p99 ${d.p99DelaySeconds?.toFixed(3) ?? '—'} s`);
        } finally {
          await mergePatch(client, GAME_SERVER_SETS, ctx.namespace, SET_NAME, { spec: { serviceQualities: null } }).catch(() => undefined);
          await responder.stop();
        }
      }
    } catch (error) {
      fail('steady/probes', error);
    } finally {
      await watched.stop();
    }
  }

  if (operator && sampler) {
    await phase('end');
    sampler.stop();
    try {
      const peak = memory(operator.pid).peakRssBytes;
      result.memory = {
        baselineRssBytes: baselineRss,
        peakRssBytes: peak,
        sampledMaxRssBytes: sampler.maxRssBytes,
        perThousandBytes: (peak - baselineRss) / (args.n / 1000),
        maxRssByPhaseBytes: { ...sampler.maxByPhase },
        heapAtEndOfPhase: heapAtEnd,
      };
    } catch (error) {
      fail('memory', error);
    }
    if (args.heapSnapshotPath) {
      say(`writing a heap snapshot of the operator to ${args.heapSnapshotPath}`);
      await operator.writeHeapSnapshot(resolve(args.heapSnapshotPath)).catch((error: unknown) => fail('heap snapshot', error));
    }
  }
}

/**
 * The warm-up of a probe window: until the operator has scheduled every
 * server's probes (its due-per-second gauge of `lane` reaches `duePerSecond`;
 * each server's probes are scheduled when its GameServer is reconciled after
 * the set changed), then `warmUpSeconds` (a period and a bit, so each probe
 * ran once), then until as many probes completed as the servers have (the
 * first results' status writes compete with the probes; a window that starts
 * earlier measures them too).
 */
async function probedOnce(operator: OperatorProcess, lane: string, duePerSecond: number, periodSeconds: number, warmUpSeconds: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const read = async () => {
    const samples = await operator.metrics();
    return {
      due: sumOf(samples, 'gamekeeper_service_quality_probes_due_per_second', (l) => l.lane === lane),
      done: sumOf(samples, 'gamekeeper_service_quality_probes_total', (l) => l.lane === lane),
    };
  };
  const poll = async (what: string, ok: (state: { due: number; done: number }) => boolean) => {
    for (;;) {
      const state = await read();
      if (ok(state)) return state;
      if (Date.now() > deadline) throw new Error(`${lane} probes: ${what} not reached within ${timeoutMs / 1000} s (due ${state.due.toFixed(1)}/s, ${state.done} completed)`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const scheduled = await poll(`${duePerSecond}/s due`, (state) => state.due >= duePerSecond * 0.999);
  say(`${lane} probes: all scheduled (${scheduled.due.toFixed(1)}/s due)`);
  await new Promise((resolve) => setTimeout(resolve, warmUpSeconds * 1000));
  const servers = duePerSecond * periodSeconds;
  await poll(`${servers} probes since all were scheduled`, (state) => state.done - scheduled.done >= servers);
}

/** Waits until the operator made no write for `quietMs` (the GameServer status writes a removed service quality causes), at most `timeoutMs`. */
async function operatorQuiet(operator: OperatorProcess, quietMs: number, timeoutMs: number): Promise<void> {
  const writes = async () =>
    sumOf(await operator.metrics(), 'rest_client_requests_total', (l) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(l.method ?? ''));
  const deadline = Date.now() + timeoutMs;
  let last = await writes();
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await writes();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

/** The exec floor of step 7: this long, with this many execs in flight. */
const EXEC_FLOOR_SECONDS = 20;
const EXEC_FLOOR_CONCURRENCY = 64;
/** The steady window starts after this long without a change: longer than the operator defers any write. */
const STEADY_QUIET_MS = SETTLE_MS.podStatus + 10_000;

async function operatorRep(
  rep: number,
  ctx: StepContext,
  args: BenchArgs,
  result: BenchResult,
  operator: OperatorProcess,
  runDir: string,
  fail: (step: string, error: unknown) => void,
): Promise<void> {
  const watched = new Watched(ctx.client, ctx.namespace);
  // CPU seconds of the operator and of each control-plane process (local provider), per step: where the time goes.
  const pids: Record<string, number> = { operator: operator.pid, ...componentPids(runDir) };
  /** Runs a timed step, noting the operator's requests and everyone's CPU during it. */
  const step = async <T>(
    name: StepRequests['step'],
    run: () => Promise<T>,
    seconds: (value: T) => number,
    milestones?: (value: T) => StepRequests['milestones'],
    statusChanges?: (value: T) => StepRequests['gameServerStatusChanges'],
  ): Promise<T> => {
    const before = await operator.metrics();
    const cpuBefore = cpuSnapshot(pids);
    const value = await run();
    const cpuByProcess = cpuDelta(cpuBefore, cpuSnapshot(pids));
    const after = await operator.metrics();
    result.samples.requests.push({
      rep,
      step: name,
      seconds: seconds(value),
      byMethod: requestDelta(before, after),
      byResource: requestsByResource(before, after),
      cpuSeconds: cpuByProcess,
      ...(milestones ? { milestones: milestones(value) } : {}),
      ...(statusChanges ? { gameServerStatusChanges: statusChanges(value) } : {}),
    });
    return value;
  };
  try {
    say(`rep ${rep}: operator scale-up 0→${args.n}`);
    await prepareSet(ctx, watched);
    const up = await step('scale-up', () => scaleUp(ctx, watched, args.n), (s) => s.seconds, (s) => s.milestones, (s) => s.gameServerStatusChanges);
    result.samples.scaleUp.push(up.seconds);
    say(`rep ${rep}: scale-up ${up.seconds.toFixed(2)} s`);
    const update = await step('update', () => updateSidecar(ctx, watched), (s) => s.seconds, (s) => s.milestones, (s) => s.gameServerStatusChanges);
    result.samples.update.push(update.seconds);
    say(`rep ${rep}: in-place update ${update.seconds.toFixed(2)} s`);
    const down = await step('scale-down', () => scaleDownByPriority(ctx, watched, args.seed + rep), (r) => r.seconds);
    result.samples.scaleDown.push(down);
    say(`rep ${rep}: scale-down ${down.seconds.toFixed(2)} s (WaitToBeDeleted kept ${down.waitToBeDeletedKept}, Allocated deleted ${down.allocatedDeleted})`);
  } catch (error) {
    fail(`rep ${rep} operator`, error);
  } finally {
    await tearDown(ctx, watched).catch((error: unknown) => say(`rep ${rep}: tear-down failed: ${describe(error)}`));
    await watched.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
