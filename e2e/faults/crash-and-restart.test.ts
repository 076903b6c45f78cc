// The operator process killed with SIGKILL mid scale-up, and the API server
// killed mid scale-up while etcd compacts its history (the resumed watches
// get 410 Gone and relist): each time the set ends with exactly its ordinals,
// never two pods for one ordinal, and no pod deleted (the API server's audit
// log has every pod deletion in the namespace).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, OperatorProcess, podDeletions } from '../support/index.js';
import { compactEtcd, ensureApiServer, killApiServer } from '../runtime/support.js';
import { applySet, gameServerSet, podNames, waitForPods } from './support.js';

const REPLICAS = 150;
const expected = (set: string): string[] => Array.from({ length: REPLICAS }, (_, i) => `${set}-${i}`).sort();

/** A slow client (20 requests/s, about 4 per room) keeps a scale-up of 150 going for half a minute, so each fault lands in its middle. */
const SLOW = ['--kube-api-qps=20', '--kube-api-burst=20'];

let namespace: string;
const processes: OperatorProcess[] = [];

async function startOperatorProcess(identity: string, flags: readonly string[] = []): Promise<OperatorProcess> {
  const operator = await OperatorProcess.start({ identity, namespaces: [namespace], flags: ['--log-level=info', ...flags] });
  processes.push(operator);
  await operator.waitForLog('caches synced, starting controllers');
  return operator;
}

beforeAll(async () => {
  namespace = await createTestNamespace('fault-crash');
});
afterAll(async () => {
  await ensureApiServer();
  for (const operator of processes) await operator.stop();
  await deleteTestNamespace(namespace);
});

describe('faults mid scale-up', () => {
  it('kill -9 of the operator: the next one finishes with exactly the ordinals 0..N-1 and deletes nothing', async () => {
    const first = await startOperatorProcess('crash-1', SLOW);
    await applySet(namespace, gameServerSet('crash', REPLICAS));
    await eventually(async () => (await podNames(namespace, 'crash')).length >= 30, { timeoutMs: 60_000, description: 'scale-up under way' });
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const atKill = (await podNames(namespace, 'crash')).length;
    expect(atKill).toBeLessThan(REPLICAS);

    await startOperatorProcess('crash-2', SLOW);
    expect(await waitForPods(namespace, 'crash', REPLICAS)).toEqual(expected('crash'));
    expect(podDeletions(namespace).filter((d) => d.name.startsWith('crash-'))).toEqual([]);
  });

  it('API server killed mid scale-up and etcd compacted: the operator relists and finishes exactly, deleting nothing', async () => {
    await applySet(namespace, gameServerSet('outage', REPLICAS));
    await eventually(async () => (await podNames(namespace, 'outage')).length >= 30, { timeoutMs: 60_000, description: 'scale-up under way' });
    const atKill = (await podNames(namespace, 'outage')).length;
    await killApiServer();
    await compactEtcd();
    await ensureApiServer();
    await compactEtcd();
    expect(atKill).toBeLessThan(REPLICAS);
    expect(await waitForPods(namespace, 'outage', REPLICAS)).toEqual(expected('outage'));
    expect(podDeletions(namespace).filter((d) => d.name.startsWith('outage-'))).toEqual([]);
    expect(processes.at(-1)!.alive).toBe(true);
  });
});
