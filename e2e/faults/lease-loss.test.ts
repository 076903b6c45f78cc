// A leader that loses its Lease writes nothing more. Two operator processes
// with leader election; the leader runs with a very low client rate, so a
// scale-down leaves it with a long queue of pod deletions. Ten rooms the
// leader has planned to delete are marked Allocated, then the Lease is handed
// to the standby (as an admin's edit or a standby's takeover would). The old
// leader must detect the loss at its next renewal, send no deletion after
// that (the API server's audit log says who deleted what, and when), and
// exit; the new leader finishes the scale-down without touching the
// Allocated rooms.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, OperatorProcess, podDeletions } from '../support/index.js';
import { applySet, countReadyGameServers, gameServerSet, podNames, podUids, readLease, setOpsState, stealLease, waitForPods } from './support.js';

const LEASE = 'gk-lease-loss';
const TIMINGS = ['--leader-elect-lease-duration=6s', '--leader-elect-renew-deadline=4s', '--leader-elect-retry-period=500ms'];
const SET = 'rooms';
const REPLICAS = 120;
const SCALED = 20;
const ALLOCATED = Array.from({ length: 10 }, (_, i) => `${SET}-${SCALED + i}`);

let namespace: string;
const processes: OperatorProcess[] = [];

async function startCandidate(identity: string, flags: readonly string[] = []): Promise<OperatorProcess> {
  const operator = await OperatorProcess.start({ identity, namespaces: [namespace], leaseNamespace: namespace, leaseName: LEASE, flags: [...TIMINGS, ...flags] });
  processes.push(operator);
  return operator;
}

beforeAll(async () => {
  namespace = await createTestNamespace('fault-lease');
});
afterAll(async () => {
  for (const operator of processes) await operator.stop();
  await deleteTestNamespace(namespace);
});

describe('a leader that loses its Lease', () => {
  it('deletes nothing after it detects the loss, and no Allocated room is deleted', async () => {
    // Set up 120 rooms with a fast operator, then hand over to a slow one.
    const setup = await startCandidate('setup');
    await setup.waitForLog('became the leader');
    await applySet(namespace, gameServerSet(SET, REPLICAS));
    await waitForPods(namespace, SET, REPLICAS);
    await eventually(async () => (await countReadyGameServers(namespace)) === REPLICAS, { timeoutMs: 120_000, description: `${REPLICAS} GameServers Ready` });
    await setup.stop();

    const old = await startCandidate('old-leader', ['--kube-api-qps=2', '--kube-api-burst=2']);
    await old.waitForLog('caches synced, starting controllers');
    const standby = await startCandidate('new-leader');
    await standby.waitForLog('campaigning for leadership');
    const uidsBefore = await podUids(namespace, SET);

    await kubectl(['scale', 'gss', SET, '-n', namespace, `--replicas=${SCALED}`]);
    // The old leader deletes highest ordinals first, two a second; rooms-20..29 come last.
    await eventually(() => podDeletions(namespace).filter((d) => d.userAgent.startsWith('gamekeeper/old-leader')).length >= 3, {
      timeoutMs: 60_000,
      description: 'the old leader deleting pods',
    });
    for (const room of ALLOCATED) await setOpsState(namespace, room, 'Allocated');
    await stealLease(namespace, LEASE, 'new-leader');

    const exit = await old.exited;
    expect(exit.code).toBe(1);
    const lost = old.logged('lost leadership');
    expect(lost).toBeDefined();
    const lostAt = Date.parse(String(lost!.timestamp));

    const survivors = await eventually(
      async () => {
        const names = await podNames(namespace, SET);
        return names.length === SCALED ? names : false;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: `${SCALED} rooms left under the new leader` },
    );
    for (const room of ALLOCATED) expect(survivors).toContain(room);
    const uidsAfter = await podUids(namespace, SET);
    for (const room of ALLOCATED) expect(uidsAfter.get(room)).toBe(uidsBefore.get(room));

    const deletions = podDeletions(namespace);
    const byOld = deletions.filter((d) => d.userAgent.startsWith('gamekeeper/old-leader'));
    // The old leader was interrupted: it had 100 deletions queued.
    expect(byOld.length).toBeGreaterThan(0);
    expect(byOld.length).toBeLessThan(REPLICAS - SCALED);
    // Nothing it sent arrived after it detected the loss (50 ms: a request already on the wire).
    const late = byOld.filter((d) => d.receivedAt > lostAt + 50);
    expect(late).toEqual([]);
    expect(deletions.filter((d) => ALLOCATED.includes(d.name))).toEqual([]);
    expect((await readLease(namespace, LEASE))?.holderIdentity).toBe('new-leader');
  });
});
