import { describe, expect, it } from '@jest/globals';
import { computeState, inPlaceUpdatePhase, isCrashLooping, NEW_ROOM_GATES_HOLD_MS, NEW_ROOM_HOLD_MS, newRoomHoldMs, PRE_UPDATE_HOLD_MS, preUpdateHoldMs } from './compute-state.js';
import { pod } from './fixtures.js';
import { IN_PLACE_UPDATE_STATE_ANNOTATION } from './keys.js';
import type { GameServerState, PodLike } from './types.js';

const SINCE = '2024-05-01T10:00:00Z';
const BEFORE = '2024-05-01T09:00:00Z';
const AFTER = '2024-05-01T10:00:30Z';

describe('computeState', () => {
  const cases: [string, PodLike, GameServerState][] = [
    ['pending pod → Creating', pod().pending().build(), 'Creating'],
    ['pending pod that waits for an image → Creating', pod().pending().waiting('game', 'ContainerCreating').build(), 'Creating'],
    ['running and ready → Ready', pod().running().ready().build(), 'Ready'],
    ['running, Ready False → NotReady', pod().running().notReady().build(), 'NotReady'],
    ['running without a Ready condition → NotReady, never ""', pod().running().build(), 'NotReady'],
    [
      'gate just opened, the kubelet not caught up (containers ready, gates True, Ready False) → Ready',
      pod().running().ready().readinessGate('InPlaceUpdateReady').condition('InPlaceUpdateReady', 'True').condition('Ready', 'False', { reason: 'ReadinessGatesNotReady' }).build(),
      'Ready',
    ],
    [
      'a gate still False → NotReady',
      pod().running().ready().readinessGate('example.com/lb').condition('example.com/lb', 'False').condition('Ready', 'False', { reason: 'ReadinessGatesNotReady' }).build(),
      'NotReady',
    ],
    ['failed → Crash', pod().failed('Evicted', 'The node was low on memory').build(), 'Crash'],
    ['succeeded → Unknown', pod().phase('Succeeded').build(), 'Unknown'],
    ['phase Unknown → Unknown', pod().phase('Unknown').build(), 'Unknown'],
    ['no phase at all → Unknown', { metadata: { name: 'x' } }, 'Unknown'],
    ['running pod being deleted → Deleting', pod().running().ready().deleting().build(), 'Deleting'],
    ['pending pod being deleted → Deleting (not Creating)', pod().pending().deleting().build(), 'Deleting'],
    ['failed pod being deleted → Deleting', pod().failed().deleting().build(), 'Deleting'],
    ['preDelete hook holds a running pod → PreDelete', pod().running().ready().lifecycle('PreparingDelete').build(), 'PreDelete'],
    ['released by its preDelete hook and being deleted → Deleting (OKG: deletion first)', pod().running().deleting().lifecycle('PreparingDelete').build(), 'Deleting'],
    ['lifecycle Normal is ignored → Ready', pod().running().ready().lifecycle('Normal').build(), 'Ready'],
    ['lifecycle PreparingUpdate → PreUpdate', pod().running().ready().lifecycle('PreparingUpdate').build(), 'PreUpdate'],
    ['lifecycle Updating → Updating', pod().running().lifecycle('Updating').build(), 'Updating'],
    ['InPlaceUpdateReady False, images not patched yet → PreUpdate', pod().running().notReady().inPlaceUpdate(SINCE).build(), 'PreUpdate'],
    ['InPlaceUpdateReady False, images patched → Updating', pod().running().notReady().inPlaceUpdate(SINCE, AFTER).build(), 'Updating'],
    ['images patched in the same second as the False transition → Updating', pod().running().inPlaceUpdate(SINCE, SINCE).build(), 'Updating'],
    ['stale annotation from an earlier update → PreUpdate', pod().running().inPlaceUpdate(SINCE, BEFORE).build(), 'PreUpdate'],
    ['InPlaceUpdateReady True with a leftover annotation → Ready', pod().running().ready().condition('InPlaceUpdateReady', 'True').annotation(IN_PLACE_UPDATE_STATE_ANNOTATION, JSON.stringify({ updateTimestamp: AFTER })).build(), 'Ready'],
    ['unparsable update annotation → PreUpdate', pod().running().inPlaceUpdate(SINCE).annotation(IN_PLACE_UPDATE_STATE_ANNOTATION, '{not json').build(), 'PreUpdate'],
    ['in-place update of a pod being deleted → Deleting', pod().running().inPlaceUpdate(SINCE, AFTER).deleting().build(), 'Deleting'],
    ['container in CrashLoopBackOff → Crash', pod().running().crashLooping('game').notReady().build(), 'Crash'],
    ['crash loop during an in-place update → Crash', pod().running().inPlaceUpdate(SINCE, AFTER).crashLooping('game').build(), 'Crash'],
    ['one terminated non-zero under restartPolicy Always → NotReady (restart in progress)', pod().running().terminated('game', 1, 'Error').notReady().build(), 'NotReady'],
    ['terminated non-zero under restartPolicy Never → Crash', pod().restartPolicy('Never').running().terminated('game', 137, 'OOMKilled').build(), 'Crash'],
    ['terminated with exit 0 under restartPolicy Never → NotReady', pod().restartPolicy('Never').running().terminated('game', 0, 'Completed').notReady().build(), 'NotReady'],
    ['waiting ImagePullBackOff → NotReady (not a crash)', pod().running().waiting('game', 'ImagePullBackOff').notReady().build(), 'NotReady'],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(computeState(input)).toBe(expected);
  });

  it('accepts client-node model objects with Date timestamps', () => {
    const built = pod().running().ready().inPlaceUpdate(SINCE, AFTER).build();
    const condition = built.status!.conditions!.find((c) => c.type === 'InPlaceUpdateReady')!;
    condition.lastTransitionTime = new Date(SINCE);
    built.metadata!.deletionTimestamp = null;
    expect(computeState(built)).toBe('Updating');
  });
});

describe('inPlaceUpdatePhase', () => {
  it.each([
    ['no condition', pod().running().build(), 'none'],
    ['condition True', pod().running().condition('InPlaceUpdateReady', 'True').build(), 'none'],
    ['False, no annotation', pod().running().inPlaceUpdate(SINCE).build(), 'waiting'],
    ['False, annotation without timestamp', pod().running().inPlaceUpdate(SINCE).annotation(IN_PLACE_UPDATE_STATE_ANNOTATION, '{"revision":"r2"}').build(), 'waiting'],
    ['False, annotation newer', pod().running().inPlaceUpdate(SINCE, AFTER).build(), 'updating'],
  ] as const)('%s', (_name, input, expected) => {
    expect(inPlaceUpdatePhase(input)).toBe(expected);
  });
});

describe('isCrashLooping', () => {
  it.each([
    ['healthy', pod().running().ready().build(), false],
    ['CrashLoopBackOff in a sidecar', pod().containers({ name: 'game' }, { name: 'sidecar' }).running().crashLooping('sidecar').build(), true],
    ['RunContainerError', pod().running().waiting('game', 'RunContainerError').build(), false],
  ] as const)('%s', (_name, input, expected) => {
    expect(isCrashLooping(input)).toBe(expected);
  });
});

describe('preUpdateHoldMs', () => {
  const since = Date.parse(SINCE);
  const cases: [string, PodLike, number, number][] = [
    ['a PreUpdate that just began waits', pod().running().notReady().inPlaceUpdate(SINCE).build(), since + 500, PRE_UPDATE_HOLD_MS - 500],
    ['a PreUpdate begun in this very second waits the whole hold', pod().running().notReady().inPlaceUpdate(SINCE).build(), since, PRE_UPDATE_HOLD_MS],
    ['a PreUpdate that lasts (grace period) is written', pod().running().notReady().inPlaceUpdate(SINCE).build(), since + PRE_UPDATE_HOLD_MS, 0],
    ['images patched (Updating) is never held', pod().running().notReady().inPlaceUpdate(SINCE, AFTER).build(), since, 0],
    ['PreUpdate by a hook without the gate closed is not held', pod().running().ready().lifecycle('PreparingUpdate').build(), since, 0],
    ['a Ready pod is not held', pod().running().ready().build(), since, 0],
    ['a clock behind the transition holds no longer than the hold', pod().running().notReady().inPlaceUpdate(SINCE).build(), since - 60_000, PRE_UPDATE_HOLD_MS],
  ];
  it.each(cases)('%s', (_name, input, nowMs, expected) => {
    expect(preUpdateHoldMs(input, nowMs)).toBe(expected);
  });
});

describe('newRoomHoldMs', () => {
  const created = Date.parse(SINCE);
  const cases: [string, PodLike, string | undefined, number | undefined, number, number][] = [
    ['a new room whose pod is Pending waits', pod().pending().build(), undefined, created, created + 1_000, NEW_ROOM_HOLD_MS - 1_000],
    ['a new room whose pod runs but is not Ready yet waits', pod().running().notReady().build(), undefined, created, created + 1_000, NEW_ROOM_HOLD_MS - 1_000],
    ['a new room whose pod is Ready is written at once', pod().running().ready().build(), undefined, created, created + 1_000, 0],
    ['a pod slower than the hold gets its state written', pod().pending().build(), undefined, created, created + NEW_ROOM_HOLD_MS, 0],
    ['a room with a written state is never held', pod().running().notReady().build(), 'Ready', created, created + 1_000, 0],
    ['a crashing new room is written at once', pod().failed().build(), undefined, created, created + 1_000, 0],
    ['no creation time: no hold', pod().pending().build(), undefined, undefined, created, 0],
    [
      'a new room running with its gates not yet opened by the set controller waits longer',
      pod().running().ready().readinessGate('InPlaceUpdateReady').condition('Ready', 'False').build(),
      undefined,
      created,
      created + NEW_ROOM_HOLD_MS + 1_000,
      NEW_ROOM_GATES_HOLD_MS - NEW_ROOM_HOLD_MS - 1_000,
    ],
    [
      'gates still shut past the longer hold: written as it is (NotReady)',
      pod().running().ready().readinessGate('InPlaceUpdateReady').condition('Ready', 'False').build(),
      undefined,
      created,
      created + NEW_ROOM_GATES_HOLD_MS,
      0,
    ],
    ['a clock behind the creation holds no longer than the hold', pod().pending().build(), undefined, created, created - 60_000, NEW_ROOM_HOLD_MS],
  ];
  it.each(cases)('%s', (_name, input, written, createdMs, nowMs, expected) => {
    expect(newRoomHoldMs(input, written, createdMs, nowMs)).toBe(expected);
  });
});
