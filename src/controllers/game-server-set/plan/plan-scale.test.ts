import { describe, expect, it } from '@jest/globals';
import { InvalidReserveIdsError } from './pod-facts.js';
import { IdRanges } from '../../../api/reserve-ids.js';
import { lowestFreeOrdinals, planScale, rememberMembers, type DeleteReason, type ScalePlan } from './plan-scale.js';
import { NOW, aPod, aSet, ago, notReady, pods, terminating, type SetOverrides } from './test-fixtures.js';
import type { PodView } from './types.js';

interface Case {
  name: string;
  set: SetOverrides;
  pods: PodView[];
  expected: Partial<ScalePlan>;
}

const del = (ordinal: number, reason: DeleteReason = 'ScaleDown', deleteClaims = false) => ({
  name: `gss-${ordinal}`,
  ordinal,
  reason,
  deleteClaims,
});

const growth: Case[] = [
  { name: 'empty set stays empty', set: { replicas: 0 }, pods: [], expected: { create: [], delete: [], waiting: [] } },
  { name: 'new set creates 0..n-1', set: { replicas: 3 }, pods: [], expected: { create: [0, 1, 2], delete: [] } },
  { name: 'steady set does nothing', set: { replicas: 3 }, pods: pods(0, 1, 2), expected: { create: [], delete: [], waiting: [] } },
  { name: 'scale up appends the next ordinals', set: { replicas: 5 }, pods: pods(0, 1, 2), expected: { create: [3, 4] } },
  { name: 'scale up fills the lowest holes first', set: { replicas: 5 }, pods: pods(0, 2, 5), expected: { create: [1, 3] } },
  {
    name: 'reserved ids and ranges are skipped',
    set: { replicas: 4, reserveGameServerIds: [1, '3-4'] },
    pods: [],
    expected: { create: [0, 2, 5, 6] },
  },
  {
    name: 'every low ordinal reserved',
    set: { replicas: 2, reserveGameServerIds: ['0-2'] },
    pods: [],
    expected: { create: [3, 4] },
  },
  {
    name: 'a reserve of a million ids starts the set above it',
    set: { replicas: 3, reserveGameServerIds: ['0-999999'] },
    pods: [],
    expected: { create: [1_000_000, 1_000_001, 1_000_002] },
  },
  {
    name: 'scale up above a million reserved ids fills the hole between live pods',
    set: { replicas: 3, reserveGameServerIds: ['0-999999'] },
    pods: pods(1_000_000, 1_000_002),
    expected: { create: [1_000_001], delete: [] },
  },
  {
    name: 'a pod inside a million reserved ids is deleted and replaced above them',
    set: { replicas: 2, reserveGameServerIds: ['0-999999'] },
    pods: pods(5, 1_000_000),
    expected: { create: [1_000_001], delete: [del(5, 'ReservedOrdinal')] },
  },
  {
    name: 'a hole left by an un-reserved id stays a hole while replicas are met',
    set: { replicas: 2, reserveGameServerIds: [] },
    pods: pods(0, 2),
    expected: { create: [], delete: [], waiting: [] },
  },
  {
    name: 'newly reserved live pod is deleted and replaced on the lowest free id',
    set: { replicas: 3, reserveGameServerIds: [1] },
    pods: pods(0, 1, 2),
    expected: { create: [3], delete: [del(1, 'ReservedOrdinal')] },
  },
  {
    name: 'offline one server: replicas-1 and reserve its id',
    set: { replicas: 2, reserveGameServerIds: [1] },
    pods: pods(0, 1, 2),
    expected: { create: [], delete: [del(1, 'ReservedOrdinal')] },
  },
  {
    name: 'a terminating pod holds its ordinal: no second pod for it',
    set: { replicas: 3 },
    pods: [aPod(0), terminating(1), aPod(2)],
    expected: { create: [], delete: [], waiting: [1] },
  },
  {
    name: 'scale up around a terminating pod creates only the free ordinals',
    set: { replicas: 3 },
    pods: [terminating(0), aPod(1)],
    expected: { create: [2], waiting: [0] },
  },
  {
    name: 'a terminating pod beyond replicas is just left to finish',
    set: { replicas: 2 },
    pods: [aPod(0), aPod(1), terminating(2)],
    expected: { create: [], delete: [], waiting: [] },
  },
  {
    name: 'failed pod is deleted to be recreated on its ordinal',
    set: { replicas: 3 },
    pods: [aPod(0), aPod(1, { phase: 'Failed', ready: false }), aPod(2)],
    expected: { create: [], delete: [del(1, 'PodFailed')] },
  },
  {
    name: 'succeeded pod is recreated too',
    set: { replicas: 1 },
    pods: [aPod(0, { phase: 'Succeeded', ready: false })],
    expected: { delete: [del(0, 'PodFailed')] },
  },
];

const shrink: Case[] = [
  { name: 'replicas 0 deletes every pod', set: { replicas: 0 }, pods: pods(0, 1), expected: { delete: [del(1), del(0)] } },
  { name: 'plain scale-down takes the highest ordinals', set: { replicas: 2 }, pods: pods(0, 1, 2, 3), expected: { delete: [del(3), del(2)] } },
  {
    name: 'opsState order: WaitToBeDeleted, then None/empty, never Allocated or Maintaining first',
    set: { replicas: 3 },
    pods: [
      aPod(0, { opsState: 'Maintaining' }),
      aPod(1, { opsState: 'Allocated' }),
      aPod(2, { opsState: 'None' }),
      aPod(3, { opsState: 'WaitToBeDeleted' }),
      aPod(4, { opsState: '' }),
    ],
    expected: { delete: [del(3), del(4)] },
  },
  {
    name: 'Allocated goes before Maintaining',
    set: { replicas: 1 },
    pods: [aPod(0, { opsState: 'Maintaining' }), aPod(1, { opsState: 'Allocated' }), aPod(2, { opsState: 'Maintaining' })],
    expected: { delete: [del(1), del(2)] },
  },
  {
    name: 'an unknown opsState ranks as None',
    set: { replicas: 1 },
    pods: [aPod(0, { opsState: 'Draining' }), aPod(1, { opsState: 'Allocated' })],
    expected: { delete: [del(0)] },
  },
  {
    name: 'higher deletionPriority first within an opsState',
    set: { replicas: 2 },
    pods: [aPod(0, { deletionPriority: 100 }), aPod(1), aPod(2, { deletionPriority: -5 })],
    expected: { delete: [del(0)] },
  },
  {
    name: 'opsState beats deletionPriority',
    set: { replicas: 2 },
    pods: [aPod(0, { deletionPriority: 100 }), aPod(1, { opsState: 'WaitToBeDeleted' }), aPod(2)],
    expected: { delete: [del(1)] },
  },
  {
    name: 'priority ties go to the higher ordinal',
    set: { replicas: 1 },
    pods: [aPod(0, { deletionPriority: 7 }), aPod(5, { deletionPriority: 7 }), aPod(3, { deletionPriority: 7 })],
    expected: { delete: [del(5), del(3)] },
  },
  {
    name: 'a failed pod that is also a victim is deleted once, as scale-down',
    set: { replicas: 1 },
    pods: [aPod(0), aPod(1, { phase: 'Failed', ready: false, opsState: 'WaitToBeDeleted' })],
    expected: { delete: [del(1)] },
  },
  {
    name: 'whenScaled Delete marks the claims of removed ids only',
    set: { replicas: 1, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' }, reserveGameServerIds: [0] },
    pods: [aPod(0), aPod(1, { phase: 'Failed', ready: false }), aPod(2)],
    expected: { delete: [del(2, 'ScaleDown', true), del(0, 'ReservedOrdinal', true), del(1, 'PodFailed', false)] },
  },
];

const kill: Case[] = [
  {
    name: 'Kill on a steady set lowers replicas first and deletes nothing yet',
    set: { replicas: 3 },
    pods: [aPod(0), aPod(1, { opsState: 'Kill' }), aPod(2)],
    expected: { replicasAfterKill: 2, create: [], delete: [] },
  },
  {
    name: 'two Kill pods lower replicas by two',
    set: { replicas: 4 },
    pods: [aPod(0, { opsState: 'Kill' }), aPod(1), aPod(2, { opsState: 'Kill' }), aPod(3)],
    expected: { replicasAfterKill: 2 },
  },
  {
    name: 'after the replicas patch the Kill pod goes first and is not back-filled',
    set: { replicas: 2 },
    pods: [aPod(0), aPod(1, { opsState: 'Kill' }), aPod(2, { opsState: 'WaitToBeDeleted' })],
    expected: { delete: [del(1)], create: [] },
  },
  {
    name: 'Kill waits while a pod is terminating',
    set: { replicas: 2 },
    pods: [aPod(0, { opsState: 'Kill' }), aPod(1), terminating(2)],
    expected: { create: [], delete: [] },
  },
  {
    name: 'Kill waits while the pod count does not match replicas',
    set: { replicas: 3 },
    pods: [aPod(0, { opsState: 'Kill' }), aPod(1)],
    expected: { create: [2] },
  },
  {
    name: 'Kill above a million reserved ids lowers replicas',
    set: { replicas: 2, reserveGameServerIds: ['0-999999'] },
    pods: [aPod(1_000_000, { opsState: 'Kill' }), aPod(1_000_001)],
    expected: { replicasAfterKill: 1 },
  },
];

const reserveIds: Case[] = [
  {
    name: 'ReserveIds writes the victims into the reserve list and deletes nothing yet',
    set: { replicas: 3, scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } },
    pods: [aPod(0), aPod(1, { opsState: 'WaitToBeDeleted' }), aPod(2), aPod(3), aPod(4)],
    expected: { reserveIdsAfter: [1, 4], delete: [] },
  },
  {
    name: 'ReserveIds merges with existing ids, runs of 3+ as a-b',
    set: { replicas: 2, reserveGameServerIds: [5, 9], scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } },
    pods: pods(0, 1, 2, 3, 4),
    expected: { reserveIdsAfter: ['2-5', 9] },
  },
  {
    name: 'ReserveIds joins a victim to a million reserved ids as one range',
    set: { replicas: 1, reserveGameServerIds: ['2-999999'], scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } },
    pods: pods(0, 1),
    expected: { reserveIdsAfter: ['1-999999'], delete: [] },
  },
  {
    name: 'ReserveIds writes ids above a million reserved back, joined to the range',
    set: { replicas: 1, reserveGameServerIds: ['0-999999'], scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } },
    pods: [aPod(1_000_000, { opsState: 'WaitToBeDeleted' }), aPod(1_000_001)],
    expected: { reserveIdsAfter: ['0-1000000'], delete: [] },
  },
  {
    name: 'ReserveIds next pass deletes the now reserved pods',
    set: { replicas: 3, reserveGameServerIds: [1, 4], scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } },
    pods: pods(0, 1, 2, 3, 4),
    expected: { delete: [del(1, 'ReservedOrdinal'), del(4, 'ReservedOrdinal')], create: [] },
  },
  {
    name: 'General strategy never writes the reserve list',
    set: { replicas: 1 },
    pods: pods(0, 1),
    expected: { delete: [del(1)] },
  },
];

const parallelPacing: Case[] = [
  { name: 'maxUnavailable 2 creates two at a time', set: { replicas: 5, scaleStrategy: { maxUnavailable: 2 } }, pods: [], expected: { create: [0, 1], waiting: [2, 3, 4] } },
  {
    name: 'not-ready pods use up the budget',
    set: { replicas: 4, scaleStrategy: { maxUnavailable: 2 } },
    pods: [notReady(0)],
    expected: { create: [1], waiting: [2, 3] },
  },
  {
    name: 'budget exhausted: nothing created',
    set: { replicas: 4, scaleStrategy: { maxUnavailable: 1 } },
    pods: [notReady(0)],
    expected: { create: [], waiting: [1, 2, 3] },
  },
  {
    name: 'pods not yet Ready for minReadySeconds count as unavailable',
    set: { replicas: 3, scaleStrategy: { maxUnavailable: 1 }, updateStrategy: { minReadySeconds: 10 } },
    pods: [aPod(0, { readySince: ago(4) })],
    expected: { create: [], waiting: [1, 2], recheckAfterSeconds: 6 },
  },
  { name: 'percent rounds down: 50% of 5 is 2', set: { replicas: 5, scaleStrategy: { maxUnavailable: '50%' } }, pods: [], expected: { create: [0, 1] } },
  { name: 'percent is at least 1: 10% of 5', set: { replicas: 5, scaleStrategy: { maxUnavailable: '10%' } }, pods: [], expected: { create: [0] } },
  {
    name: 'an ordinal waiting on its terminating pod uses budget',
    set: { replicas: 3, scaleStrategy: { maxUnavailable: 2 } },
    pods: [terminating(0)],
    expected: { create: [1], waiting: [0, 2] },
  },
  {
    name: 'scale-down is not paced by maxUnavailable',
    set: { replicas: 1, scaleStrategy: { maxUnavailable: 1 } },
    pods: [aPod(0), notReady(1), aPod(2), aPod(3)],
    expected: { delete: [del(3), del(2), del(1)] },
  },
];

const ordered: Case[] = [
  { name: 'OrderedReady creates only ordinal 0 first', set: { replicas: 3, podManagementPolicy: 'OrderedReady' }, pods: [], expected: { create: [0], waiting: [1, 2] } },
  {
    name: 'OrderedReady waits for the previous pod to be Ready',
    set: { replicas: 3, podManagementPolicy: 'OrderedReady' },
    pods: [notReady(0)],
    expected: { create: [], waiting: [1, 2] },
  },
  {
    name: 'OrderedReady waits for minReadySeconds',
    set: { replicas: 2, podManagementPolicy: 'OrderedReady', updateStrategy: { minReadySeconds: 30 } },
    pods: [aPod(0, { readySince: ago(10) })],
    expected: { create: [], waiting: [1], recheckAfterSeconds: 20 },
  },
  {
    name: 'OrderedReady creates the next once lower ordinals are Ready',
    set: { replicas: 3, podManagementPolicy: 'OrderedReady' },
    pods: pods(0, 1),
    expected: { create: [2] },
  },
  {
    name: 'OrderedReady fills a hole when only lower ordinals are Ready',
    set: { replicas: 3, podManagementPolicy: 'OrderedReady' },
    pods: [aPod(0), notReady(2)],
    expected: { create: [1] },
  },
  {
    name: 'OrderedReady waits for its lowest ordinal to finish terminating',
    set: { replicas: 3, podManagementPolicy: 'OrderedReady' },
    pods: [terminating(0), aPod(1)],
    expected: { create: [], waiting: [0, 2] },
  },
  {
    name: 'OrderedReady deletes one pod, the highest ordinal',
    set: { replicas: 1, podManagementPolicy: 'OrderedReady' },
    pods: pods(0, 1, 2, 3),
    expected: { delete: [del(3)] },
  },
  {
    name: 'OrderedReady picks victims by opsState, then deletes the highest of them',
    set: { replicas: 2, podManagementPolicy: 'OrderedReady' },
    pods: [aPod(0, { opsState: 'WaitToBeDeleted' }), aPod(1, { opsState: 'WaitToBeDeleted' }), aPod(2), aPod(3)],
    expected: { delete: [del(1)] },
  },
  {
    name: 'OrderedReady waits for the previous deletion to finish',
    set: { replicas: 1, podManagementPolicy: 'OrderedReady' },
    pods: [aPod(0), aPod(1), aPod(2), terminating(3)],
    expected: { delete: [] },
  },
  {
    name: 'OrderedReady does not delete while a remaining pod is not Ready',
    set: { replicas: 2, podManagementPolicy: 'OrderedReady' },
    pods: [notReady(0), aPod(1), aPod(2)],
    expected: { delete: [] },
  },
  {
    name: 'OrderedReady deletes an unhealthy victim when it is the lowest unhealthy one',
    set: { replicas: 1, podManagementPolicy: 'OrderedReady' },
    pods: [aPod(0), aPod(1), notReady(2)],
    expected: { delete: [del(2)] },
  },
  {
    name: 'OrderedReady blocks on an unhealthy victim below the target',
    set: { replicas: 1, podManagementPolicy: 'OrderedReady' },
    pods: [aPod(0), notReady(1), notReady(2)],
    expected: { delete: [] },
  },
  {
    name: 'OrderedReady replaces a reserved pod by creating first, deleting after',
    set: { replicas: 3, podManagementPolicy: 'OrderedReady', reserveGameServerIds: [1] },
    pods: pods(0, 1, 2),
    expected: { create: [3], delete: [] },
  },
  {
    name: 'OrderedReady then deletes the reserved pod',
    set: { replicas: 3, podManagementPolicy: 'OrderedReady', reserveGameServerIds: [1] },
    pods: pods(0, 1, 2, 3),
    expected: { create: [], delete: [del(1, 'ReservedOrdinal')] },
  },
];

// gamekeeper.dev/scale-down-protected-ops-states
const protection: Case[] = [
  {
    name: 'protection: only unprotected rooms are scaled away, the shortfall is reported',
    set: { replicas: 2, scaleDownProtectedOpsStates: ['Allocated', 'Maintaining'] },
    pods: [aPod(0, { opsState: 'Allocated' }), aPod(1), aPod(2, { opsState: 'Allocated' }), aPod(3, { opsState: 'Maintaining' })],
    expected: { delete: [del(1)], create: [], scaleDownBlocked: 1 },
  },
  {
    name: 'protection: WaitToBeDeleted and idle rooms go first, as without protection',
    set: { replicas: 2, scaleDownProtectedOpsStates: ['Allocated'] },
    pods: [aPod(0, { opsState: 'Allocated' }), aPod(1, { opsState: 'WaitToBeDeleted' }), aPod(2), aPod(3)],
    expected: { delete: [del(1), del(3)] },
  },
  {
    name: 'protection: nothing to delete when every excess room is protected',
    set: { replicas: 1, scaleDownProtectedOpsStates: ['Allocated'] },
    pods: [aPod(0, { opsState: 'Allocated' }), aPod(1, { opsState: 'Allocated' })],
    expected: { delete: [], create: [], scaleDownBlocked: 1 },
  },
  {
    name: 'protection: a room that became idle finishes the scale-down',
    set: { replicas: 1, scaleDownProtectedOpsStates: ['Allocated'] },
    pods: [aPod(0, { opsState: 'Allocated' }), aPod(1, { opsState: 'None' })],
    expected: { delete: [del(1)] },
  },
  {
    name: 'protection: an unset opsState counts as None',
    set: { replicas: 1, scaleDownProtectedOpsStates: ['None'] },
    pods: [aPod(0, { opsState: '' }), aPod(1, { opsState: 'WaitToBeDeleted' }), aPod(2, { opsState: 'Allocated' })],
    expected: { delete: [del(1), del(2)] },
  },
  {
    name: 'protection: Kill still kills (after the replicas patch)',
    set: { replicas: 2, scaleDownProtectedOpsStates: ['Allocated'] },
    pods: [aPod(0), aPod(1, { opsState: 'Kill' }), aPod(2, { opsState: 'Allocated' })],
    expected: { delete: [del(1)] },
  },
  {
    name: 'protection: the protected rooms do not block a scale-up',
    set: { replicas: 3, scaleDownProtectedOpsStates: ['Allocated'] },
    pods: [aPod(0, { opsState: 'Allocated' })],
    expected: { create: [1, 2], delete: [] },
  },
  {
    name: 'protection: ReserveIds reserves only the deletable rooms',
    set: { replicas: 1, scaleDownProtectedOpsStates: ['Allocated'], scaleStrategy: { scaleDownStrategyType: 'ReserveIds' } },
    pods: [aPod(0), aPod(1, { opsState: 'Allocated' }), aPod(2, { opsState: 'Allocated' })],
    expected: { reserveIdsAfter: [0], scaleDownBlocked: 1 },
  },
  {
    name: 'protection off: Allocated rooms go when the scale-down reaches them',
    set: { replicas: 1 },
    pods: [aPod(0, { opsState: 'Allocated' }), aPod(1, { opsState: 'Allocated' })],
    expected: { delete: [del(1)] },
  },
];

describe('planScale', () => {
  it.each([...growth, ...shrink, ...kill, ...reserveIds, ...parallelPacing, ...ordered, ...protection])('$name', ({ set, pods: input, expected }) => {
    const plan = planScale(aSet(set), input, { now: NOW });
    expect(plan).toMatchObject(expected);
    if (expected.scaleDownBlocked === undefined) expect(plan.scaleDownBlocked).toBeUndefined();
    if (expected.replicasAfterKill === undefined) expect(plan.replicasAfterKill).toBeUndefined();
    if (expected.reserveIdsAfter === undefined) expect(plan.reserveIdsAfter).toBeUndefined();
  });

  it('never plans a pod for an ordinal that already has one, terminating or not', () => {
    const input = [aPod(0), terminating(1), aPod(3), terminating(4)];
    for (let replicas = 0; replicas <= 8; replicas++) {
      const plan = planScale(aSet({ replicas }), input, { now: NOW });
      for (const ordinal of plan.create) expect(input.map((p) => p.ordinal)).not.toContain(ordinal);
    }
  });

  it('refuses a reserve list the API server would have rejected', () => {
    expect(() => planScale(aSet({ replicas: 1, reserveGameServerIds: ['5-2'] }), [], { now: NOW })).toThrow(InvalidReserveIdsError);
  });

  it('evicts pods of a lost node and keeps a victim listed once', () => {
    const input = [aPod(0, { nodeName: 'lost' }), aPod(1, { nodeName: 'ok' }), aPod(2, { nodeName: 'lost' })];
    const plan = planScale(aSet({ replicas: 2 }), input, {
      now: NOW,
      nodes: [{ name: 'lost', lostSince: ago(600) }, { name: 'ok' }],
      nodeLossTimeoutSeconds: 300,
    });
    expect(plan.delete).toEqual([del(2)]);
    expect(plan.evict).toEqual([{ name: 'gss-0', nodeName: 'lost', force: false }]);
  });
});

describe('PreparingDelete pods (preDelete hook)', () => {
  const preparing = (ordinal: number, overrides: Partial<PodView> = {}) => aPod(ordinal, { lifecycleState: 'PreparingDelete', ...overrides });

  it('OKG computeToScaleGs case 11: a PreparingDelete pod is not a replica and its id is skipped; a terminating id is reused', () => {
    // pods 0, 1; 2 terminating (PreparingDelete before); 3 PreparingDelete; replicas 4 → manage 0, 1, 2, 4.
    const input = [aPod(0), aPod(1), terminating(2, { lifecycleState: 'PreparingDelete' }), preparing(3)];
    const plan = planScale(aSet({ replicas: 4 }), input, { now: NOW });
    expect(plan).toMatchObject({ create: [4], delete: [], waiting: [2] });
  });

  it('OKG TestGameServerScale case4: scale up with a PreDelete pod creates replacements around it', () => {
    const plan = planScale(aSet({ replicas: 5 }), [aPod(0), aPod(1), aPod(2), preparing(3)], { now: NOW });
    expect(plan).toMatchObject({ create: [4, 5], delete: [] });
  });

  it('a scale-down does not pick a PreparingDelete pod again, nor count it', () => {
    const plan = planScale(aSet({ replicas: 2 }), [aPod(0), aPod(1), preparing(2)], { now: NOW });
    expect(plan).toMatchObject({ create: [], delete: [] });
  });

  it('a remembered member held in PreparingDelete is not recreated under its id', () => {
    const plan = planScale(aSet({ replicas: 2 }), [aPod(0), preparing(1)], { now: NOW, members: new Set([0, 1]) });
    expect(plan.create).toEqual([2]);
    expect([...rememberMembers(new Set([0, 1]), aSet({ replicas: 2 }), [aPod(0), preparing(1)])]).toEqual([0]);
  });

  it('a PreparingDelete pod on a reserved id is not deleted again', () => {
    const plan = planScale(aSet({ replicas: 1, reserveGameServerIds: [1] }), [aPod(0), preparing(1)], { now: NOW });
    expect(plan).toMatchObject({ create: [], delete: [] });
  });

  it('Kill: the set is steady with a PreparingDelete pod around', () => {
    const plan = planScale(aSet({ replicas: 2 }), [aPod(0, { opsState: 'Kill' }), aPod(1), preparing(2)], { now: NOW });
    expect(plan.replicasAfterKill).toBe(1);
  });
});

describe('members: a replaced pod keeps its id', () => {
  it('recreates a missing member before filling a lower hole', () => {
    const plan = planScale(aSet({ replicas: 2 }), pods(0), { now: NOW, members: new Set([0, 2]) });
    expect(plan.create).toEqual([2]);
  });

  it('waits for a terminating member instead of taking a lower hole', () => {
    const plan = planScale(aSet({ replicas: 2 }), [aPod(0), terminating(2)], { now: NOW, members: new Set([0, 2]) });
    expect(plan).toMatchObject({ create: [], waiting: [2] });
  });

  it('fills the lowest holes with what the members leave', () => {
    const plan = planScale(aSet({ replicas: 4 }), pods(0), { now: NOW, members: new Set([0, 5]) });
    expect(plan.create).toEqual([1, 2, 5]);
  });

  it.each([
    { name: 'skips an ordinal held by a foreign pod', replicas: 3, live: [0], occupied: [1], members: undefined, expected: [2, 3] },
    { name: 'skips a foreign-held member too', replicas: 2, live: [0], occupied: [2], members: [0, 2], expected: [1] },
    { name: 'ignores occupied ordinals when nothing is missing', replicas: 1, live: [0], occupied: [1], members: undefined, expected: [] },
  ])('$name', ({ replicas, live, occupied, members, expected }) => {
    const plan = planScale(aSet({ replicas }), pods(...live), { now: NOW, occupied: new Set(occupied), ...(members ? { members: new Set(members) } : {}) });
    expect(plan.create).toEqual(expected);
  });

  it('never recreates a member that became reserved', () => {
    const plan = planScale(aSet({ replicas: 2, reserveGameServerIds: [2] }), pods(0), { now: NOW, members: new Set([0, 2]) });
    expect(plan.create).toEqual([1]);
  });
});

describe('rememberMembers', () => {
  it.each([
    { name: 'a whole set remembers its live ids only', replicas: 2, previous: [0, 1, 7], input: pods(0, 3), released: [], expected: [0, 3] },
    { name: 'a short set keeps what it remembered', replicas: 2, previous: [0, 3], input: pods(0), released: [], expected: [0, 3] },
    { name: 'a short set adds terminating ids', replicas: 2, previous: undefined, input: [aPod(0), terminating(3)], released: [], expected: [0, 3] },
    { name: 'released ids are forgotten', replicas: 3, previous: [0, 1, 2], input: pods(0, 1), released: [2], expected: [0, 1] },
    { name: 'reserved ids are forgotten', replicas: 3, previous: [0, 1, 2], input: pods(0), released: [], expected: [0, 2], reserve: [1] },
  ])('$name', ({ replicas, previous, input, released, expected, reserve }) => {
    const members = rememberMembers(previous ? new Set(previous) : undefined, aSet({ replicas, reserveGameServerIds: reserve ?? [] }), input, released);
    expect([...members].sort((a, b) => a - b)).toEqual(expected);
  });
});

describe('lowestFreeOrdinals', () => {
  it.each([
    { name: 'none needed', count: 0, reserved: [], live: [], expected: [] },
    { name: 'skips reserved and live', count: 3, reserved: [0, 2], live: [1, 4], expected: [3, 5, 6] },
  ])('$name', ({ count, reserved, live, expected }) => {
    expect(lowestFreeOrdinals(count, IdRanges.of(reserved), new Set(live))).toEqual(expected);
  });

  it('steps over a reserved range whole', () => {
    const reserved = IdRanges.fromRanges([[0, 999_999], [1_000_001, 1_000_001]]);
    expect(lowestFreeOrdinals(3, reserved, new Set([1_000_000]))).toEqual([1_000_002, 1_000_003, 1_000_004]);
  });
});
