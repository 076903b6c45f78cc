import { describe, expect, it } from '@jest/globals';
import { IdRanges } from '../../api/reserve-ids.js';
import { parseIdList, planReserve, reservePatch } from './reserve.js';

describe('parseIdList', () => {
  it.each([
    ['1', [[1, 1]]],
    ['1,3-5', [[1, 1], [3, 5]]],
    [' 2 , 0 ', [[0, 0], [2, 2]]],
    ['0-999999', [[0, 999_999]]],
  ])('%j', (text, ranges) => {
    expect(parseIdList(text).ranges).toEqual(ranges);
  });
  it.each(['', 'a', '5-3', '-1', '1,,x'])('refuses %j', (text) => {
    expect(() => parseIdList(text)).toThrow();
  });
});

describe('planReserve', () => {
  it.each([
    ['adds to an empty list and counts the live rooms taken', [], [1], [0, 1, 2], { reserve: [1], removed: [1] }],
    ['merges into ranges; ids already reserved or without a room take nothing', [1, '4-6'], [2, 3, 5, 9], [0, 2, 3, 7], { reserve: ['1-6', 9], removed: [2, 3] }],
  ])('%s', (_name, current, ids, live, expected) => {
    expect(planReserve(current, IdRanges.of(ids), new Set(live))).toEqual(expected);
  });
});

describe('reservePatch', () => {
  it('tests the replicas and reserve list it read', () => {
    expect(reservePatch({ metadata: { name: 'web' }, spec: { replicas: 3, reserveGameServerIds: [4] } }, [1, 4], 2)).toEqual([
      { op: 'test', path: '/spec/reserveGameServerIds', value: [4] },
      { op: 'add', path: '/spec/reserveGameServerIds', value: [1, 4] },
      { op: 'test', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/replicas', value: 2 },
    ]);
  });
});
