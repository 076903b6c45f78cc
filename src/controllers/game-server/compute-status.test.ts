import { describe, expect, it } from '@jest/globals';
import { GameServerStatusSchema, type GameServerStatus as ApiGameServerStatus } from '../../api/index.js';
import { computeStatus, sameJson, statusChange, statusEqual, summarizePodStatus } from './compute-status.js';
import { gameServer, node, pod, syncedLabels, T0 } from './fixtures.js';
import type { GameServerLike, PodLike, ServiceQualityCondition } from './types.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const STAMP = '2024-05-01T12:00:00Z';
const EARLIER = '2024-05-01T11:00:00Z';

function readyPod(): PodLike {
  const b = pod().running().ready();
  for (const [k, v] of Object.entries(syncedLabels('None', 'Ready', 5, 7))) b.label(k, v);
  return b.build();
}

describe('computeStatus', () => {
  it('builds the status of a ready server', () => {
    const status = computeStatus({ gs: gameServer(), pod: readyPod(), node: node(), pvcs: new Map(), serviceQualitiesConditions: [], now: NOW });
    expect(status).toMatchObject({
      desiredState: 'Ready',
      currentState: 'Ready',
      updatePriority: '5',
      deletionPriority: '7',
      lastTransitionTime: STAMP,
      podStatus: { phase: 'Running', podIP: '10.0.0.10', hostIP: '192.168.0.10' },
    });
    expect(status.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodNormal', 'True'],
      ['NodeNormal', 'True'],
      ['PersistentVolumeNormal', 'True'],
    ]);
    expect(status.serviceQualitiesConditions).toBeUndefined();
  });

  const transitions: [string, GameServerLike['status'], PodLike, string][] = [
    ['same state keeps lastTransitionTime', { currentState: 'Ready', lastTransitionTime: EARLIER }, readyPod(), EARLIER],
    ['state change moves it', { currentState: 'Creating', lastTransitionTime: EARLIER }, readyPod(), STAMP],
    ['no previous time sets it', { currentState: 'Ready' }, readyPod(), STAMP],
    ['pod going away moves it', { currentState: 'Ready', lastTransitionTime: EARLIER }, pod().running().ready().deleting().build(), STAMP],
  ];
  it.each(transitions)('%s', (_name, previous, p, expected) => {
    const status = computeStatus({ gs: gameServer({ status: previous ?? {} }), pod: p, node: node(), pvcs: new Map(), serviceQualitiesConditions: [], now: NOW });
    expect(status.lastTransitionTime).toBe(expected);
  });

  it.each([
    ['labels on the pod win over the spec', { updatePriority: 1, deletionPriority: 2 }, readyPod(), ['5', '7']],
    ['spec fills in while the pod lacks the labels', { updatePriority: 1, deletionPriority: '2' }, pod().running().ready().build(), ['1', '2']],
    ['nothing anywhere → "0"', {}, pod().running().ready().build(), ['0', '0']],
  ] as const)('priorities: %s', (_name, spec, p, [up, dp]) => {
    const gs: GameServerLike = { metadata: { name: 'gs-0' }, spec: { ...spec } };
    const status = computeStatus({ gs, pod: p, pvcs: new Map(), serviceQualitiesConditions: [], now: NOW });
    expect([status.updatePriority, status.deletionPriority]).toEqual([up, dp]);
  });

  it('carries service-quality conditions through; no network status without a network plugin on the pod', () => {
    const sq: ServiceQualityCondition[] = [{ name: 'idle', status: 'True', result: '', lastProbeTime: STAMP }];
    const status = computeStatus({
      gs: gameServer({ status: { networkStatus: { networkType: 'x' } } }),
      pod: readyPod(), node: node(), pvcs: new Map(), serviceQualitiesConditions: sq, now: NOW,
    });
    expect(status.serviceQualitiesConditions).toEqual(sq);
    expect(status.networkStatus).toBeUndefined();
  });

  it('writes a status the API schema accepts (and the types agree)', () => {
    const status = computeStatus({
      gs: gameServer(), pod: pod().running().crashLooping('game').notReady().build(), node: node(), pvcs: new Map(),
      serviceQualitiesConditions: [{ name: 'idle', status: 'True', result: 'x', lastProbeTime: STAMP, lastTransitionTime: STAMP }], now: NOW,
    });
    const typed: ApiGameServerStatus = status;
    expect(GameServerStatusSchema.safeParse(typed).success).toBe(true);
  });

  it('is stable: feeding the status back in gives an equal status', () => {
    const first = computeStatus({ gs: gameServer(), pod: readyPod(), node: node(), pvcs: new Map(), serviceQualitiesConditions: [], now: NOW });
    const later = new Date('2024-05-01T13:00:00Z');
    const second = computeStatus({ gs: gameServer({ status: first }), pod: readyPod(), node: node(), pvcs: new Map(), serviceQualitiesConditions: [], now: later });
    expect(statusEqual(first, second)).toBe(true);
  });
});

describe('summarizePodStatus', () => {
  it('keeps what helps a person and drops the rest', () => {
    const p = pod().running().crashLooping('game').notReady().build();
    p.status!.startTime = new Date(T0);
    const summary = summarizePodStatus(p);
    expect(summary.startTime).toBe(T0);
    expect(summary.containerStatuses).toEqual([
      { name: 'game', ready: false, restartCount: 3, image: 'game:v1', imageID: 'game:v1@sha256:1', state: { waiting: { reason: 'CrashLoopBackOff' } } },
    ]);
    expect(summary.conditions?.find((c) => c.type === 'PodScheduled')).toEqual({ type: 'PodScheduled', status: 'True', lastTransitionTime: T0 });
    expect(summary.conditions?.find((c) => c.type === 'Ready')?.message).toBe('containers with unready status: [game]');
  });

  it('summarizes running and terminated containers', () => {
    const p = pod().containers({ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }).running().terminated('b', 137, 'OOMKilled').build();
    expect(summarizePodStatus(p).containerStatuses?.map((c) => c.state)).toEqual([
      { running: { startedAt: T0 } },
      { terminated: { exitCode: 137, reason: 'OOMKilled' } },
    ]);
  });
});

describe('statusChange', () => {
  const base = computeStatus({ gs: gameServer(), pod: readyPod(), pvcs: new Map(), serviceQualitiesConditions: [], now: NOW });
  const restarted = { ...structuredClone(base), podStatus: { ...base.podStatus, containerStatuses: [] } };
  it.each([
    ['nothing', structuredClone(base), 'none'],
    ['only the podStatus mirror', restarted, 'podStatus'],
    ['a condition (and the mirror)', { ...restarted, conditions: [] }, 'conditions'],
    ['the state (and the mirror)', { ...restarted, currentState: 'NotReady' }, 'state'],
    ['a priority', { ...structuredClone(base), deletionPriority: '9' }, 'state'],
    ['no previous status', undefined, 'state'],
  ] as const)('%s → %p', (_name, previous, expected) => {
    expect(statusChange(previous as never, base)).toBe(expected);
  });
});

describe('statusEqual', () => {
  const base = computeStatus({ gs: gameServer(), pod: readyPod(), pvcs: new Map(), serviceQualitiesConditions: [], now: NOW });
  it.each([
    ['identical', structuredClone(base), true],
    ['null fields equal absent ones', { ...structuredClone(base), networkStatus: null }, true],
    ['different state', { ...structuredClone(base), currentState: 'NotReady' }, false],
    ['an extra field from an older writer', { ...structuredClone(base), extra: 1 }, false],
    ['no previous status', undefined, false],
  ] as const)('%s → %p', (_name, previous, expected) => {
    expect(statusEqual(previous as never, base)).toBe(expected);
  });
});

describe('sameJson', () => {
  const when = new Date('2026-11-26T02:00:00.000Z');
  const cases: [string, unknown, unknown, boolean][] = [
    ['equal scalars', 'Ready', 'Ready', true],
    ['different scalars', 'Ready', 'NotReady', false],
    ['a number is not its string', 1, '1', false],
    ['undefined and null fields are absent', { a: 1, b: undefined, c: null }, { a: 1 }, true],
    ['absent on one side, present on the other', { a: 1 }, { a: 1, b: 2 }, false],
    ['nested objects', { a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'x', d: null }] } }, true],
    ['nested difference', { a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'y' }] } }, false],
    ['arrays differ in length', [1, 2], [1], false],
    ['array order matters', [1, 2], [2, 1], false],
    ['an array is not an object', [], {}, false],
    ['null and undefined are the same absence', null, undefined, true],
    ['an object is not absent', {}, undefined, false],
    ['a Date is its JSON string', { at: when }, { at: '2026-11-26T02:00:00.000Z' }, true],
  ];
  it.each(cases)('%s', (_name, a, b, expected) => {
    expect(sameJson(a, b)).toBe(expected);
    expect(sameJson(b, a)).toBe(expected);
    expect(sameJson(a, b)).toBe(JSON.stringify(strip(a)) === JSON.stringify(strip(b)));
  });
});

/** The JSON round trip sameJson replaces (nulls dropped), as the reference. */
function strip(value: unknown): unknown {
  return value === undefined || value === null ? null : (JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v === null ? undefined : v))) as unknown);
}
