import { describe, expect, it } from '@jest/globals';
import type { IntOrString } from './int-or-string.js';
import {
  IdRanges,
  formatReserveIds,
  formatReserveIdsAnnotation,
  parseReserveIds,
  parseReserveIdsAnnotation,
  reserveIdProblem,
  RESERVE_ID_MAX,
} from './reserve-ids.js';

describe('reserveIdProblem', () => {
  it.each<[string, IntOrString]>([
    ['an id', 5],
    ['zero', 0],
    ['the largest id', RESERVE_ID_MAX],
    ['a range', '5-7'],
    ['a one-id range', '3-3'],
    ['an id as a string', '12'],
    ['a range of longer numbers', '99-100'],
  ])('accepts %s', (_name, value) => {
    expect(reserveIdProblem(value)).toBeUndefined();
  });

  it.each<[string, IntOrString, string]>([
    ['a negative id', -1, '-1 is not an id from 0 to 999999999'],
    ['a fraction', 1.5, '1.5 is not an id from 0 to 999999999'],
    ['an id too large', RESERVE_ID_MAX + 1, '1000000000 is not an id from 0 to 999999999'],
    ['a range too large', '5-1000000000', '"5-1000000000" is neither an id nor a range "a-b" of ids from 0 to 999999999'],
    ['a reversed range', '7-5', 'range "7-5" is reversed: write "5-7"'],
    ['a reversed range of longer numbers', '100-99', 'range "100-99" is reversed: write "99-100"'],
    ['three parts', '1-2-3', '"1-2-3" is neither an id nor a range "a-b" of ids from 0 to 999999999'],
    ['words', 'a-b', '"a-b" is neither an id nor a range "a-b" of ids from 0 to 999999999'],
    ['spaces', '1 - 3', '"1 - 3" is neither an id nor a range "a-b" of ids from 0 to 999999999'],
    ['a leading zero', '05-7', '"05-7" is neither an id nor a range "a-b" of ids from 0 to 999999999'],
    ['an open range', '5-', '"5-" is neither an id nor a range "a-b" of ids from 0 to 999999999'],
    ['an empty string', '', '"" is neither an id nor a range "a-b" of ids from 0 to 999999999'],
  ])('refuses %s', (_name, value, problem) => {
    expect(reserveIdProblem(value)).toBe(problem);
  });
});

const rangesOf = (result: ReturnType<typeof parseReserveIds>) => (result.ok ? result.ids.ranges : result.error);

describe('parseReserveIds', () => {
  it.each<[string, IntOrString[], [number, number][]]>([
    ['nothing', [], []],
    ['ids and ranges, sorted, de-duplicated and merged', [9, '1-3', 2, '8-8'], [[1, 3], [8, 9]]],
    ['overlapping ranges', ['1-4', '3-6'], [[1, 6]]],
    ['touching ranges', ['0-4', '5-9', 11], [[0, 9], [11, 11]]],
    ['a range inside another', ['0-999999', '5-7', 12], [[0, 999_999]]],
  ])('reads %s as ranges', (_name, values, ranges) => {
    expect(rangesOf(parseReserveIds(values))).toEqual(ranges);
  });

  it('keeps a million ids as one range', () => {
    const parsed = parseReserveIds(['0-999999']);
    expect(parsed.ok && parsed.ids.ranges).toEqual([[0, 999_999]]);
    expect(parsed.ok && parsed.ids.size).toBe(1_000_000);
  });

  it('fails the whole list on one bad item', () => {
    expect(parseReserveIds([1, '5-3', 2])).toEqual({ ok: false, error: 'range "5-3" is reversed: write "3-5"' });
  });
});

describe('formatReserveIds', () => {
  it.each<[string, number[], IntOrString[]]>([
    ['nothing', [], []],
    ['single ids', [4, 1], [1, 4]],
    ['a pair stays two ids', [1, 2], [1, 2]],
    ['a run of three becomes a range', [5, 6, 7], ['5-7']],
    ["OKG's example", [1, 2, 5, 6, 7, 10], [1, 2, '5-7', 10]],
    ['duplicates', [3, 3, 4, 5, 5], ['3-5']],
  ])('writes %s', (_name, ids, items) => {
    expect(formatReserveIds(ids)).toEqual(items);
  });

  it('round-trips through parseReserveIds', () => {
    const ids = [0, 1, 2, 3, 7, 9, 10, 11, 12, 40];
    expect(rangesOf(parseReserveIds(formatReserveIds(ids)))).toEqual(IdRanges.of(ids).ranges);
  });
});

describe('IdRanges', () => {
  const ids = IdRanges.fromRanges([[10, 19], [3, 3], [30, 999_999], [5, 6]]);

  it.each([
    [0, false],
    [3, true],
    [4, false],
    [6, true],
    [10, true],
    [19, true],
    [20, false],
    [500_000, true],
    [1_000_000, false],
  ])('has(%p) is %p', (id, expected) => {
    expect(ids.has(id)).toBe(expected);
  });

  it.each([
    [0, 0],
    [3, 4],
    [5, 7],
    [10, 20],
    [29, 29],
    [30, 1_000_000],
    [1_000_001, 1_000_001],
  ])('nextFree(%p) is %p', (from, expected) => {
    expect(ids.nextFree(from)).toBe(expected);
  });

  it('adds ids, merging them into their neighbours', () => {
    expect(ids.with([4, 7, 8, 9, 25]).ranges).toEqual([[3, 19], [25, 25], [30, 999_999]]);
  });

  it('counts its ids without expanding them', () => {
    expect(ids.size).toBe(1 + 2 + 10 + 999_970);
  });

  it('writes itself as spec items', () => {
    expect(ids.toItems()).toEqual([3, 5, 6, '10-19', '30-999999']);
  });
});

describe('the reserve-ids annotation', () => {
  it.each<[string, string, [number, number][]]>([
    ['empty', '', []],
    ["OKG's example", '1,2,5-7', [[1, 2], [5, 7]]],
    ['spaces around items', ' 3 , 1-2 ', [[1, 3]]],
  ])('parses %s', (_name, text, ranges) => {
    expect(rangesOf(parseReserveIdsAnnotation(text))).toEqual(ranges);
  });

  it('refuses a bad item', () => {
    expect(parseReserveIdsAnnotation('1,x')).toEqual({ ok: false, error: expect.stringContaining('"x"') });
  });

  it('writes runs of three or more as ranges', () => {
    expect(formatReserveIdsAnnotation([7, 1, 2, 5, 6, 10])).toBe('1,2,5-7,10');
    expect(formatReserveIdsAnnotation([])).toBe('');
  });
});
