// npm run bench:stress -- [--n=20000] [--minutes=20] [--small-after-seconds=30]
// One set scaled to N rooms on the local control plane's 3 kwok nodes, the
// operator as its own process with leader election (the chart's lease
// timings, 15 s / 10 s / 2 s), and a small set in another namespace created
// while the big one scales. Prints what issue "Never lose a room" asks to
// hold under load: Lease renewal latency, /healthz latency, the small set's
// time to Ready, lease transitions, pods per second and the operator's RSS.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { selectProvider } from '../e2e/cluster/index.js';
import { freePort } from '../e2e/cluster/ports.js';
import { HttpMethod } from '../src/runtime/kube-client.js';
import { resourcePath } from '../src/runtime/resource.js';
import { GAME_SERVERS, GAME_SERVER_SETS } from '../src/controllers/shared/resources.js';
import { gameServerSet, gameServerReady, setStatus } from './fixtures.js';
import { create, createNamespace, unlimitedClient } from './kube.js';
import { buildOperator, OperatorProcess } from './operator-process.js';
import { RssSampler } from './proc.js';
import { bucketsOf, sumOf } from './prom-text.js';
import { histogramQuantile } from './stats.js';

const say = (message: string) => process.stderr.write(`[stress ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function flag(name: string, fallback: number): number {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.split('=')[1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

const RENEW = 'gamekeeper_leader_election_renew_duration_seconds';

async function main(): Promise<number> {
  const n = flag('n', 20_000);
  const minutes = flag('minutes', 20);
  const smallAfterMs = flag('small-after-seconds', 30) * 1000;
  say(`N=${n}, at most ${minutes} min`);
  const entry = await buildOperator();
  const provider = await selectProvider(say);
  const cluster = await provider.start(say);
  const outDir = join(cluster.runDir, 'stress');
  await mkdir(outDir, { recursive: true });
  const client = await unlimitedClient(cluster.kubeconfigPath);
  const [big, small] = ['stress-big', 'stress-small'];
  await createNamespace(client, big);
  await createNamespace(client, small);
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  const operator = await OperatorProcess.start({
    kubeconfigPath: cluster.kubeconfigPath,
    namespaces: [big, small],
    settings: { qps: 200, burst: 400, gssWorkers: 4, gsWorkers: 8, probeConcurrency: 16 },
    metricsPort,
    healthPort,
    logFile: join(outDir, 'operator.log'),
    entry,
    extraFlags: ['--leader-elect=true', `--leader-elect-resource-namespace=${big}`, '--leader-elect-resource-name=stress', '--leader-elect-identity=stress'],
  });
  const rss = new RssSampler(operator.pid);
  rss.start();
  let healthMaxMs = 0;
  let loopLagMaxMs = 0;
  let healthLate = 0;
  let healthProbes = 0;
  let probing = true;
  const health = (async () => {
    while (probing) {
      const started = performance.now();
      healthProbes += 1;
      try {
        const response = await fetch(`http://127.0.0.1:${healthPort}/healthz`, { signal: AbortSignal.timeout(5_000) });
        await response.arrayBuffer();
      } catch {
        healthLate += 1;
      }
      const ms = performance.now() - started;
      healthMaxMs = Math.max(healthMaxMs, ms);
      if (ms > 1_000) healthLate += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 250 - ms)));
    }
  })();

  const started = Date.now();
  let smallSeconds: number | undefined;
  let finishedSeconds: number | undefined;
  let lastReplicas = 0;
  try {
    await create(client, GAME_SERVER_SETS, big, gameServerSet(big, 'big', n));
    let smallCreated: number | undefined;
    const deadline = started + minutes * 60_000;
    let nextReport = 0;
    while (Date.now() < deadline) {
      operator.assertAlive();
      const now = Date.now();
      if (smallCreated === undefined && now - started >= smallAfterMs) {
        await create(client, GAME_SERVER_SETS, small, gameServerSet(small, 'small', 3));
        smallCreated = Date.now();
      }
      if (smallCreated !== undefined && smallSeconds === undefined) {
        const list = await client.request<{ items: Parameters<typeof gameServerReady>[0][] }>(HttpMethod.GET, resourcePath(GAME_SERVERS, small));
        if (list.items.filter(gameServerReady).length === 3) smallSeconds = (Date.now() - smallCreated) / 1000;
      }
      const set = await client.request<Parameters<typeof setStatus>[0]>(HttpMethod.GET, resourcePath(GAME_SERVER_SETS, big, 'big'));
      const status = setStatus(set);
      lastReplicas = status.readyReplicas ?? 0;
      if (now >= nextReport) {
        // prom-client resets its event-loop delay histogram at each scrape: this is the worst lag since the last report.
        const lag = sumOf(await operator.metrics(), 'nodejs_eventloop_lag_max_seconds');
        loopLagMaxMs = Math.max(loopLagMaxMs, lag * 1000);
        say(`${((now - started) / 1000).toFixed(0)} s: big ${status.replicas ?? 0} pods, ${lastReplicas} ready; small ${smallSeconds === undefined ? 'waiting' : `Ready after ${smallSeconds.toFixed(1)} s`}; RSS ${(rss.maxRssBytes / 2 ** 20).toFixed(0)} MB; /healthz max ${healthMaxMs.toFixed(0)} ms; event-loop lag max ${(lag * 1000).toFixed(0)} ms`);
        nextReport = now + 15_000;
      }
      if (lastReplicas >= n && smallSeconds !== undefined) {
        finishedSeconds = (Date.now() - started) / 1000;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const samples = await operator.metrics();
    const renewals = sumOf(samples, `${RENEW}_count`);
    const renewSum = sumOf(samples, `${RENEW}_sum`);
    const buckets = bucketsOf(samples, RENEW);
    const lease = await client.request<{ spec?: { holderIdentity?: string; leaseTransitions?: number } }>(
      HttpMethod.GET,
      `/apis/coordination.k8s.io/v1/namespaces/${big}/leases/stress`,
    );
    const elapsed = finishedSeconds ?? (Date.now() - started) / 1000;
    process.stdout.write(
      [
        `N=${n}: ${lastReplicas} rooms Ready ${finishedSeconds === undefined ? `after the ${minutes} min limit` : `in ${finishedSeconds.toFixed(0)} s`} (${(lastReplicas / elapsed).toFixed(1)} rooms/s)`,
        `small set (3 rooms, another namespace) Ready ${smallSeconds === undefined ? 'never' : `${smallSeconds.toFixed(1)} s after it was created`}`,
        `Lease renewals: ${renewals}, mean ${renewals > 0 ? ((renewSum / renewals) * 1000).toFixed(1) : '-'} ms, p99 ≤ ${((histogramQuantile(buckets, 99) ?? NaN) * 1000).toFixed(0)} ms; holder ${lease.spec?.holderIdentity}, transitions ${lease.spec?.leaseTransitions}`,
        `/healthz: ${healthProbes} probes, max ${healthMaxMs.toFixed(0)} ms, ${healthLate} over 1 s; operator event-loop lag max ${loopLagMaxMs.toFixed(0)} ms`,
        `operator peak RSS ${(rss.maxRssBytes / 2 ** 20).toFixed(1)} MB, alive ${operator.pid}`,
      ].join('\n') + '\n',
    );
    return finishedSeconds === undefined ? 1 : 0;
  } finally {
    probing = false;
    await health;
    rss.stop();
    await operator.stop().catch(() => undefined);
    await cluster.stop().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
