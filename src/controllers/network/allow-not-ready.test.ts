import { describe, expect, it } from '@jest/globals';
import type { CachedPod } from '../shared/informers.js';
import { notReadyBlocker, onlyAllowedUpdating } from './allow-not-ready.js';

const pod = (state: string | undefined, updating?: string): CachedPod =>
  ({
    metadata: {
      name: 'web-0',
      labels: state === undefined ? {} : { 'lifecycle.apps.kruise.io/state': state },
      annotations: updating === undefined ? {} : { 'game.kruise.io/gs-updating-containers': updating },
    },
  });

describe("notReadyBlocker: OKG's inplace-update-not-ready-blocker handshake", () => {
  it.each([
    { name: 'no AllowNotReadyContainers: no label', pod: pod('Normal'), allowed: [], publishing: false, want: undefined },
    { name: 'Normal pod: blocker on', pod: pod('Normal'), allowed: ['sidecar'], publishing: false, want: 'true' },
    { name: 'Updated pod: blocker back on (lets it reach Normal)', pod: pod('Updated'), allowed: ['sidecar'], publishing: true, want: 'true' },
    { name: 'PreparingUpdate, only the sidecar, Service not publishing yet: hold', pod: pod('PreparingUpdate', 'sidecar'), allowed: ['sidecar'], publishing: false, want: 'true' },
    { name: 'PreparingUpdate, only the sidecar, Service publishing: release', pod: pod('PreparingUpdate', 'sidecar'), allowed: ['sidecar'], publishing: true, want: 'false' },
    { name: 'PreparingUpdate, the game container too: release at once (no publishing)', pod: pod('PreparingUpdate', 'game,sidecar'), allowed: ['sidecar'], publishing: false, want: 'false' },
    { name: 'PreparingUpdate, containers not named yet: hold', pod: pod('PreparingUpdate'), allowed: ['sidecar'], publishing: false, want: 'true' },
    { name: 'PreparingUpdate without a Service (HostPort): release at once', pod: pod('PreparingUpdate', 'sidecar'), allowed: ['sidecar'], publishing: undefined, want: 'false' },
  ])('$name', ({ pod: p, allowed, publishing, want }) => {
    expect(notReadyBlocker(p, allowed, publishing)).toBe(want);
  });

  it.each([
    ['sidecar', ['sidecar'], true],
    ['sidecar, game', ['sidecar'], false],
    ['', ['sidecar'], true],
  ])('onlyAllowedUpdating(%j, %j) = %s', (named, allowed, want) => {
    expect(onlyAllowedUpdating(pod('PreparingUpdate', named), allowed)).toBe(want);
  });
});
