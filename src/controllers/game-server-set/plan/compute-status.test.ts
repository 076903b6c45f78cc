import { describe, expect, it } from '@jest/globals';
import { REPLICA_FAILURE, computeSetStatus, onlyCountsChanged, statusEqual, statusRecheckAfterSeconds, type StatusOptions } from './compute-status.js';
import { NOW, aPod, aSet, ago, notReady, terminating, type SetOverrides } from './test-fixtures.js';
import type { PodView, SetStatus } from './types.js';

const revisions = { currentRevision: 'r1', updateRevision: 'r2' };
const nowIso = new Date(NOW).toISOString().replace('.000Z', 'Z');

interface CountCase {
  name: string;
  set: SetOverrides;
  pods: PodView[];
  expected: Partial<SetStatus>;
}

const counts: CountCase[] = [
  {
    name: 'empty set',
    set: { replicas: 0 },
    pods: [],
    expected: { replicas: 0, currentReplicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0, updatedReadyReplicas: 0 },
  },
  {
    name: 'replicas counts live pods, not spec.replicas',
    set: { replicas: 5 },
    pods: [aPod(0), notReady(1), terminating(2)],
    expected: { replicas: 2, currentReplicas: 3, readyReplicas: 1 },
  },
  {
    name: 'available needs Ready for minReadySeconds',
    set: { replicas: 3, updateStrategy: { minReadySeconds: 60 } },
    pods: [aPod(0, { readySince: ago(120) }), aPod(1, { readySince: ago(10) }), notReady(2)],
    expected: { readyReplicas: 2, availableReplicas: 1 },
  },
  {
    name: 'updated and updatedReady',
    set: { replicas: 4 },
    pods: [aPod(0, { revision: 'r2' }), notReady(1, { revision: 'r2' }), aPod(2), terminating(3, { revision: 'r2' })],
    expected: { updatedReplicas: 2, updatedReadyReplicas: 1 },
  },
  {
    name: 'ops-state counts skip terminating pods',
    set: { replicas: 5 },
    pods: [
      aPod(0, { opsState: 'Maintaining' }),
      aPod(1, { opsState: 'WaitToBeDeleted' }),
      aPod(2, { opsState: 'WaitToBeDeleted' }),
      terminating(3, { opsState: 'WaitToBeDeleted' }),
      aPod(4, { opsState: 'Allocated' }),
    ],
    expected: { maintainingReplicas: 1, waitToBeDeletedReplicas: 2 },
  },
  {
    name: 'preDelete counts GameServers in state PreDelete',
    set: { replicas: 2 },
    pods: [aPod(0, { gsState: 'PreDelete' }), aPod(1, { gsState: 'Ready' })],
    expected: { preDeleteReplicas: 1 },
  },
  {
    name: 'OKG SyncStatus: a PreparingDelete pod counts in PREDELETE and CURRENT, not in replicas, ready or updated',
    set: { replicas: 2 },
    pods: [aPod(0, { revision: 'r2' }), aPod(1, { revision: 'r2' }), aPod(2, { revision: 'r2', lifecycleState: 'PreparingDelete' })],
    expected: { replicas: 2, currentReplicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, preDeleteReplicas: 1 },
  },
  {
    name: 'a PreparingNormal pod is ready but not available (Kruise isRunningAndAvailable)',
    set: { replicas: 1 },
    pods: [aPod(0, { lifecycleState: 'PreparingNormal' })],
    expected: { readyReplicas: 1, availableReplicas: 0 },
  },
  {
    name: 'selector, generation and revisions',
    set: { name: 'gss', generation: 7, replicas: 1 },
    pods: [aPod(0)],
    expected: { observedGeneration: 7, labelSelector: 'game.kruise.io/owner-gss=gss', currentRevision: 'r1', updateRevision: 'r2' },
  },
  {
    name: 'rollout complete: current revision becomes the update revision',
    set: { replicas: 2 },
    pods: [aPod(0, { revision: 'r2' }), aPod(1, { revision: 'r2' })],
    expected: { currentRevision: 'r2' },
  },
  {
    name: 'all updated but one not Ready: current revision stays',
    set: { replicas: 2 },
    pods: [aPod(0, { revision: 'r2' }), notReady(1, { revision: 'r2' })],
    expected: { currentRevision: 'r1' },
  },
  {
    name: 'all updated but short of replicas: current revision stays',
    set: { replicas: 3 },
    pods: [aPod(0, { revision: 'r2' }), aPod(1, { revision: 'r2' })],
    expected: { currentRevision: 'r1' },
  },
];

describe('computeSetStatus counts', () => {
  it.each(counts)('$name', ({ set, pods, expected }) => {
    expect(computeSetStatus(aSet(set), pods, revisions, NOW)).toMatchObject(expected);
  });
});

const failure = { type: REPLICA_FAILURE, status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: '2026-01-01T11:00:00Z' };
const other = { type: 'Other', status: 'True' as const };

describe('computeSetStatus conditions', () => {
  it.each<{ name: string; options: StatusOptions; expected: SetStatus['conditions'] }>([
    { name: 'no conditions', options: {}, expected: [] },
    { name: 'existing conditions pass through', options: { conditions: [other] }, expected: [other] },
    {
      name: 'a refused creation raises ReplicaFailure now',
      options: { conditions: [other], replicaFailure: { message: 'pods "gss-0" is forbidden: exceeded quota' } },
      expected: [other, { type: REPLICA_FAILURE, status: 'True', reason: 'FailedCreate', message: 'pods "gss-0" is forbidden: exceeded quota', lastTransitionTime: nowIso }],
    },
    {
      name: 'a repeated failure keeps its transition time and takes the new message',
      options: { conditions: [failure as SetStatus['conditions'][number]], replicaFailure: { reason: 'Invalid', message: 'bad' } },
      expected: [{ ...failure, reason: 'Invalid', message: 'bad' } as SetStatus['conditions'][number]],
    },
    { name: 'success clears ReplicaFailure', options: { conditions: [other, failure as SetStatus['conditions'][number]], replicaFailure: null }, expected: [other] },
    { name: 'unknown outcome leaves it', options: { conditions: [failure as SetStatus['conditions'][number]] }, expected: [failure as SetStatus['conditions'][number]] },
  ])('$name', ({ options, expected }) => {
    expect(computeSetStatus(aSet({ replicas: 0 }), [], revisions, NOW, options).conditions).toEqual(expected);
  });
});

describe('statusEqual', () => {
  const status = computeSetStatus(aSet({ replicas: 1 }), [aPod(0)], revisions, NOW);
  it.each([
    { name: 'same status', other: { ...status }, equal: true },
    { name: 'same content, other key order', other: JSON.parse(JSON.stringify(status, Object.keys(status).sort())) as SetStatus, equal: true },
    { name: 'a count differs', other: { ...status, readyReplicas: 0 }, equal: false },
    { name: 'a condition differs', other: { ...status, conditions: [other] }, equal: false },
    { name: 'compared with nothing', other: undefined, equal: false },
  ])('$name', ({ other: candidate, equal }) => {
    expect(statusEqual(status, candidate)).toBe(equal);
  });
});

describe('onlyCountsChanged', () => {
  const status = computeSetStatus(aSet({ replicas: 1 }), [aPod(0)], revisions, NOW);
  it.each([
    { name: 'ready count', current: { ...status, readyReplicas: 0 }, counts: true },
    { name: 'several counts', current: { ...status, replicas: 0, updatedReplicas: 0 }, counts: true },
    { name: 'a new generation', current: { ...status, observedGeneration: status.observedGeneration - 1 }, counts: false },
    { name: 'a new update revision', current: { ...status, updateRevision: 'other' }, counts: false },
    { name: 'a condition', current: { ...status, conditions: [other] }, counts: false },
    { name: 'no status yet', current: undefined, counts: false },
  ])('$name → $counts', ({ current, counts }) => {
    expect(onlyCountsChanged(current, status)).toBe(counts);
  });
});

describe('statusRecheckAfterSeconds', () => {
  it.each([
    { name: 'no minReadySeconds', minReady: 0, pods: [aPod(0, { readySince: ago(1) })], expected: undefined },
    { name: 'the soonest pod to mature', minReady: 30, pods: [aPod(0, { readySince: ago(5) }), aPod(1, { readySince: ago(20) })], expected: 10 },
    { name: 'all mature already', minReady: 30, pods: [aPod(0)], expected: undefined },
  ])('$name', ({ minReady, pods, expected }) => {
    expect(statusRecheckAfterSeconds(aSet({ updateStrategy: { minReadySeconds: minReady } }), pods, NOW)).toBe(expected);
  });
});
