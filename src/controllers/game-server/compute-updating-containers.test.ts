import { describe, expect, it } from '@jest/globals';
import { computePodSync, updatingContainers } from './compute-pod-sync.js';
import type { GameServerState, PodLike } from './types.js';

const KEY = 'game.kruise.io/gs-updating-containers';
const pod = (annotation?: string): PodLike => ({
  metadata: { name: 'gs-0', labels: {}, annotations: annotation === undefined ? {} : { [KEY]: annotation } },
  spec: { containers: [{ name: 'game', image: 'game:1' }, { name: 'sidecar', image: 'sidecar:0.1' }] },
});
const template = { game: 'game:1', sidecar: 'sidecar:0.2' };

describe('gs-updating-containers (okg.md §2.6: set in PreUpdate, kept while Updating, removed after)', () => {
  it.each<{ name: string; state: GameServerState; pod: PodLike; expected: string | null | undefined }>([
    { name: 'PreUpdate names the containers whose image is not the template’s', state: 'PreUpdate', pod: pod(), expected: 'sidecar' },
    { name: 'Updating keeps it', state: 'Updating', pod: pod('sidecar'), expected: undefined },
    { name: 'Ready afterwards removes it', state: 'Ready', pod: pod('sidecar'), expected: null },
    { name: 'Ready without it: nothing', state: 'Ready', pod: pod(), expected: undefined },
  ])('$name', ({ state, pod: input, expected }) => {
    expect(updatingContainers({ pod: input, state, templateImages: template })).toBe(expected);
  });

  it('goes into the pod patch (null removes it under a strategic merge)', () => {
    const gs = { spec: { opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false } };
    const pre = computePodSync({ gs, pod: pod(), state: 'PreUpdate', now: new Date(0), templateImages: template });
    expect(pre.patch?.metadata?.annotations?.[KEY]).toBe('sidecar');
    const after = computePodSync({ gs, pod: pod('sidecar'), state: 'Ready', now: new Date(0), templateImages: template });
    expect(after.patch?.metadata?.annotations?.[KEY]).toBeNull();
  });
});
