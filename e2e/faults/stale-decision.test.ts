// A scale-down decided on the cache is checked again right before each pod
// deletion is sent. The operator runs with a very low client rate, so its
// deletions wait in the client's queue for seconds; rooms marked Allocated
// meanwhile (the last ones it had chosen) are spared, and the set finishes
// the scale-down with other rooms. The API server's audit log shows they
// were never deleted.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, OperatorProcess, podDeletions } from '../support/index.js';
import { applySet, countReadyGameServers, gameServerSet, podNames, setOpsState, waitForPods } from './support.js';

const SET = 'lobby';
const REPLICAS = 40;
const SCALED = 10;
const MARKED = Array.from({ length: 5 }, (_, i) => `${SET}-${SCALED + i}`);

let namespace: string;
let operator: OperatorProcess | undefined;

beforeAll(async () => {
  namespace = await createTestNamespace('fault-stale');
});
afterAll(async () => {
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

describe('a scale-down whose deletions wait in the client queue', () => {
  it('spares rooms marked Allocated after they were chosen', async () => {
    const setup = await OperatorProcess.start({ identity: 'setup', namespaces: [namespace], flags: ['--log-level=info'] });
    await setup.waitForLog('caches synced, starting controllers');
    await applySet(namespace, gameServerSet(SET, REPLICAS));
    await waitForPods(namespace, SET, REPLICAS);
    await eventually(async () => (await countReadyGameServers(namespace)) === REPLICAS, { timeoutMs: 60_000, description: `${REPLICAS} GameServers Ready` });
    await setup.stop();

    operator = await OperatorProcess.start({ identity: 'slow', namespaces: [namespace], flags: ['--kube-api-qps=2', '--kube-api-burst=2', '--log-level=info'] });
    await operator.waitForLog('caches synced, starting controllers');
    await kubectl(['scale', 'gss', SET, '-n', namespace, `--replicas=${SCALED}`]);
    // Highest ordinals go first, two a second: lobby-10..14 were chosen, and come last.
    await eventually(() => podDeletions(namespace).length >= 2, { timeoutMs: 60_000, description: 'the scale-down under way' });
    for (const room of MARKED) await setOpsState(namespace, room, 'Allocated');

    const survivors = await eventually(
      async () => {
        const names = await podNames(namespace, SET);
        return names.length === SCALED ? names : false;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: `${SCALED} rooms left` },
    );
    for (const room of MARKED) expect(survivors).toContain(room);
    expect(podDeletions(namespace).filter((d) => MARKED.includes(d.name))).toEqual([]);
    expect(operator.alive).toBe(true);
  });
});
