import { describe, expect, it } from '@jest/globals';
import type { PodView } from './plan/index.js';
import { sameDeletionRank } from './sync-pods.js';

const view = (overrides: Partial<PodView> = {}): PodView =>
  ({ name: 'web-3', ordinal: 3, uid: 'u-3', opsState: 'None', deletionPriority: 0, ...overrides }) as PodView;

describe('sameDeletionRank: a scale-down victim is deleted only as it was chosen', () => {
  it.each([
    { name: 'nothing changed', planned: view(), now: view(), want: true },
    { name: 'marked Allocated while its deletion waited', planned: view(), now: view({ opsState: 'Allocated' }), want: false },
    { name: 'marked WaitToBeDeleted (any change re-plans)', planned: view({ opsState: 'None' }), now: view({ opsState: 'WaitToBeDeleted' }), want: false },
    { name: 'deletion priority lowered', planned: view({ deletionPriority: 10 }), now: view({ deletionPriority: 0 }), want: false },
    { name: 'a new pod took the name', planned: view(), now: view({ uid: 'u-3b' }), want: false },
    { name: 'pod gone from the cache: the delete finds it gone', planned: view(), now: undefined, want: true },
  ])('$name', ({ planned, now, want }) => {
    expect(sameDeletionRank(planned, now)).toBe(want);
  });
});
