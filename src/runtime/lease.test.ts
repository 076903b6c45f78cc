import { describe, expect, it } from '@jest/globals';
import { decideLease, observe, releasedRecord, toMicroTime, type LeaseObservation, type LeaseRecord } from './lease.js';

const ME = 'me';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const held = (holder: string, renewTime = toMicroTime(T0), transitions = 3): LeaseRecord => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: toMicroTime(T0 - 60_000),
  renewTime,
  leaseTransitions: transitions,
});

describe('decideLease', () => {
  it.each<{ name: string; current: LeaseRecord | undefined; observation?: LeaseObservation; now: number; action: string; acquiring?: boolean }>([
    { name: 'no lease: create it', current: undefined, now: T0, action: 'create' },
    { name: 'held by another, first seen now: wait', current: held('other'), now: T0, action: 'wait' },
    {
      name: 'held by another, unchanged for less than the lease duration: wait',
      current: held('other'),
      observation: { record: held('other'), observedAt: T0 },
      now: T0 + 14_999,
      action: 'wait',
    },
    {
      name: 'held by another, unchanged for the lease duration: take over',
      current: held('other'),
      observation: { record: held('other'), observedAt: T0 },
      now: T0 + 15_000,
      action: 'update',
      acquiring: true,
    },
    {
      name: 'another renewed since we looked: wait again, from now',
      current: held('other', toMicroTime(T0 + 10_000)),
      observation: { record: held('other'), observedAt: T0 },
      now: T0 + 20_000,
      action: 'wait',
    },
    {
      name: "a renewTime far in the past does not matter: expiry is judged by our own observation",
      current: held('other', '2000-01-01T00:00:00.000000Z'),
      now: T0,
      action: 'wait',
    },
    { name: 'released (empty holder): take at once', current: held(''), now: T0, action: 'update', acquiring: true },
    { name: 'no holder field: take at once', current: { leaseDurationSeconds: 15 }, now: T0, action: 'update', acquiring: true },
    { name: 'ours: renew', current: held(ME), now: T0, action: 'update', acquiring: false },
  ])('$name', ({ current, observation, now, action, acquiring }) => {
    const { decision } = decideLease({ current, observation, identity: ME, now, leaseDurationMs: 15_000 });
    expect(decision.action).toBe(action);
    if (decision.action === 'update') expect(decision.acquiring).toBe(acquiring);
  });

  it('a renewal keeps acquireTime and transitions and moves renewTime', () => {
    const current = held(ME);
    const { decision } = decideLease({ current, observation: undefined, identity: ME, now: T0 + 2000, leaseDurationMs: 15_000 });
    expect(decision).toEqual({
      action: 'update',
      acquiring: false,
      record: { ...current, renewTime: '2026-01-01T00:00:02.000000Z' },
    });
  });

  it('a take-over counts a transition and stamps acquire and renew times', () => {
    const { decision } = decideLease({ current: held(''), observation: undefined, identity: ME, now: T0, leaseDurationMs: 3000 });
    expect(decision).toEqual({
      action: 'update',
      acquiring: true,
      record: { holderIdentity: ME, leaseDurationSeconds: 3, acquireTime: toMicroTime(T0), renewTime: toMicroTime(T0), leaseTransitions: 4 },
    });
  });

  it('the wait says when the lease expires', () => {
    const { decision } = decideLease({ current: held('other'), observation: { record: held('other'), observedAt: T0 }, identity: ME, now: T0 + 1000, leaseDurationMs: 15_000 });
    expect(decision).toEqual({ action: 'wait', holder: 'other', expiresAt: T0 + 15_000 });
  });
});

describe('lease helpers', () => {
  it('observe keeps the first-seen time of an unchanged record', () => {
    const first = observe(held('x'), undefined, T0);
    expect(observe(held('x'), first, T0 + 5000)).toBe(first);
    expect(observe(held('y'), first, T0 + 5000).observedAt).toBe(T0 + 5000);
  });

  it('MicroTime has six fractional digits', () => {
    expect(toMicroTime(Date.parse('2026-05-06T07:08:09.123Z'))).toBe('2026-05-06T07:08:09.123000Z');
  });

  it('a released record has no holder and keeps the transition count', () => {
    expect(releasedRecord(held(ME, undefined, 7), T0)).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: toMicroTime(T0),
      renewTime: toMicroTime(T0),
      leaseTransitions: 7,
    });
  });
});
