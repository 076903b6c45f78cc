// The kubelet sets a pod's Ready condition from ContainersReady and the
// readiness gates, but only on its next sync: when a controller opens a gate
// (InPlaceUpdateReady after an in-place update, or on a new pod), Ready stays
// False for a moment although nothing is wrong. Reading that moment as
// NotReady would write a state and a condition, and raise events, that the
// next sync takes back.
import { toMillis } from './time.js';
import type { PodLike } from './types.js';

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
