import { describe, expect, it } from '@jest/globals';
import { Expectations, observeExpectations } from './expectations.js';
import type { KubeObject } from './object.js';

function clock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

const child = (name: string, uid: string, deleting = false): KubeObject => ({
  metadata: { namespace: 'ns', name, uid, labels: { owner: 'set' }, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
});

describe('Expectations', () => {
  it.each([
    { name: 'nothing recorded', steps: [], satisfied: true },
    { name: 'creations pending', steps: ['create a,b'], satisfied: false },
    { name: 'some creations observed', steps: ['create a,b', 'saw a'], satisfied: false },
    { name: 'all creations observed', steps: ['create a,b', 'saw a', 'saw b'], satisfied: true },
    { name: 'an unexpected child does not count', steps: ['create a', 'saw z'], satisfied: false },
    { name: 'deletions pending', steps: ['delete u1'], satisfied: false },
    { name: 'deletions observed', steps: ['delete u1,u2', 'gone u1', 'gone u2'], satisfied: true },
    { name: 'mixed, one deletion left', steps: ['create a', 'delete u1', 'saw a'], satisfied: false },
    { name: 'expired after the TTL', steps: ['create a', 'wait 60000'], satisfied: true },
    { name: 'not expired just before the TTL', steps: ['create a', 'wait 59999'], satisfied: false },
    { name: 'new expectations restart the TTL', steps: ['create a', 'wait 50000', 'create b', 'wait 50000'], satisfied: false },
    { name: 'forget drops everything', steps: ['create a', 'delete u1', 'forget'], satisfied: true },
  ])('$name → satisfied=$satisfied', ({ steps, satisfied }) => {
    const time = clock();
    const expectations = new Expectations({ ttlMs: 60_000, now: time.now });
    for (const step of steps) {
      const [verb, arg = ''] = step.split(' ');
      const items = arg.split(',');
      if (verb === 'create') expectations.expectCreations('ns/set', items);
      if (verb === 'delete') expectations.expectDeletions('ns/set', items);
      if (verb === 'saw') expectations.creationObserved('ns/set', arg);
      if (verb === 'gone') expectations.deletionObserved('ns/set', arg);
      if (verb === 'wait') time.advance(Number(arg));
      if (verb === 'forget') expectations.forget('ns/set');
    }
    expect(expectations.satisfied('ns/set')).toBe(satisfied);
  });

  it('lists what is pending, per owner', () => {
    const expectations = new Expectations();
    expectations.expectCreations('ns/a', ['a-0', 'a-1']);
    expectations.expectDeletions('ns/a', ['uid-9']);
    expectations.creationObserved('ns/a', 'a-0');
    expect(expectations.pending('ns/a')).toEqual({ creates: ['a-1'], deletes: ['uid-9'] });
    expect(expectations.pending('ns/b')).toEqual({ creates: [], deletes: [] });
  });

  it('observeExpectations strikes off adds, deletes and new deletionTimestamps from informer events', () => {
    const expectations = new Expectations();
    const handler = observeExpectations(expectations, (object) => `ns/${object.metadata?.labels?.owner}`);
    expectations.expectCreations('ns/set', ['set-0']);
    expectations.expectDeletions('ns/set', ['u1', 'u2', 'u3']);
    handler(undefined, child('set-0', 'u0'));
    handler(child('set-1', 'u1'), undefined);
    handler(child('set-2', 'u2'), child('set-2', 'u2', true));
    expect(expectations.pending('ns/set')).toEqual({ creates: [], deletes: ['u3'] });
    handler(child('set-3', 'u3'), child('set-3', 'u3'));
    expect(expectations.satisfied('ns/set')).toBe(false);
    handler(undefined, child('set-3', 'u3', true));
    expect(expectations.satisfied('ns/set')).toBe(true);
  });
});
