import { describe, expect, it } from '@jest/globals';
import { scaleDownBecameBlocked, withScaleDownBlocked } from './scale-down-blocked.js';
import type { SetCondition } from './types.js';

const NOW = '2026-01-01T12:00:00Z';
const EARLIER = '2026-01-01T11:00:00Z';
const blockedSince = (since: string, count = 2): SetCondition => ({
  type: 'ScaleDownBlocked',
  status: 'True',
  reason: 'ProtectedOpsState',
  message: `${count} rooms above spec.replicas kept: opsState protected from scale-down (Allocated)`,
  lastTransitionTime: since,
});
const other: SetCondition = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: EARLIER };

describe('withScaleDownBlocked', () => {
  it.each([
    { name: 'rooms kept: True with the count', conditions: [], blocked: 2, want: [blockedSince(NOW)] },
    { name: 'one room kept: singular', conditions: [], blocked: 1, want: [{ ...blockedSince(NOW), message: '1 room above spec.replicas kept: opsState protected from scale-down (Allocated)' }] },
    { name: 'still kept: the transition time stays', conditions: [blockedSince(EARLIER, 3)], blocked: 2, want: [blockedSince(EARLIER)] },
    { name: 'none kept any more: removed, others stay', conditions: [other, blockedSince(EARLIER)], blocked: 0, want: [other] },
    { name: 'planner did not run: left as it is', conditions: [blockedSince(EARLIER)], blocked: undefined, want: [blockedSince(EARLIER)] },
  ])('$name', ({ conditions, blocked, want }) => {
    expect(withScaleDownBlocked(conditions, blocked, ['Allocated'], NOW)).toEqual(want);
  });
});

describe('scaleDownBecameBlocked', () => {
  it('is true only on the transition', () => {
    expect(scaleDownBecameBlocked(undefined, [blockedSince(NOW)])).toBe(true);
    expect(scaleDownBecameBlocked([other], [other, blockedSince(NOW)])).toBe(true);
    expect(scaleDownBecameBlocked([blockedSince(EARLIER)], [blockedSince(EARLIER)])).toBe(false);
    expect(scaleDownBecameBlocked([blockedSince(EARLIER)], [])).toBe(false);
  });
});
