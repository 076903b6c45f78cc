import { describe, expect, it } from '@jest/globals';
import { describeChange, planRoomEdit, type RoomEdit } from './plan-room-edit.js';
import type { GameServerObject } from './rooms.js';

const gs = (spec: GameServerObject['spec'], resourceVersion = '42'): GameServerObject => ({ metadata: { name: 'web-0', resourceVersion }, spec });

describe('planRoomEdit', () => {
  it.each<[string, GameServerObject, RoomEdit, string | undefined, ReturnType<typeof planRoomEdit>]>([
    [
      'opsState: test of the value read, then replace',
      gs({ opsState: 'None', deletionPriority: 0 }),
      { opsState: 'WaitToBeDeleted' },
      undefined,
      { kind: 'patch', operations: [{ op: 'test', path: '/spec/opsState', value: 'None' }, { op: 'replace', path: '/spec/opsState', value: 'WaitToBeDeleted' }] },
    ],
    [
      'priorities: each tested, opsState tested too',
      gs({ opsState: 'Allocated', deletionPriority: 0, updatePriority: '2' }),
      { deletionPriority: 5, updatePriority: 3 },
      undefined,
      {
        kind: 'patch',
        operations: [
          { op: 'test', path: '/spec/opsState', value: 'Allocated' },
          { op: 'test', path: '/spec/deletionPriority', value: 0 },
          { op: 'replace', path: '/spec/deletionPriority', value: 5 },
          { op: 'test', path: '/spec/updatePriority', value: '2' },
          { op: 'replace', path: '/spec/updatePriority', value: 3 },
        ],
      },
    ],
    ['same values: unchanged', gs({ opsState: 'None', deletionPriority: '5' }), { opsState: 'None', deletionPriority: 5 }, undefined, { kind: 'unchanged' }],
    ['--if-ops-state not matching: skip', gs({ opsState: 'Allocated' }), { opsState: 'WaitToBeDeleted' }, 'None', { kind: 'skip', reason: 'opsState is Allocated, not None' }],
    [
      '--if-ops-state matching a room without opsState (None)',
      gs({}),
      { opsState: 'Kill' },
      'None',
      { kind: 'patch', operations: [{ op: 'replace', path: '/metadata/resourceVersion', value: '42' }, { op: 'add', path: '/spec/opsState', value: 'Kill' }] },
    ],
  ])('%s', (_name, room, edit, ifOpsState, expected) => {
    expect(planRoomEdit(room, edit, ifOpsState)).toEqual(expected);
  });
});

describe('describeChange', () => {
  it.each<[string, GameServerObject | undefined, string | undefined]>([
    ['deleted', undefined, 'deleted since it was read'],
    ['allocated meanwhile', gs({ opsState: 'Allocated' }), 'opsState changed from None to Allocated since it was read'],
    ['priority changed', gs({ opsState: 'None', deletionPriority: 9 }), 'deletionPriority changed since it was read'],
    ['nothing of ours changed', gs({ opsState: 'None', deletionPriority: 0 }, '99'), undefined],
  ])('%s', (_name, after, expected) => {
    expect(describeChange(gs({ opsState: 'None', deletionPriority: 0 }), after)).toBe(expected);
  });
});
