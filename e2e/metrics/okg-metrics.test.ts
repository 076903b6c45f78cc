// OKG's okg_* series, scraped from /metrics of the operator running
// in-process: their values follow a scale and an opsState change, and the
// series of a removed room or set go with it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createOperator } from '../../src/operator.js';
import { freePort } from '../cluster/ports.js';
import { applySet, gameServerSet } from '../game-server-set/harness.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startTestManager, type TestOperator } from '../support/index.js';

let namespace: string;
let operator: TestOperator;
let port: number;

interface Series {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of the Prometheus text exposition at /metrics. */
async function scrape(): Promise<Series[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`unparsable line ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** `name` samples of this test's namespace, as "label=value,..." → value. */
function pick(all: readonly Series[], name: string): Record<string, number> {
  return Object.fromEntries(
    all
      .filter((s) => s.name === name && (s.labels.namespace ?? s.labels.gsNs ?? s.labels.gssNs ?? namespace) === namespace)
      .map((s) => [
        Object.entries(s.labels)
          .filter(([key]) => !['namespace', 'gsNs', 'gssNs'].includes(key))
          .map(([key, value]) => `${key}=${value}`)
          .join(','),
        s.value,
      ]),
  );
}

/** Resolves with the scrape once `check` holds for it. */
async function scrapeUntil(description: string, check: (all: Series[]) => boolean): Promise<Series[]> {
  let last: Series[] = [];
  try {
    return await eventually(
      async () => {
        last = await scrape();
        return check(last) ? last : false;
      },
      { description, timeoutMs: 60_000 },
    );
  } catch (error) {
    const names = ['okg_gameservers_opsState_count', 'okg_gameserversets_replicas_count', 'okg_gameserver_deletion_priority'];
    throw new Error(`${description}: last scrape ${JSON.stringify(Object.fromEntries(names.map((name) => [name, pick(last, name)])))}`, { cause: error });
  }
}

beforeAll(async () => {
  namespace = await createTestNamespace('okg-metrics');
  port = await freePort();
  operator = startTestManager(
    { namespaces: [namespace], flags: [`--metrics-bind-address=127.0.0.1:${port}`, `--health-probe-bind-address=127.0.0.1:${port}`] },
    (parts) => createOperator({ ...parts, manager: { serveHttp: true } }),
  );
});
afterAll(async () => {
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

const equal = (actual: Record<string, number>, expected: Record<string, number>): boolean => JSON.stringify(actual) === JSON.stringify(expected);
const sortKeys = (record: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

describe('okg_* metrics', () => {
  it('follow a scale and an opsState change, and drop the series of removed rooms and sets', async () => {
    await applySet(namespace, gameServerSet('m', 2, {}, [{ name: 'game', image: 'example.com/game:1.0' }]));
    const ready = await scrapeUntil('two rooms Ready', (all) => pick(all, 'okg_gameservers_state_count')['state=Ready'] === 2);
    expect(pick(ready, 'okg_gameservers_total')['']).toBe(2);
    expect(sortKeys(pick(ready, 'okg_gameserver_deletion_priority'))).toEqual({ 'gsName=m-0': 0, 'gsName=m-1': 0 });
    expect(Object.keys(pick(ready, 'okg_gameserver_ready_duration_seconds')).sort()).toEqual(['gsName=m-0,gssName=m', 'gsName=m-1,gssName=m']);
    for (const value of Object.values(pick(ready, 'okg_gameserver_ready_duration_seconds'))) expect(value).toBeGreaterThanOrEqual(0);

    await kubectl(['scale', 'gss', 'm', '-n', namespace, '--replicas=3']);
    await kubectl(['patch', 'gs', 'm-0', '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"Maintaining","deletionPriority":7,"updatePriority":4}}']);
    const after = await scrapeUntil('3 rooms, one Maintaining, m-0 priorities on the pod', (all) => {
      const replicas = pick(all, 'okg_gameserversets_replicas_count');
      return (
        replicas['gssName=m,gsStatus=current'] === 3 &&
        replicas['gssName=m,gsStatus=ready'] === 3 &&
        replicas['gssName=m,gsStatus=maintaining'] === 1 &&
        pick(all, 'okg_gameserver_deletion_priority')['gsName=m-0'] === 7
      );
    });
    expect(sortKeys(pick(after, 'okg_gameservers_opsState_count'))).toEqual({
      'opsState=Allocated,gssName=m': 0,
      'opsState=Kill,gssName=m': 0,
      'opsState=Maintaining,gssName=m': 1,
      'opsState=None,gssName=m': 2,
      'opsState=WaitToBeDeleted,gssName=m': 0,
    });
    expect(pick(after, 'okg_gameserversets_replicas_count')).toMatchObject({ 'gssName=m,gsStatus=available': 3, 'gssName=m,gsStatus=waitToBeDeleted': 0 });
    expect(pick(after, 'okg_gameserver_update_priority')['gsName=m-0']).toBe(4);
    expect(pick(after, 'okg_gameservers_total')['']).toBe(3);

    // Maintaining is deleted last: scaling to 1 removes m-1 and m-2, and their series.
    await kubectl(['scale', 'gss', 'm', '-n', namespace, '--replicas=1']);
    const scaledIn = await scrapeUntil('only m-0 left', (all) => equal(pick(all, 'okg_gameserver_deletion_priority'), { 'gsName=m-0': 7 }));
    expect(pick(scaledIn, 'okg_gameserver_update_priority')).toEqual({ 'gsName=m-0': 4 });
    expect(Object.keys(pick(scaledIn, 'okg_gameserver_ready_duration_seconds'))).toEqual(['gsName=m-0,gssName=m']);
    expect(pick(scaledIn, 'okg_gameservers_opsState_count')).toMatchObject({ 'opsState=None,gssName=m': 0, 'opsState=Maintaining,gssName=m': 1 });
    expect(pick(scaledIn, 'okg_gameservers_total')['']).toBe(3);

    await kubectl(['delete', 'gss', 'm', '-n', namespace]);
    const gone = await scrapeUntil('no series of set m', (all) =>
      ['okg_gameserversets_replicas_count', 'okg_gameservers_opsState_count', 'okg_gameserver_deletion_priority'].every((name) => Object.keys(pick(all, name)).length === 0),
    );
    expect(pick(gone, 'okg_gameservers_state_count')['state=Ready']).toBe(0);
    // The API latency histogram the dashboard reads saw this test's writes.
    const patches = gone.filter((s) => s.name === 'rest_client_request_duration_seconds_count' && s.labels.verb === 'PATCH');
    expect(patches.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
  });
});
