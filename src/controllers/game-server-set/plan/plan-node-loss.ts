// Node loss (the seeds' gamestatefulset-operator; StatefulSet lacks it): a pod
// whose node has been NotReady/unreachable for longer than a timeout is
// deleted, and force-deleted once its grace period is over, so the set can
// recreate the ordinal on a healthy node. A kubelet that cannot be reached
// never confirms a graceful deletion, which is why the force step exists.
import { secondsUntil, toMillis } from './time.js';
import type { Instant, NodeView, PodView } from './types.js';

export interface Eviction {
  readonly name: string;
  readonly nodeName: string;
  /** Delete with gracePeriodSeconds 0: the pod is already terminating and its grace period is over. */
  readonly force: boolean;
}

export interface NodeLossInput {
  readonly now: Instant;
  readonly nodes: readonly NodeView[];
  /**
   * Seconds a node must have been lost before its pods are evicted; `undefined`
   * disables node-loss handling (the controller resolves per-set and global
   * settings into this one value).
   */
  readonly timeoutSeconds: number | undefined;
}

export interface NodeLossPlan {
  readonly evict: readonly Eviction[];
  /** Seconds until the next timeout or grace period ends, for a requeue. */
  readonly recheckAfterSeconds?: number;
}

/**
 * Pods on nodes lost for at least the timeout. Pods on a node absent from
 * `nodes` are left alone: the cache may lag, and Kubernetes' pod GC removes
 * pods bound to deleted nodes.
 */
export function planNodeLoss(pods: readonly PodView[], input: NodeLossInput): NodeLossPlan {
  if (input.timeoutSeconds === undefined) return { evict: [] };
  const now = toMillis(input.now);
  const lostSince = new Map<string, number>();
  for (const node of input.nodes) {
    if (node.lostSince !== undefined) lostSince.set(node.name, toMillis(node.lostSince));
  }
  const evict: Eviction[] = [];
  let next: number | undefined;
  const later = (at: number): void => {
    if (next === undefined || at < next) next = at;
  };
  for (const pod of pods) {
    if (pod.nodeName === undefined) continue;
    const since = lostSince.get(pod.nodeName);
    if (since === undefined) continue;
    const evictAt = since + input.timeoutSeconds * 1000;
    if (evictAt > now) {
      later(evictAt);
      continue;
    }
    if (!pod.deleting) {
      evict.push({ name: pod.name, nodeName: pod.nodeName, force: false });
      continue;
    }
    const graceEnds = pod.deletionTimestamp === undefined ? now : toMillis(pod.deletionTimestamp);
    if (graceEnds <= now) evict.push({ name: pod.name, nodeName: pod.nodeName, force: true });
    else later(graceEnds);
  }
  return next === undefined ? { evict } : { evict, recheckAfterSeconds: secondsUntil(next, now) };
}
