import { describe, expect, it } from '@jest/globals';
import { opsStateRank } from './delete-order.js';
import { InvalidReserveIdsError, groupPods, isAvailable, isRunningAndReady, reservedOrdinals } from './pod-facts.js';
import { NOW, aPod, ago, notReady, terminating } from './test-fixtures.js';
import { InvalidInstantError, toMillis } from './time.js';

describe('isAvailable', () => {
  it.each([
    { name: 'ready, no minReadySeconds', pod: aPod(0, { readySince: ago(0) }), minReady: 0, expected: true },
    { name: 'ready exactly minReadySeconds ago', pod: aPod(0, { readySince: ago(10) }), minReady: 10, expected: true },
    { name: 'ready for less than minReadySeconds', pod: aPod(0, { readySince: ago(9) }), minReady: 10, expected: false },
    { name: 'ready without a transition time counts as long ready', pod: aPod(0, { readySince: undefined }), minReady: 10, expected: true },
    { name: 'not ready', pod: notReady(0), minReady: 0, expected: false },
    { name: 'ready but Pending', pod: aPod(0, { phase: 'Pending' }), minReady: 0, expected: false },
    { name: 'ready but terminating', pod: terminating(0), minReady: 0, expected: false },
  ])('$name', ({ pod, minReady, expected }) => {
    expect(isAvailable(pod, minReady, NOW)).toBe(expected);
    if (expected) expect(isRunningAndReady(pod)).toBe(true);
  });
});

describe('groupPods', () => {
  it('splits live, terminating, reserved and managed pods', () => {
    const groups = groupPods([aPod(0), aPod(1), terminating(2), terminating(3)], new Set([1, 3]));
    expect({
      live: groups.live.map((p) => p.ordinal),
      terminating: groups.terminating.map((p) => p.ordinal),
      onReserved: groups.onReserved.map((p) => p.ordinal),
      managed: groups.managed.map((p) => p.ordinal),
    }).toEqual({ live: [0, 1], terminating: [2, 3], onReserved: [1], managed: [0] });
  });
});

describe('reservedOrdinals', () => {
  it.each([
    { name: 'empty', ids: [], expected: [] },
    { name: 'ints and ranges, duplicates merged', ids: [7, '2-4', 3], expected: [[2, 4], [7, 7]] },
    { name: 'one-id range', ids: ['5-5'], expected: [[5, 5]] },
    { name: 'a million ids stay one range', ids: ['0-999999'], expected: [[0, 999_999]] },
  ])('$name', ({ ids, expected }) => {
    expect(reservedOrdinals({ name: 'gss', reserveGameServerIds: ids }).ranges).toEqual(expected);
  });

  it('parses one list once', () => {
    const list = ['0-999999'];
    expect(reservedOrdinals({ name: 'gss', reserveGameServerIds: list })).toBe(reservedOrdinals({ name: 'gss', reserveGameServerIds: list }));
  });

  it.each([['3-1'], ['a-b'], [-1]])('refuses %p', (bad) => {
    expect(() => reservedOrdinals({ name: 'gss', reserveGameServerIds: [bad] })).toThrow(InvalidReserveIdsError);
  });
});

describe('opsStateRank', () => {
  it.each([
    ['Kill', 100],
    ['WaitToBeDeleted', 1],
    ['None', 0],
    ['', 0],
    ['SomethingCustom', 0],
    ['Allocated', -1],
    ['Maintaining', -2],
  ])('%p ranks %p', (state, rank) => {
    expect(opsStateRank(state)).toBe(rank);
  });
});

describe('toMillis', () => {
  it.each([
    { name: 'epoch ms', value: 5, expected: 5 },
    { name: 'RFC 3339', value: '1970-01-01T00:00:01Z', expected: 1000 },
  ])('$name', ({ value, expected }) => {
    expect(toMillis(value)).toBe(expected);
  });

  it('refuses garbage', () => {
    expect(() => toMillis('yesterday')).toThrow(InvalidInstantError);
  });
});
