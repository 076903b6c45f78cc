import { describe, expect, it } from '@jest/globals';
import {
  afterUpdateState,
  effectiveLifecycle,
  gateInPlaceUpdates,
  initialLifecycleState,
  isPodAllHooked,
  isPodHooked,
  planLifecycleSweep,
  splitDeletions,
} from './plan-lifecycle.js';
import { aPod } from './test-fixtures.js';
import type { LifecycleHookView, LifecycleView, PodView } from './types.js';

const BLOCK = { labelsHandler: { 'example.com/block': 'true' } } satisfies LifecycleHookView;
const FINAL = { finalizersHandler: ['example.com/room'] } satisfies LifecycleHookView;
const held = (ordinal: number, overrides: Partial<PodView> = {}) => aPod(ordinal, { lifecycleState: 'Normal', labels: { 'example.com/block': 'true' }, ...overrides });
const free = (ordinal: number, overrides: Partial<PodView> = {}) => aPod(ordinal, { lifecycleState: 'Normal', labels: {}, ...overrides });

describe('hooks (Kruise IsPodHooked / IsPodAllHooked)', () => {
  it.each([
    { name: 'no hook holds nothing', hook: undefined, pod: held(0), any: false, all: false },
    { name: 'label with the value holds', hook: BLOCK, pod: held(0), any: true, all: true },
    { name: 'label with another value does not hold', hook: BLOCK, pod: free(0, { labels: { 'example.com/block': 'false' } }), any: false, all: false },
    { name: 'finalizer holds', hook: FINAL, pod: free(0, { finalizers: ['example.com/room'] }), any: true, all: true },
    {
      name: 'any of several holds; all needs each',
      hook: { ...BLOCK, ...FINAL },
      pod: held(0),
      any: true,
      all: false,
    },
    { name: 'an empty hook holds nothing and is always all-hooked', hook: { markPodNotReady: true }, pod: free(0), any: false, all: true },
  ])('$name', ({ hook, pod, any, all }) => {
    expect(isPodHooked(hook, pod)).toBe(any);
    expect(isPodAllHooked(hook, pod)).toBe(all);
  });
});

describe('effectiveLifecycle (OKG GetNewAstsFromGss, AllowNotReadyContainers)', () => {
  it('adds the inplace-update-not-ready-blocker label handler when AllowNotReadyContainers is configured', () => {
    const network = { networkType: 'Kubernetes-HostPort', networkConf: [{ name: 'AllowNotReadyContainers', value: 'game' }] };
    expect(effectiveLifecycle({ preDelete: BLOCK }, network)).toEqual({
      preDelete: BLOCK,
      inPlaceUpdate: { labelsHandler: { 'game.kruise.io/inplace-update-not-ready-blocker': 'true' } },
    });
    expect(effectiveLifecycle({ inPlaceUpdate: { ...BLOCK, markPodNotReady: true } }, network)?.inPlaceUpdate).toEqual({
      labelsHandler: { 'example.com/block': 'true', 'game.kruise.io/inplace-update-not-ready-blocker': 'true' },
      markPodNotReady: true,
    });
  });
  it('leaves the lifecycle alone otherwise', () => {
    expect(effectiveLifecycle(undefined, { networkType: 'x', networkConf: [{ name: 'Other' }] })).toBeUndefined();
    expect(effectiveLifecycle({ preDelete: BLOCK }, undefined)).toEqual({ preDelete: BLOCK });
  });
});

describe('new pods (Kruise createStatefulPod: PreparingNormal unless preNormal is all hooked)', () => {
  it.each<{ name: string; lifecycle: LifecycleView | undefined; labels: Record<string, string>; state: string }>([
    { name: 'no lifecycle: Normal', lifecycle: undefined, labels: {}, state: 'Normal' },
    { name: 'preNormal missing its label: PreparingNormal', lifecycle: { preNormal: BLOCK }, labels: {}, state: 'PreparingNormal' },
    { name: 'template already carries the preNormal label: Normal', lifecycle: { preNormal: BLOCK }, labels: { 'example.com/block': 'true' }, state: 'Normal' },
  ])('$name', ({ lifecycle, labels, state }) => {
    expect(initialLifecycleState(lifecycle, { labels })).toBe(state);
  });
});

describe('splitDeletions (Kruise deletePod)', () => {
  it('deletes unhooked pods and moves hooked ones to PreparingDelete', () => {
    const split = splitDeletions({ preDelete: BLOCK }, [held(1), free(2)]);
    expect(split.delete.map((p) => p.name)).toEqual(['gss-2']);
    expect(split.prepare).toEqual([{ name: 'gss-1', state: 'PreparingDelete' }]);
  });
  it('markPodNotReady adds the preDeleteHook key on pods with the KruisePodReady gate', () => {
    const split = splitDeletions({ preDelete: { ...BLOCK, markPodNotReady: true } }, [held(1, { notReadyKeys: [] }), held(2)]);
    expect(split.prepare).toEqual([
      { name: 'gss-1', state: 'PreparingDelete', notReady: { add: 'preDeleteHook' } },
      { name: 'gss-2', state: 'PreparingDelete' },
    ]);
  });
  it('a finalizersHandler holds as a label does', () => {
    expect(splitDeletions({ preDelete: FINAL }, [free(1, { finalizers: ['example.com/room'] })]).prepare).toEqual([{ name: 'gss-1', state: 'PreparingDelete' }]);
  });
  it('without a preDelete hook every pod is deleted', () => {
    expect(splitDeletions({ inPlaceUpdate: BLOCK }, [held(1)]).delete.map((p) => p.name)).toEqual(['gss-1']);
  });
});

describe('gateInPlaceUpdates (Kruise inPlaceUpdatePod)', () => {
  const update = (ordinal: number) => ({ name: `gss-${ordinal}`, revision: 'r2', containers: [{ name: 'app', image: 'app:v2' }] });
  const gate = (lifecycle: LifecycleView | undefined, ...pods: PodView[]) =>
    gateInPlaceUpdates(lifecycle, new Map(pods.map((p) => [p.name, p])), pods.map((p) => update(p.ordinal)));

  it('Normal and hooked: PreparingUpdate (+ preUpdateHook with markPodNotReady), held', () => {
    const result = gate({ inPlaceUpdate: { ...BLOCK, markPodNotReady: true } }, held(0, { notReadyKeys: [] }));
    expect(result).toEqual({ proceed: [], writes: [{ name: 'gss-0', state: 'PreparingUpdate', notReady: { add: 'preUpdateHook' } }], held: ['gss-0'] });
  });
  it('Normal and not hooked: proceeds', () => {
    expect(gate({ inPlaceUpdate: BLOCK }, free(0)).proceed.map((u) => u.name)).toEqual(['gss-0']);
  });
  it('PreparingUpdate still hooked: held without a write; released: proceeds', () => {
    expect(gate({ inPlaceUpdate: BLOCK }, held(0, { lifecycleState: 'PreparingUpdate' }))).toEqual({ proceed: [], writes: [], held: ['gss-0'] });
    expect(gate({ inPlaceUpdate: BLOCK }, free(0, { lifecycleState: 'PreparingUpdate' })).proceed.map((u) => u.name)).toEqual(['gss-0']);
  });
  it('Updated: the next update puts the hook back first (UpdatePodLifecycleWithHandler)', () => {
    expect(gate({ inPlaceUpdate: BLOCK }, free(0, { lifecycleState: 'Updated' })).writes).toEqual([{ name: 'gss-0', state: 'PreparingUpdate', handler: BLOCK }]);
  });
  it('Updating: carries on; no hook at all: proceeds', () => {
    expect(gate({ inPlaceUpdate: BLOCK }, held(0, { lifecycleState: 'Updating' })).proceed).toHaveLength(1);
    expect(gate(undefined, held(0)).proceed).toHaveLength(1);
  });
  it('AllowNotReadyContainers: OKG network plugins hold the update until they set the blocker label to false', () => {
    const lifecycle = effectiveLifecycle(undefined, { networkType: 'x', networkConf: [{ name: 'AllowNotReadyContainers', value: 'game' }] });
    const blocked = free(0, { labels: { 'game.kruise.io/inplace-update-not-ready-blocker': 'true' } });
    const allowed = free(1, { labels: { 'game.kruise.io/inplace-update-not-ready-blocker': 'false' } });
    expect(gate(lifecycle, blocked, allowed)).toEqual({ proceed: [update(1)], writes: [{ name: 'gss-0', state: 'PreparingUpdate' }], held: ['gss-0'] });
  });
});

describe('planLifecycleSweep (Kruise refreshPodState, deletePod on every pass)', () => {
  it('releases a PreparingDelete pod once its label is gone, keeps it while held', () => {
    const sweep = planLifecycleSweep({ preDelete: BLOCK }, [held(0, { lifecycleState: 'PreparingDelete' }), free(1, { lifecycleState: 'PreparingDelete' })], 'r1');
    expect(sweep.release.map((p) => p.name)).toEqual(['gss-1']);
    expect(sweep.writes).toEqual([]);
  });
  it('a PreparingDelete pod whose preDelete hook was removed from the spec is released (lifecycle edits apply to existing pods)', () => {
    expect(planLifecycleSweep(undefined, [held(0, { lifecycleState: 'PreparingDelete' })], 'r1').release).toHaveLength(1);
  });
  it('markPodNotReady turned on while a pod waits: the key is added', () => {
    const sweep = planLifecycleSweep({ preDelete: { ...BLOCK, markPodNotReady: true } }, [held(0, { lifecycleState: 'PreparingDelete', notReadyKeys: [] })], 'r1');
    expect(sweep.writes).toEqual([{ name: 'gss-0', state: 'PreparingDelete', notReady: { add: 'preDeleteHook' } }]);
  });
  it('PreparingNormal becomes Normal once the preNormal labels are there', () => {
    const lifecycle = { preNormal: BLOCK };
    expect(planLifecycleSweep(lifecycle, [free(0, { lifecycleState: 'PreparingNormal' })], 'r1').writes).toEqual([]);
    expect(planLifecycleSweep(lifecycle, [held(0, { lifecycleState: 'PreparingNormal' })], 'r1').writes).toEqual([{ name: 'gss-0', state: 'Normal' }]);
  });
  it('Updated becomes Normal once the hook labels are back, dropping the preUpdateHook key', () => {
    const lifecycle = { inPlaceUpdate: { ...BLOCK, markPodNotReady: true } };
    expect(planLifecycleSweep(lifecycle, [held(0, { lifecycleState: 'Updated', notReadyKeys: ['preUpdateHook'] })], 'r1').writes).toEqual([
      { name: 'gss-0', state: 'Normal', notReady: { remove: 'preUpdateHook' } },
    ]);
    expect(planLifecycleSweep(lifecycle, [free(0, { lifecycleState: 'Updated', notReadyKeys: ['preUpdateHook'] })], 'r1').writes).toEqual([
      { name: 'gss-0', state: 'Updated', notReady: { remove: 'preUpdateHook' } },
    ]);
  });
  it('a held PreparingUpdate pod already on the update revision settles (kruise#1156: rollback while waiting)', () => {
    const lifecycle = { inPlaceUpdate: BLOCK };
    expect(planLifecycleSweep(lifecycle, [held(0, { lifecycleState: 'PreparingUpdate', revision: 'r1' })], 'r1').writes).toEqual([{ name: 'gss-0', state: 'Normal' }]);
    expect(planLifecycleSweep(lifecycle, [free(0, { lifecycleState: 'PreparingUpdate', revision: 'r1' })], 'r1').writes).toEqual([{ name: 'gss-0', state: 'Updated' }]);
    expect(planLifecycleSweep(lifecycle, [held(0, { lifecycleState: 'PreparingUpdate', revision: 'r0' })], 'r1').writes).toEqual([]);
    expect(planLifecycleSweep(lifecycle, [held(0, { lifecycleState: 'PreparingUpdate', revision: 'r1', inPlaceUpdating: true })], 'r1').writes).toEqual([]);
  });
  it('terminating pods are left alone', () => {
    expect(planLifecycleSweep(undefined, [held(0, { lifecycleState: 'PreparingDelete', deleting: true })], 'r1')).toEqual({ release: [], writes: [] });
  });
});

describe('afterUpdateState', () => {
  it('Updated while the inPlaceUpdate labels are not all back, else Normal', () => {
    expect(afterUpdateState({ inPlaceUpdate: BLOCK }, { labels: {} })).toBe('Updated');
    expect(afterUpdateState({ inPlaceUpdate: BLOCK }, { labels: { 'example.com/block': 'true' } })).toBe('Normal');
    expect(afterUpdateState(undefined, { labels: {} })).toBe('Normal');
  });
});
