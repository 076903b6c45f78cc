import { describe, expect, it } from '@jest/globals';
import { EventAggregator, eventName, type EventKey } from './event-aggregator.js';

const key = (overrides: Partial<EventKey> = {}): EventKey => ({
  uid: 'uid-1',
  objectName: 'gs-0',
  type: 'Warning',
  reason: 'ProbeFailed',
  message: 'probe timed out',
  ...overrides,
});
const T0 = 1_700_000_000_000;

describe('EventAggregator', () => {
  it('creates the first event and patches the count of repeats', () => {
    const aggregator = new EventAggregator();
    const first = aggregator.plan(key(), T0);
    const second = aggregator.plan(key(), T0 + 1000);
    const third = aggregator.plan(key(), T0 + 2000);
    expect(first).toMatchObject({ action: 'create', count: 1, firstTimestamp: T0, lastTimestamp: T0 });
    expect(second).toMatchObject({ action: 'patch', count: 2, firstTimestamp: T0, lastTimestamp: T0 + 1000 });
    expect(third).toMatchObject({ action: 'patch', count: 3, lastTimestamp: T0 + 2000 });
    expect(second.action !== 'drop' && first.action !== 'drop' && second.name === first.name).toBe(true);
  });

  it.each([
    { name: 'another message', other: key({ message: 'connection refused' }) },
    { name: 'another reason', other: key({ reason: 'Unhealthy' }) },
    { name: 'another type', other: key({ type: 'Normal' }) },
    { name: 'another object', other: key({ uid: 'uid-2', objectName: 'gs-1' }) },
  ])('$name starts its own event', ({ other }) => {
    const aggregator = new EventAggregator();
    aggregator.plan(key(), T0);
    expect(aggregator.plan(other, T0 + 1)).toMatchObject({ action: 'create', count: 1 });
  });

  it('a repeat after the window starts a new event', () => {
    const aggregator = new EventAggregator({ windowMs: 60_000 });
    const first = aggregator.plan(key(), T0);
    aggregator.plan(key(), T0 + 30_000);
    const late = aggregator.plan(key(), T0 + 30_000 + 60_000);
    expect(late).toMatchObject({ action: 'create', count: 1 });
    expect(late.action !== 'drop' && first.action !== 'drop' && late.name !== first.name).toBe(true);
  });

  it('forget makes the next repeat a create', () => {
    const aggregator = new EventAggregator();
    aggregator.plan(key(), T0);
    aggregator.forget(key());
    expect(aggregator.plan(key(), T0 + 1)).toMatchObject({ action: 'create' });
  });

  it('rate-limits per object: a burst, then one per refill period', () => {
    const aggregator = new EventAggregator({ burst: 3, qps: 1 / 60 });
    const actions = [0, 1, 2, 3, 4].map((i) => aggregator.plan(key({ message: `m${i}` }), T0 + i).action);
    expect(actions).toEqual(['create', 'create', 'create', 'drop', 'drop']);
    expect(aggregator.plan(key({ uid: 'uid-2' }), T0 + 5).action).toBe('create');
    expect(aggregator.plan(key({ message: 'later' }), T0 + 60_000).action).toBe('create');
    expect(aggregator.plan(key({ message: 'later2' }), T0 + 60_001).action).toBe('drop');
  });

  it('names events <object>.<hex nanoseconds>, distinct within one millisecond', () => {
    expect(eventName('gs-0', 1000, 0)).toBe(`gs-0.${(1000n * 1_000_000n).toString(16)}`);
    expect(eventName('gs-0', 1000, 1)).not.toBe(eventName('gs-0', 1000, 0));
  });
});
