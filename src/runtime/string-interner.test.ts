import { describe, expect, it } from '@jest/globals';
import { StringInterner } from './string-interner.js';

// Two equal strings built apart, so they are distinct heap strings. (Which
// copy `intern` returns cannot be told apart in JavaScript; the table's size
// says whether a string was shared or passed through.)
const fresh = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

describe('StringInterner', () => {
  it('keeps one entry for a repeated string and returns an equal string', () => {
    const interner = new StringInterner();
    expect(interner.intern(fresh('InPlaceUpdateReady'), 'type')).toBe('InPlaceUpdateReady');
    expect(interner.intern(fresh('InPlaceUpdateReady'), 'type')).toBe('InPlaceUpdateReady');
    expect(interner.intern(fresh('bench.local/game:1'), 'image')).toBe('bench.local/game:1');
    // an owner's UID repeats in every pod of the set
    interner.intern(fresh('f729bb6a-5195-4766-8e34-4ff055549999'), 'uid');
    interner.intern(fresh('f729bb6a-5195-4766-8e34-4ff055549999'), 'uid');
    expect(interner.size).toBe(3);
  });

  it.each([
    ['a value JSON.parse already shares (10 characters or fewer)', 'Running', 'phase'],
    ['a value longer than 256 characters', 'x'.repeat(257), 'message'],
    ["an object's own UID", '97046387-b150-405a-992d-579ae10697fa', 'metadata.uid'],
    ['a container ID', 'kwok://525e4f2f58b72b26370630af749c86e3ee71c21289ee151ddfae955062714c9c', 'containerID'],
  ])('keeps no entry for %s', (_case, value, member) => {
    const interner = new StringInterner();
    expect(interner.intern(value, member)).toBe(value);
    expect(interner.size).toBe(0);
  });

  it('starts over when full, so the table stays bounded', () => {
    const interner = new StringInterner(3);
    for (const value of ['image-aaaaaaa-1', 'image-aaaaaaa-2', 'image-aaaaaaa-3']) interner.intern(value, 'image');
    expect(interner.size).toBe(3);
    expect(interner.intern('image-aaaaaaa-4', 'image')).toBe('image-aaaaaaa-4');
    expect(interner.size).toBe(1);
    interner.intern(fresh('image-aaaaaaa-4'), 'image');
    expect(interner.size).toBe(1);
  });
});
