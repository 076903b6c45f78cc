import { describe, expect, it } from '@jest/globals';
import type { StatusChange } from './compute-status.js';
import { SETTLE_MS, settleDelayMs } from './reconciler.js';

describe('settleDelayMs', () => {
  const cases: [string, StatusChange, string | undefined, number][] = [
    ['a new state is written at once', 'state', 'Updating', 0],
    ['a new state ending an update is written at once', 'state', 'Ready', 0],
    ['conditions of a Ready server wait briefly', 'conditions', 'Ready', SETTLE_MS.conditions],
    ['conditions of a NotReady server wait briefly', 'conditions', 'NotReady', SETTLE_MS.conditions],
    ['conditions moving during Updating wait for the state that ends the update', 'conditions', 'Updating', SETTLE_MS.podStatus],
    ['conditions moving during PreUpdate wait for the state that ends the update', 'conditions', 'PreUpdate', SETTLE_MS.podStatus],
    ['the podStatus mirror waits longest', 'podStatus', 'Updating', SETTLE_MS.podStatus],
    ['nothing to write', 'none', 'Ready', 0],
  ];
  it.each(cases)('%s', (_name, change, state, expected) => {
    expect(settleDelayMs(change, state)).toBe(expected);
  });
});
