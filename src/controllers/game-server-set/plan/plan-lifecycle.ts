// OpenKruise lifecycle hooks (spec.lifecycle), the pure half: which pods a
// hook holds and which lifecycle writes move them on. The semantics are
// OpenKruise's (pkg/util/lifecycle, the Advanced StatefulSet's deletePod,
// inPlaceUpdatePod and refreshPodState):
// - a hook holds a pod while it carries ANY of its labelsHandler labels (with
//   that value) or finalizersHandler finalizers (IsPodHooked); PreparingNormal
//   and Updated wait for ALL of them instead (IsPodAllHooked);
// - preDelete: a pod the set wants gone moves to PreparingDelete while held,
//   and is deleted once released; it never comes back from PreparingDelete;
// - inPlaceUpdate: a held pod moves to PreparingUpdate and is patched once
//   released; after the patch it goes to Updated while the hook's labels are
//   not all back, then Normal; an Updated pod's next update re-adds the
//   hook's labels and finalizers (UpdatePodLifecycleWithHandler);
// - preNormal: a new pod starts PreparingNormal unless it already carries
//   everything the hook lists, and becomes Normal once it does;
// - markPodNotReady: condition KruisePodReady False (key preDeleteHook or
//   preUpdateHook in its message) while held, on pods with that readiness gate.
// The hooks are read from the set at every pass, so a change of spec.lifecycle
// applies to existing pods at once (OKG copies it into the Advanced
// StatefulSet only when that is created).
import { ALLOW_NOT_READY_CONTAINERS, LABELS, type LifecycleState } from '../../../api/constants.js';
import type { InPlaceUpdate } from './plan-update.js';
import type { LifecycleHookView, LifecycleView, NetworkView, PodView } from './types.js';

/** OpenKruise's keys in the KruisePodReady message (podreadiness.Message, userAgent "Lifecycle"). */
export const NOT_READY_KEYS = { preDelete: 'preDeleteHook', preUpdate: 'preUpdateHook' } as const;
export type NotReadyKey = (typeof NOT_READY_KEYS)[keyof typeof NOT_READY_KEYS];

/** A lifecycle label change for one pod, with what goes with it. */
export interface LifecycleWrite {
  readonly name: string;
  readonly state: LifecycleState;
  /** Add or remove a key of condition KruisePodReady (pods with that gate only). */
  readonly notReady?: { readonly add?: NotReadyKey; readonly remove?: NotReadyKey };
  /** Labels and finalizers to put back on the pod (Updated → PreparingUpdate). */
  readonly handler?: LifecycleHookView;
}

/** The hook facts of a pod: its labels and finalizers. */
export type HookedPod = Pick<PodView, 'labels' | 'finalizers'>;

/**
 * spec.lifecycle as OKG hands it to the Advanced StatefulSet: with
 * `AllowNotReadyContainers` in network.networkConf, the inPlaceUpdate hook
 * also waits for label game.kruise.io/inplace-update-not-ready-blocker=true
 * (pkg/util/gameserver.go GetNewAstsFromGss; the network plugin sets that
 * label to "false" once the containers may go not ready).
 */
export function effectiveLifecycle(lifecycle: LifecycleView | undefined, network: NetworkView | undefined): LifecycleView | undefined {
  const allowNotReady = network?.networkConf?.some((conf) => conf.name === ALLOW_NOT_READY_CONTAINERS) ?? false;
  if (!allowNotReady) return lifecycle;
  const inPlaceUpdate = lifecycle?.inPlaceUpdate ?? {};
  return {
    ...lifecycle,
    inPlaceUpdate: { ...inPlaceUpdate, labelsHandler: { ...inPlaceUpdate.labelsHandler, [LABELS.inplaceUpdateNotReadyBlocker]: 'true' } },
  };
}

/** Kruise IsPodHooked: the pod carries any label or finalizer of the hook. */
export function isPodHooked(hook: LifecycleHookView | undefined, pod: HookedPod): boolean {
  if (hook === undefined) return false;
  const finalizers = pod.finalizers ?? [];
  if ((hook.finalizersHandler ?? []).some((f) => finalizers.includes(f))) return true;
  return Object.entries(hook.labelsHandler ?? {}).some(([key, value]) => pod.labels?.[key] === value);
}

/** Kruise IsPodAllHooked: the pod carries every label and finalizer of the hook (false without a hook). */
export function isPodAllHooked(hook: LifecycleHookView | undefined, pod: HookedPod): boolean {
  if (hook === undefined) return false;
  const finalizers = pod.finalizers ?? [];
  if (!(hook.finalizersHandler ?? []).every((f) => finalizers.includes(f))) return false;
  return Object.entries(hook.labelsHandler ?? {}).every(([key, value]) => pod.labels?.[key] === value);
}

/** The state a new pod is created in: PreparingNormal while a preNormal hook still misses something. */
export function initialLifecycleState(lifecycle: LifecycleView | undefined, pod: HookedPod): LifecycleState {
  const hook = lifecycle?.preNormal;
  return hook === undefined || isPodAllHooked(hook, pod) ? 'Normal' : 'PreparingNormal';
}

/** The state a pod settles in after an in-place update: Updated while the hook's labels are not all back. */
export function afterUpdateState(lifecycle: LifecycleView | undefined, pod: HookedPod): LifecycleState {
  const hook = lifecycle?.inPlaceUpdate;
  return hook !== undefined && !isPodAllHooked(hook, pod) ? 'Updated' : 'Normal';
}

export interface DeletionSplit {
  /** Not held by a preDelete hook: delete now. */
  readonly delete: readonly PodView[];
  /** Held: move to PreparingDelete and wait. */
  readonly prepare: readonly LifecycleWrite[];
}

/** Kruise deletePod: each pod the set wants gone is deleted, or moved to PreparingDelete while its hook holds it. */
export function splitDeletions(lifecycle: LifecycleView | undefined, pods: readonly PodView[]): DeletionSplit {
  const hook = lifecycle?.preDelete;
  const remove: PodView[] = [];
  const prepare: LifecycleWrite[] = [];
  for (const pod of pods) {
    if (pod.lifecycleState === 'PreparingDelete') continue;
    if (isPodHooked(hook, pod)) prepare.push({ name: pod.name, state: 'PreparingDelete', ...notReadyAdd(hook, pod, NOT_READY_KEYS.preDelete) });
    else remove.push(pod);
  }
  return { delete: remove, prepare };
}

export interface InPlaceGate {
  /** Updates that go ahead (the in-place steps of update-in-place.ts). */
  readonly proceed: readonly InPlaceUpdate[];
  /** Lifecycle writes for pods the inPlaceUpdate hook holds. */
  readonly writes: readonly LifecycleWrite[];
  /** Pods held by the hook this pass. */
  readonly held: readonly string[];
}

/** Kruise inPlaceUpdatePod's lifecycle switch, for each planned in-place update. */
export function gateInPlaceUpdates(
  lifecycle: LifecycleView | undefined,
  pods: ReadonlyMap<string, PodView>,
  updates: readonly InPlaceUpdate[],
): InPlaceGate {
  const hook = lifecycle?.inPlaceUpdate;
  const proceed: InPlaceUpdate[] = [];
  const writes: LifecycleWrite[] = [];
  const held: string[] = [];
  for (const update of updates) {
    const pod = pods.get(update.name);
    if (pod === undefined) continue;
    const state = pod.lifecycleState ?? '';
    const hooked = isPodHooked(hook, pod);
    if (state === '' || state === 'Normal' || state === 'PreparingNormal') {
      if (!hooked || pod.inPlaceUpdating === true) {
        proceed.push(update);
        continue;
      }
      writes.push({ name: pod.name, state: 'PreparingUpdate', ...notReadyAdd(hook, pod, NOT_READY_KEYS.preUpdate) });
      held.push(pod.name);
    } else if (state === 'Updated') {
      if (hook === undefined) {
        proceed.push(update);
        continue;
      }
      writes.push({ name: pod.name, state: 'PreparingUpdate', handler: hook, ...notReadyAdd(hook, pod, NOT_READY_KEYS.preUpdate) });
      held.push(pod.name);
    } else if (state === 'PreparingUpdate') {
      if (!hooked || pod.inPlaceUpdating === true) proceed.push(update);
      else held.push(pod.name);
    } else if (state === 'Updating') {
      proceed.push(update);
    } else {
      held.push(pod.name);
    }
  }
  return { proceed, writes, held };
}

export interface LifecycleSweep {
  /** PreparingDelete pods their preDelete hook no longer holds: delete them. */
  readonly release: readonly PodView[];
  readonly writes: readonly LifecycleWrite[];
}

/**
 * The level-based half (Kruise refreshPodState, and the deletePod retried on
 * every pass): releases PreparingDelete pods, moves PreparingNormal and
 * Updated pods to Normal once their hook is satisfied, settles a
 * PreparingUpdate pod whose update is no longer needed (its revision is the
 * update revision again: kruise#1156), and keeps KruisePodReady in step with
 * markPodNotReady.
 */
export function planLifecycleSweep(lifecycle: LifecycleView | undefined, pods: readonly PodView[], updateRevision: string): LifecycleSweep {
  const release: PodView[] = [];
  const writes: LifecycleWrite[] = [];
  for (const pod of pods) {
    if (pod.deleting) continue;
    const state = pod.lifecycleState ?? '';
    const keys = pod.notReadyKeys;
    const staleUpdateKey = keys?.includes(NOT_READY_KEYS.preUpdate) === true ? { notReady: { remove: NOT_READY_KEYS.preUpdate } } : {};
    if (state === 'PreparingDelete') {
      const hook = lifecycle?.preDelete;
      if (!isPodHooked(hook, pod)) release.push(pod);
      else if (hook?.markPodNotReady === true && keys !== undefined && !keys.includes(NOT_READY_KEYS.preDelete)) {
        writes.push({ name: pod.name, state, notReady: { add: NOT_READY_KEYS.preDelete } });
      }
    } else if (state === 'PreparingNormal') {
      if (initialLifecycleState(lifecycle, pod) === 'Normal') writes.push({ name: pod.name, state: 'Normal' });
    } else if (state === 'Updated') {
      if (afterUpdateState(lifecycle, pod) === 'Normal') writes.push({ name: pod.name, state: 'Normal', ...staleUpdateKey });
      else if ('notReady' in staleUpdateKey) writes.push({ name: pod.name, state, ...staleUpdateKey });
    } else if (state === 'PreparingUpdate') {
      if (pod.inPlaceUpdating !== true && pod.revision === updateRevision) {
        writes.push({ name: pod.name, state: afterUpdateState(lifecycle, pod), ...staleUpdateKey });
      }
    } else if ((state === '' || state === 'Normal') && 'notReady' in staleUpdateKey) {
      writes.push({ name: pod.name, state: 'Normal', ...staleUpdateKey });
    }
  }
  return { release, writes };
}

function notReadyAdd(hook: LifecycleHookView | undefined, pod: PodView, key: NotReadyKey): Pick<LifecycleWrite, 'notReady'> {
  if (hook?.markPodNotReady !== true || pod.notReadyKeys === undefined || pod.notReadyKeys.includes(key)) return {};
  return { notReady: { add: key } };
}
