// The kubelet sets a pod's Ready condition from ContainersReady and the
// readiness gates, but only on its next sync: when a controller opens a gate
// (InPlaceUpdateReady after an in-place update, or on a new pod), Ready stays
// False for a moment although nothing is wrong. Reading that moment as
// NotReady would write a state and a condition, and raise events, that the
// next sync takes back.
import { KRUISE_POD_READY } from '../../api/constants.js';
import { IN_PLACE_UPDATE_READY_CONDITION } from './keys.js';
import { toMillis } from './time.js';
import type { PodLike } from './types.js';

/** The readiness gates whose conditions the operator's set controller sets. */
const OPERATOR_GATES: ReadonlySet<string> = new Set([IN_PLACE_UPDATE_READY_CONDITION, KRUISE_POD_READY]);

/**
 * A running pod with a gate of the operator's whose condition was never set:
 * a new room, whose gates the set controller opens on its next pass, in the
 * write that also carries the room's first state label.
 */
export function gatesUnopened(pod: PodLike): boolean {
  if (pod.status?.phase !== 'Running' || pod.metadata?.deletionTimestamp) return false;
  const conditions = new Set((pod.status.conditions ?? []).map((c) => c.type));
  return (pod.spec?.readinessGates ?? []).some((gate) => OPERATOR_GATES.has(gate.conditionType) && !conditions.has(gate.conditionType));
}

/** Ready is False only because the kubelet has not re-evaluated it yet: every container ready, ContainersReady and every gate True. */
export function readinessCatchingUp(pod: PodLike): boolean {
  const conditions = pod.status?.conditions ?? [];
  const status = (type: string) => conditions.find((c) => c.type === type)?.status;
  if (status('Ready') !== 'False' || status('ContainersReady') !== 'True') return false;
  const containers = pod.status?.containerStatuses ?? [];
  if (containers.length === 0 || !containers.every((s) => s.ready)) return false;
  return (pod.spec?.readinessGates ?? []).every((gate) => status(gate.conditionType) === 'True');
}

/**
 * How long the sync of a pod whose readiness is catching up waits for the
 * kubelet (from the latest gate transition): its next status update (Ready
 * True) follows within a moment, and one GameServer status write then
 * carries both the state and the pod's Ready condition, where writing at once
 * would make a second write for the mirror a moment later.
 */
export const CATCH_UP_HOLD_MS = 3_000;

/** Milliseconds the sync of `pod` waits for the kubelet to catch up on its readiness (0: sync now). */
export function catchUpHoldMs(pod: PodLike, nowMs: number): number {
  if (!readinessCatchingUp(pod)) return 0;
  const gates = new Set((pod.spec?.readinessGates ?? []).map((gate) => gate.conditionType));
  const opened = (pod.status?.conditions ?? []).filter((c) => gates.has(c.type)).map((c) => toMillis(c.lastTransitionTime) ?? 0);
  if (opened.length === 0) return 0;
  return Math.max(0, Math.min(CATCH_UP_HOLD_MS, Math.max(...opened) + CATCH_UP_HOLD_MS - nowMs));
}
