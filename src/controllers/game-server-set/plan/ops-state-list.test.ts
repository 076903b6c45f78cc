import { describe, expect, it } from '@jest/globals';
import { opsStateIn, parseOpsStateList } from './ops-state-list.js';

describe('parseOpsStateList', () => {
  it.each([
    { name: 'absent: the feature is off', value: undefined, want: undefined },
    { name: 'empty', value: '', want: { states: [], rejected: [] } },
    { name: 'spaces and duplicates', value: ' Allocated, Maintaining ,Allocated,', want: { states: ['Allocated', 'Maintaining'], rejected: [] } },
    { name: 'an unknown opsState is rejected, the rest kept', value: 'Allocated,Busy,allocated', want: { states: ['Allocated'], rejected: ['Busy', 'allocated'] } },
    { name: 'a disallowed state is rejected', value: 'Kill,None', disallowed: ['Kill'], want: { states: ['None'], rejected: ['Kill'] } },
  ])('$name', ({ value, disallowed, want }) => {
    expect(parseOpsStateList(value, disallowed)).toEqual(want);
  });
});

describe('opsStateIn', () => {
  it('an unset opsState counts as None', () => {
    expect(opsStateIn(['None'], '')).toBe(true);
    expect(opsStateIn(['Allocated'], '')).toBe(false);
    expect(opsStateIn(['Allocated'], 'Allocated')).toBe(true);
  });
});
