import { describe, expect, it } from '@jest/globals';
import { IdRanges } from '../../../api/reserve-ids.js';
import { formatHeldOrdinals, parseHeldOrdinals } from './held-ordinals.js';

describe('formatHeldOrdinals', () => {
  it.each<[string, number[], number[], string | undefined]>([
    ['no ordinals', [], [], undefined],
    ['the lowest ones: nothing to record', [0, 1, 2], [], undefined],
    ['the lowest ones around a reserved id', [0, 2, 3], [1], undefined],
    ['a hole from a scale-down by priority', [0, 2], [], '0,2'],
    ['runs as ranges', [0, 2, 5, 6, 7, 9], [], '0,2,5-7,9'],
    ['a hole next to a reserved id', [0, 3], [1], '0,3'],
  ])('%s', (_name, held, reserved, expected) => {
    expect(formatHeldOrdinals(new Set(held), IdRanges.of(reserved))).toBe(expected);
  });
});

describe('parseHeldOrdinals', () => {
  it.each<[string | undefined, number[] | undefined]>([
    [undefined, undefined],
    ['0,2', [0, 2]],
    ['0,2,5-7,9', [0, 2, 5, 6, 7, 9]],
    [' 3 ', [3]],
    ['', undefined],
    ['a,b', undefined],
    ['5-3', undefined],
    ['0-99999999', undefined],
    ['1,,2', undefined],
  ])('%j', (text, expected) => {
    const parsed = parseHeldOrdinals(text);
    expect(parsed === undefined ? undefined : [...parsed].sort((a, b) => a - b)).toEqual(expected);
  });

  it('round-trips', () => {
    const held = new Set([0, 2, 5, 6, 7, 9, 10]);
    expect(parseHeldOrdinals(formatHeldOrdinals(held, IdRanges.empty))).toEqual(held);
  });
});
