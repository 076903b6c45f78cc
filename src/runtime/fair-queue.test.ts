import { describe, expect, it } from '@jest/globals';
import { FairQueue, groupOfKey } from './fair-queue.js';

function drain(queue: FairQueue): string[] {
  const out: string[] = [];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) out.push(key);
  return out;
}

describe('FairQueue', () => {
  it.each([
    { name: 'one namespace keeps FIFO order', push: ['a/1', 'a/2', 'a/3'], want: ['a/1', 'a/2', 'a/3'] },
    {
      name: 'a busy namespace gets one turn per round',
      push: ['big/1', 'big/2', 'big/3', 'big/4', 'small/1', 'small/2'],
      want: ['big/1', 'small/1', 'big/2', 'small/2', 'big/3', 'big/4'],
    },
    {
      name: 'three namespaces interleave in the order they started waiting',
      push: ['a/1', 'a/2', 'b/1', 'c/1', 'c/2', 'b/2'],
      want: ['a/1', 'b/1', 'c/1', 'a/2', 'b/2', 'c/2'],
    },
    { name: 'cluster-scoped keys form their own group', push: ['node-1', 'a/1', 'node-2'], want: ['node-1', 'a/1', 'node-2'] },
  ])('$name', ({ push, want }) => {
    const queue = new FairQueue();
    for (const key of push) queue.push(key);
    expect(queue.length).toBe(push.length);
    expect(drain(queue)).toEqual(want);
    expect(queue.length).toBe(0);
  });

  it('a namespace that starts waiting mid-round is served after those already waiting', () => {
    const queue = new FairQueue();
    for (const key of ['a/1', 'a/2', 'b/1', 'b/2']) queue.push(key);
    expect(queue.shift()).toBe('a/1');
    queue.push('c/1');
    expect(drain(queue)).toEqual(['b/1', 'a/2', 'c/1', 'b/2']);
  });

  it('a small namespace is served within one round however long the big one is', () => {
    const queue = new FairQueue();
    for (let i = 0; i < 20_000; i += 1) queue.push(`big/${i}`);
    queue.push('small/only');
    const served = [queue.shift(), queue.shift()];
    expect(served).toContain('small/only');
  });

  it('clear empties every group', () => {
    const queue = new FairQueue();
    queue.push('a/1');
    queue.push('b/1');
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it.each([
    ['ns/name', 'ns'],
    ['name', ''],
  ])('groupOfKey(%s) = %s', (key, group) => expect(groupOfKey(key)).toBe(group));
});
