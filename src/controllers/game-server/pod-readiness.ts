// The kubelet sets a pod's Ready condition from ContainersReady and the
// readiness gates, but only on its next sync: when a controller opens a gate
// (InPlaceUpdateReady after an in-place update, or on a new pod), Ready stays
// False for a moment although nothing is wrong. Reading that moment as
// NotReady would write a state and a condition, and raise events, that the
// next sync takes back.
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
