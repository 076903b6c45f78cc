// Pod facts → GameServer state (OKG §2.6 step 4, with the decisions below).
//
// Order of precedence:
//  1. deletionTimestamp set → Deleting (whatever the phase; OKG keeps Creating
//     for a Pending pod being deleted, we say what is happening). A pod is
//     deleted only once its preDelete hook released it, so a terminating pod
//     still labelled PreparingDelete is Deleting, as in OKG
//  2. lifecycle label PreparingDelete (a preDelete hook holds the pod) → PreDelete
//  3. phase Pending → Creating, Failed → Crash, Succeeded/Unknown/missing → Unknown
//  4. Running:
//     a. crash loop (see isCrashLooping) → Crash
//     b. in-place update with images patched, or lifecycle Updating → Updating
//     c. in-place update waiting for its grace period, or lifecycle
//        PreparingUpdate → PreUpdate
//     d. PodReady True → Ready, otherwise NotReady (OKG leaves "" when the
//        Ready condition is absent; we never return the empty string); a
//        Ready False the kubelet has not yet caught up on (every container
//        ready, every gate True: readinessCatchingUp) is Ready
import {
  IN_PLACE_UPDATE_READY_CONDITION,
  IN_PLACE_UPDATE_STATE_ANNOTATION,
  LIFECYCLE_PREPARING_DELETE,
  LIFECYCLE_PREPARING_UPDATE,
  LIFECYCLE_STATE_LABEL,
  LIFECYCLE_UPDATING,
} from './keys.js';
import { gatesUnopened, readinessCatchingUp } from './pod-readiness.js';
import { toMillis } from './time.js';
import type { GameServerState, PodConditionLike, PodLike } from './types.js';

export function computeState(pod: PodLike): GameServerState {
  const lifecycle = pod.metadata?.labels?.[LIFECYCLE_STATE_LABEL];
  if (pod.metadata?.deletionTimestamp) return 'Deleting';
  if (lifecycle === LIFECYCLE_PREPARING_DELETE) return 'PreDelete';
  switch (pod.status?.phase) {
    case 'Pending':
      return 'Creating';
    case 'Failed':
      return 'Crash';
    case 'Running':
      return runningState(pod, lifecycle);
    default:
      return 'Unknown';
  }
}

function runningState(pod: PodLike, lifecycle: string | undefined): GameServerState {
  if (isCrashLooping(pod)) return 'Crash';
  const inPlace = inPlaceUpdatePhase(pod);
  if (inPlace === 'updating' || lifecycle === LIFECYCLE_UPDATING) return 'Updating';
  if (inPlace === 'waiting' || lifecycle === LIFECYCLE_PREPARING_UPDATE) return 'PreUpdate';
  return findCondition(pod, 'Ready')?.status === 'True' || readinessCatchingUp(pod) ? 'Ready' : 'NotReady';
}

/**
 * Crash-loop heuristic for Running pods (OKG only knows phase Failed, which a
 * pod with restartPolicy Always never reaches):
 * - a container waiting in CrashLoopBackOff → it keeps dying;
 * - a container terminated with a non-zero exit code that will not be
 *   restarted (restartPolicy Never) → it is gone for good.
 * A single terminated state under Always/OnFailure is a restart in progress,
 * not a crash: the pod shows NotReady until the kubelet backs off.
 */
export function isCrashLooping(pod: PodLike): boolean {
  const neverRestarts = pod.spec?.restartPolicy === 'Never';
  return (pod.status?.containerStatuses ?? []).some((s) => {
    if (s.state?.waiting?.reason === 'CrashLoopBackOff') return true;
    const terminated = s.state?.terminated;
    return neverRestarts && terminated !== undefined && terminated !== null && terminated.exitCode !== 0;
  });
}

export type InPlaceUpdatePhase = 'none' | 'waiting' | 'updating';

/**
 * Where the pod is in an in-place update (contract in keys.ts): the
 * InPlaceUpdateReady condition False marks an update; the update-state
 * annotation written at or after that transition marks the image patch.
 */
export function inPlaceUpdatePhase(pod: PodLike): InPlaceUpdatePhase {
  const condition = findCondition(pod, IN_PLACE_UPDATE_READY_CONDITION);
  if (condition?.status !== 'False') return 'none';
  const patchedAt = readUpdateTimestamp(pod.metadata?.annotations?.[IN_PLACE_UPDATE_STATE_ANNOTATION]);
  if (patchedAt === undefined) return 'waiting';
  const since = toMillis(condition.lastTransitionTime);
  return since === undefined || patchedAt >= since ? 'updating' : 'waiting';
}

/** The updateTimestamp (ms) of the update-state annotation; undefined when absent or unreadable. */
export function readUpdateTimestamp(annotation: string | undefined): number | undefined {
  if (annotation === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(annotation);
    if (typeof parsed !== 'object' || parsed === null || !('updateTimestamp' in parsed)) return undefined;
    const value = parsed.updateTimestamp;
    return typeof value === 'string' ? toMillis(value) : undefined;
  } catch {
    return undefined;
  }
}

export function findCondition(pod: PodLike, type: string): PodConditionLike | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/**
 * How long a PreUpdate that has just begun is left unwritten (status, the
 * pod's updating-containers annotation and the events): with no grace period
 * the set controller patches the images a moment after it closes the gate,
 * and a state that lasts that moment has nothing to say. A PreUpdate that
 * lasts (a grace period, a hook) is written once this has passed.
 */
export const PRE_UPDATE_HOLD_MS = 2_000;

/** Milliseconds the sync of `pod` waits because its PreUpdate began less than PRE_UPDATE_HOLD_MS ago (0: sync now). */
export function preUpdateHoldMs(pod: PodLike, nowMs: number): number {
  if (computeState(pod) !== 'PreUpdate') return 0;
  const condition = findCondition(pod, IN_PLACE_UPDATE_READY_CONDITION);
  const since = condition?.status === 'False' ? toMillis(condition.lastTransitionTime) : undefined;
  if (since === undefined) return 0;
  return Math.max(0, Math.min(PRE_UPDATE_HOLD_MS, since + PRE_UPDATE_HOLD_MS - nowMs));
}

/**
 * How long a new room's first state is left unwritten while its pod is still
 * coming up (Creating, or Running but not yet Ready), counted from the pod's
 * creation: the pod is usually Ready within moments, and the first status
 * write (with the pod's gs-state label) then says Ready at once, where
 * writing Creating first would cost a label patch, a status write and a
 * GsStateChanged event per room. A pod slower than this gets its state
 * written as it is.
 */
export const NEW_ROOM_HOLD_MS = 5_000;

/**
 * The longer hold of a new room that runs and waits only for the set
 * controller to open its readiness gates (gatesUnopened): that write carries
 * its first state label, and under a large scale-up it queues behind the
 * other writes of the client's rate for a while. A room whose gates stay shut
 * longer than this (a set controller that cannot write) is written as it is.
 */
export const NEW_ROOM_GATES_HOLD_MS = 30_000;

/** Milliseconds the first sync of a new room waits (0: sync now); `writtenState` is the GameServer's status.currentState. */
export function newRoomHoldMs(pod: PodLike, writtenState: string | undefined, createdMs: number | undefined, nowMs: number): number {
  if (writtenState || createdMs === undefined) return 0;
  const state = computeState(pod);
  if (state !== 'Creating' && state !== 'NotReady') return 0;
  const limit = state === 'NotReady' && gatesUnopened(pod) ? NEW_ROOM_GATES_HOLD_MS : NEW_ROOM_HOLD_MS;
  return Math.max(0, Math.min(limit, createdMs + limit - nowMs));
}
