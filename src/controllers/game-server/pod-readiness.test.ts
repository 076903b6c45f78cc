import { describe, expect, it } from '@jest/globals';
import { pod } from './fixtures.js';
import { CATCH_UP_HOLD_MS, catchUpHoldMs, gatesUnopened } from './pod-readiness.js';
import type { PodLike } from './types.js';

const OPENED = '2024-05-01T10:00:00Z';
const EARLIER = '2024-05-01T09:00:00Z';
const opened = Date.parse(OPENED);

/** Containers ready, the in-place gate True since `since`, Ready as given. */
function gated(since: string, ready: 'True' | 'False'): PodLike {
  return pod()
    .running()
    .ready()
    .readinessGate('InPlaceUpdateReady')
    .condition('InPlaceUpdateReady', 'True', { lastTransitionTime: since })
    .condition('Ready', ready, ready === 'False' ? { reason: 'ReadinessGatesNotReady' } : {})
    .build();
}

describe('catchUpHoldMs', () => {
  const cases: [string, PodLike, number, number][] = [
    ['a gate just opened, the kubelet not caught up: wait for it', gated(OPENED, 'False'), opened + 1_000, CATCH_UP_HOLD_MS - 1_000],
    ['the kubelet late past the hold: sync now', gated(OPENED, 'False'), opened + CATCH_UP_HOLD_MS, 0],
    ['an old gate with Ready False is not held longer than the hold', gated(EARLIER, 'False'), opened, 0],
    ['Ready True: nothing to wait for', gated(OPENED, 'True'), opened, 0],
    ['a gate still False: NotReady, not catching up', pod().running().ready().readinessGate('example.com/lb').condition('example.com/lb', 'False').condition('Ready', 'False').build(), opened, 0],
    ['no readiness gates: Ready', pod().running().ready().build(), opened, 0],
  ];
  it.each(cases)('%s', (_name, input, nowMs, expected) => {
    expect(catchUpHoldMs(input, nowMs)).toBe(expected);
  });
});

describe('gatesUnopened', () => {
  const fresh = () => pod().running().ready().readinessGate('InPlaceUpdateReady').readinessGate('KruisePodReady').condition('Ready', 'False', { reason: 'ReadinessGatesNotReady' });
  const cases: [string, PodLike, boolean][] = [
    ['a running pod whose gates were never set: the set controller opens them', fresh().build(), true],
    ['one gate set, the other not: still waiting for the set controller', fresh().condition('InPlaceUpdateReady', 'True').build(), true],
    ['both set (True or False): the operator has acted', fresh().condition('InPlaceUpdateReady', 'False').condition('KruisePodReady', 'True').build(), false],
    ['a pending pod: its gates open once it runs, but it is Creating, not held for them', pod().pending().readinessGate('InPlaceUpdateReady').build(), false],
    ['a terminating pod is never waited for', fresh().deleting().build(), false],
    ["a gate of someone else's is not the operator's to open", pod().running().ready().readinessGate('example.com/lb').build(), false],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(gatesUnopened(input)).toBe(expected);
  });
});
