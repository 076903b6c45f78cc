// How long an unwritten GameServer status change waits before it is written
// (pure: the reconciler supplies when the oldest unwritten change was seen).
//
// - A new state (and priorities, service qualities, network) is written at once.
// - Outside an in-place update, new conditions wait SETTLE_MS.conditions and a
//   change of the podStatus mirror alone SETTLE_MS.podStatus, so the kubelet's
//   many updates during one container restart make few writes.
// - During an in-place update (state PreUpdate or Updating, as computeState
//   derives it from the InPlaceUpdateReady condition, the update-state
//   annotation and the lifecycle label) the containers restart on purpose:
//   the mirror and the conditions that move meanwhile (PodNormal False with a
//   restart reason) wait for the state write that ends the update, however
//   long the update takes. Still written as outside an update: a condition
//   that turns into a Warning (ErrImagePull, CrashLoopBackOff, a node gone:
//   conditionWarnings with `updating`), and, as a bounded safety, whatever is
//   unwritten once the pod has shown no progress for UPDATE_STALL_MS (no
//   condition transition, no image patch, no container start), so a stuck
//   update still shows in `kubectl get gs`. A crash or a deletion is a new
//   state, written at once.
import { conditionWarnings } from './compute-conditions.js';
import { readUpdateTimestamp } from './compute-state.js';
import type { StatusChange } from './compute-status.js';
import { IN_PLACE_UPDATE_STATE_ANNOTATION } from './keys.js';
import { toMillis } from './time.js';
import type { GameServerStatus, GameServerStatusLike, PodLike } from './types.js';

/**
 * How long a status change waits before it is written, by what it changes,
 * outside an in-place update (later changes ride along; the wait counts from
 * the oldest unwritten one).
 */
export const SETTLE_MS: Readonly<Record<StatusChange, number>> = { none: 0, state: 0, conditions: 2_000, podStatus: 30_000 };

/**
 * How long a pod in an in-place update may show no progress before its held
 * mirror and conditions are written anyway (and again after each further
 * quiet spell this long with something unwritten).
 */
export const UPDATE_STALL_MS = 5 * 60_000;

export interface SettleInput {
  readonly change: StatusChange;
  /** The status as written (the GameServer's). */
  readonly previous: GameServerStatusLike | undefined;
  /** The status as computed from the pod now. */
  readonly next: GameServerStatus;
  readonly pod: PodLike;
  /** When the oldest unwritten change was first seen (ms). */
  readonly unwrittenSinceMs: number;
  readonly nowMs: number;
}

/** Milliseconds the change still waits (0: write it now). */
export function computeSettleMs(input: SettleInput): number {
  const { change, nowMs, unwrittenSinceMs } = input;
  if (change === 'none' || change === 'state') return 0;
  const settled = unwrittenSinceMs + SETTLE_MS[change];
  if (!inPlaceUpdate(input.next.currentState) || turnsIntoWarning(input)) return Math.max(0, settled - nowMs);
  const stalled = Math.min(lastProgressMs(input.pod) ?? unwrittenSinceMs, nowMs) + UPDATE_STALL_MS;
  return Math.max(0, Math.max(settled, stalled) - nowMs);
}

function inPlaceUpdate(state: string | undefined): boolean {
  return state === 'PreUpdate' || state === 'Updating';
}

function turnsIntoWarning(input: SettleInput): boolean {
  if (input.change !== 'conditions') return false;
  return conditionWarnings(input.previous?.conditions ?? [], input.next.conditions ?? [], { updating: true }).length > 0;
}

/**
 * The latest sign of progress the pod shows (ms): a condition's transition
 * (the gate closing, Ready turning, containers becoming ready), the image
 * patch (the update-state annotation's updateTimestamp) or a container
 * starting; undefined when it shows none.
 */
export function lastProgressMs(pod: PodLike): number | undefined {
  const times: (number | undefined)[] = [];
  for (const condition of pod.status?.conditions ?? []) times.push(toMillis(condition.lastTransitionTime));
  times.push(readUpdateTimestamp(pod.metadata?.annotations?.[IN_PLACE_UPDATE_STATE_ANNOTATION]));
  for (const status of pod.status?.containerStatuses ?? []) times.push(toMillis(status.state?.running?.startedAt));
  const known = times.filter((t): t is number => t !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}
