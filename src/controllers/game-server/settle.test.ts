import { describe, expect, it } from '@jest/globals';
import type { StatusChange } from './compute-status.js';
import { SETTLE_MS, settleDelayMs, UPDATING_SETTLE_MS } from './reconciler.js';

describe('settleDelayMs', () => {
  const cases: [string, StatusChange, string | undefined, number][] = [
    ['a new state is written at once', 'state', 'Updating', 0],
    ['a new state ending an update is written at once', 'state', 'Ready', 0],
    ['conditions of a Ready server wait briefly', 'conditions', 'Ready', SETTLE_MS.conditions],
    ['conditions of a NotReady server wait briefly', 'conditions', 'NotReady', SETTLE_MS.conditions],
    ['conditions moving during Updating wait for the state that ends the update', 'conditions', 'Updating', UPDATING_SETTLE_MS],
    ['conditions moving during PreUpdate wait for the state that ends the update', 'conditions', 'PreUpdate', UPDATING_SETTLE_MS],
    ['the podStatus mirror of an updating server waits for the state too', 'podStatus', 'Updating', UPDATING_SETTLE_MS],
    ['the podStatus mirror of a Ready server', 'podStatus', 'Ready', SETTLE_MS.podStatus],
    ['nothing to write', 'none', 'Ready', 0],
  ];
  it.each(cases)('%s', (_name, change, state, expected) => {
    expect(settleDelayMs(change, state)).toBe(expected);
  });
});
