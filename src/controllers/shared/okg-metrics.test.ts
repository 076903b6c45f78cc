import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { Store } from '../../runtime/store.js';
import type { CachedObject, CachedPod } from './informers.js';
import { computeOkgSeries, OKG_METRIC_NAMES, registerOkgMetricsOn, SET_REPLICAS_METRIC } from './okg-metrics.js';

const gs = (name: string, state: string, spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'ns', labels: { 'game.kruise.io/owner-gss': 'web' }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { opsState: 'None', ...spec },
  status: { currentState: state, ...status },
});
const pod = (name: string, readyAt?: string): CachedPod => ({
  metadata: { name, namespace: 'ns', creationTimestamp: '2026-01-01T00:00:01Z' },
  status: readyAt ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] } : {},
});
const SET = { metadata: { name: 'web', namespace: 'ns' }, spec: { replicas: 4 }, status: { updatedReplicas: 1, currentReplicas: 3, readyReplicas: 2, availableReplicas: 2, maintainingReplicas: 1, waitToBeDeletedReplicas: 0 } };

describe('computeOkgSeries', () => {
  const series = computeOkgSeries(
    [
      gs('web-0', 'Ready', { opsState: 'Maintaining', deletionPriority: 7 }, { deletionPriority: '7', updatePriority: 3, networkStatus: { currentNetworkState: 'Ready', lastTransitionTime: '2026-01-01T00:00:09Z' } }),
      gs('web-1', 'Ready', { deletionPriority: 'x' }),
      gs('web-2', 'Creating'),
    ],
    [SET],
    [pod('web-0', '2026-01-01T00:00:04Z'), pod('web-1', '2026-01-01T00:00:06Z'), pod('web-2')],
  );

  it('counts every known state (0 included) and every known opsState of every set', () => {
    expect(series.stateCount).toContainEqual({ labels: { state: 'Ready' }, value: 2 });
    expect(series.stateCount).toContainEqual({ labels: { state: 'Creating' }, value: 1 });
    expect(series.stateCount).toContainEqual({ labels: { state: 'Crash' }, value: 0 });
    expect(series.opsStateCount).toEqual([
      { labels: { opsState: 'None', gssName: 'web', namespace: 'ns' }, value: 2 },
      { labels: { opsState: 'WaitToBeDeleted', gssName: 'web', namespace: 'ns' }, value: 0 },
      { labels: { opsState: 'Maintaining', gssName: 'web', namespace: 'ns' }, value: 1 },
      { labels: { opsState: 'Allocated', gssName: 'web', namespace: 'ns' }, value: 0 },
      { labels: { opsState: 'Kill', gssName: 'web', namespace: 'ns' }, value: 0 },
    ]);
  });

  it('reports the set replicas by status, as OKG labels them', () => {
    expect(series.replicasCount.map((s) => [s.labels.gsStatus, s.value])).toEqual([
      ['current', 3],
      ['ready', 2],
      ['available', 2],
      ['maintaining', 1],
      ['waitToBeDeleted', 0],
    ]);
    expect(series.replicasCount[0]!.labels).toEqual({ gssName: 'web', gssNs: 'ns', gsStatus: 'current' });
    expect(series.setReplicas.map((s) => [s.labels.gsStatus, s.value])).toEqual([
      ['desired', 4],
      ['updated', 1],
      ['updatedReady', 0],
    ]);
  });

  it('priorities from the status (IntOrString as OKG IntValue: a non-number is 0)', () => {
    expect(series.deletionPriority).toEqual([
      { labels: { gsName: 'web-0', gsNs: 'ns' }, value: 7 },
      { labels: { gsName: 'web-1', gsNs: 'ns' }, value: 0 },
      { labels: { gsName: 'web-2', gsNs: 'ns' }, value: 0 },
    ]);
    expect(series.updatePriority[0]).toEqual({ labels: { gsName: 'web-0', gsNs: 'ns' }, value: 3 });
  });

  it('ready durations from the pod creation to Ready and to network Ready, for rooms that are', () => {
    expect(series.readyDuration).toEqual([
      { labels: { gsName: 'web-0', gsNs: 'ns', gssName: 'web' }, value: 3 },
      { labels: { gsName: 'web-1', gsNs: 'ns', gssName: 'web' }, value: 5 },
    ]);
    expect(series.networkReadyDuration).toEqual([{ labels: { gsName: 'web-0', gsNs: 'ns', gssName: 'web' }, value: 8 }]);
  });
});

function store<T extends CachedObject | CachedPod>(items: () => T[]): Store<T> {
  return { list: items } as unknown as Store<T>;
}

describe('registerOkgMetricsOn', () => {
  it('exports exactly OKG names and types, and drops a removed room at the next scrape', async () => {
    const registry = new Registry();
    let rooms = [gs('web-0', 'Ready'), gs('web-1', 'Ready')] as unknown as CachedObject[];
    let now = 0;
    const hooks = registerOkgMetricsOn(registry, { gameServers: store(() => rooms), sets: store(() => [SET as unknown as CachedObject]), pods: store<CachedPod>(() => []) }, () => now);
    hooks.gameServerAdded();
    const metrics = await registry.getMetricsAsJSON();
    expect(metrics.map((m) => [m.name, m.type]).sort()).toEqual(
      [...OKG_METRIC_NAMES, SET_REPLICAS_METRIC].map((name) => [name, name === 'okg_gameservers_total' ? 'counter' : 'gauge']).sort(),
    );
    expect(await registry.metrics()).toMatch(/^okg_gameserver_deletion_priority\{gsName="web-1",gsNs="ns"\} 0$/m);
    expect(await registry.metrics()).toMatch(/^okg_gameservers_total 1$/m);
    rooms = rooms.slice(0, 1);
    now += 1_000;
    expect(await registry.metrics()).not.toMatch(/gsName="web-1"/);
  });
});
