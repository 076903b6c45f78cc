// One huge set scaling must not starve the process. The operator runs as its
// own process with leader election, a low client rate (so its queue of
// requests is long) and short lease timings. While a set in one namespace
// scales towards 2,000 rooms, a small set in another namespace is created: it
// must be served within seconds (the work queue and the client's rate limit
// take turns across namespaces), /healthz must answer every probe within 1 s
// (as a kubelet's liveness probe with timeoutSeconds 1 would require), and the
// leader must keep its Lease (renewals go through a client of their own).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, OperatorProcess } from '../support/index.js';
import { applySet, gameServerSet, podNames, readLease } from './support.js';

const LEASE = 'gk-under-load';
const BIG = 2_000;

let big: string;
let small: string;
let operator: OperatorProcess;

beforeAll(async () => {
  big = await createTestNamespace('fault-load-big');
  small = await createTestNamespace('fault-load-small');
});
afterAll(async () => {
  await operator?.stop();
  await deleteTestNamespace(small);
  await deleteTestNamespace(big);
});

/** Polls /healthz every 250 ms with a 1 s timeout until stopped; counts what did not answer 200 in time. */
function probeHealth(url: string): { stop(): Promise<{ probes: number; failures: string[] }> } {
  let running = true;
  let probes = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      probes += 1;
      try {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
        if (response.status !== 200) failures.push(`HTTP ${response.status}`);
        await response.arrayBuffer();
      } catch (error) {
        failures.push(`${new Date(started).toISOString()}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 250 - (Date.now() - started))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { probes, failures };
    },
  };
}

async function readyGameServers(namespace: string): Promise<number> {
  const out = await kubectl(['get', 'gs', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.status.currentState}{"\\n"}{end}']);
  return out.split('\n').filter((state) => state === 'Ready').length;
}

describe('a set scaling to thousands of rooms', () => {
  it('does not starve another namespace, the health probe or the Lease', async () => {
    operator = await OperatorProcess.start({
      identity: 'busy-leader',
      namespaces: [big, small],
      leaseNamespace: big,
      leaseName: LEASE,
      flags: ['--kube-api-qps=10', '--kube-api-burst=20', '--leader-elect-lease-duration=6s', '--leader-elect-renew-deadline=4s', '--leader-elect-retry-period=500ms', '--log-level=info'],
    });
    await operator.waitForLog('caches synced, starting controllers');
    const health = probeHealth(operator.healthUrl);
    const transitionsAtStart = (await readLease(big, LEASE))?.leaseTransitions;

    await applySet(big, gameServerSet('huge', BIG));
    await eventually(async () => (await podNames(big, 'huge')).length >= 50, { timeoutMs: 60_000, description: 'the huge set scaling' });

    const createdAt = Date.now();
    await applySet(small, gameServerSet('tiny', 3));
    await eventually(async () => (await readyGameServers(small)) === 3, { timeoutMs: 60_000, intervalMs: 500, description: 'the small set served' });
    const smallSeconds = (Date.now() - createdAt) / 1000;
    const bigPods = (await podNames(big, 'huge')).length;
    // The huge set was still scaling all along: the small one did not wait for it.
    expect(bigPods).toBeLessThan(BIG);

    // Keep the load on a little longer, then look at the probe and the Lease.
    await eventually(async () => (await podNames(big, 'huge')).length >= bigPods + 50, { timeoutMs: 60_000, description: 'the huge set still scaling' });
    const { probes, failures } = await health.stop();
    expect(failures).toEqual([]);
    expect(probes).toBeGreaterThan(20);
    expect(operator.alive).toBe(true);
    expect(operator.logged('lost leadership')).toBeUndefined();
    const lease = await readLease(big, LEASE);
    expect(lease?.holderIdentity).toBe('busy-leader');
    expect(lease?.leaseTransitions).toBe(transitionsAtStart);
    process.stdout.write(`small set Ready in ${smallSeconds.toFixed(1)} s while the huge set had ${bigPods} pods; ${probes} health probes, none late\n`);
  });
});
