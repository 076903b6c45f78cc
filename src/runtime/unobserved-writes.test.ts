import { describe, expect, it } from '@jest/globals';
import { UnobservedWrites } from './unobserved-writes.js';

const pod = (resourceVersion: string) => ({ metadata: { namespace: 'ns', name: 'set-0', resourceVersion } });

describe('UnobservedWrites', () => {
  it('holds a pod back until the cache shows the written version', () => {
    const writes = new UnobservedWrites(() => 0);
    writes.wrote(pod('1'), pod('2'));
    expect(writes.pending(pod('1'))).toBe(true);
    expect(writes.pending(pod('2'))).toBe(false);
    expect(writes.size).toBe(0);
  });

  it('compares integer versions: a copy written by someone else before our write is stale too', () => {
    const writes = new UnobservedWrites(() => 0);
    writes.wrote(pod('10'), pod('13'));
    expect(writes.pending(pod('12'))).toBe(true);
    expect(writes.pending(pod('14'))).toBe(false);
  });

  it('treats every version before the last of a chain of writes as stale (opaque versions)', () => {
    const writes = new UnobservedWrites(() => 0);
    writes.wrote(pod('a'), pod('b'));
    writes.wrote(pod('b'), pod('c'));
    expect(writes.pending(pod('a'))).toBe(true);
    expect(writes.pending(pod('b'))).toBe(true);
    expect(writes.pending(pod('c'))).toBe(false);
  });

  it('lets go after the timeout, and ignores writes without a new version', () => {
    let now = 0;
    const writes = new UnobservedWrites(() => now);
    writes.wrote(pod('1'), pod('1'));
    writes.wrote(pod('5'), undefined);
    expect(writes.size).toBe(0);
    writes.wrote(pod('1'), pod('2'));
    now = 10_000;
    expect(writes.pending(pod('1'))).toBe(false);
  });
});
