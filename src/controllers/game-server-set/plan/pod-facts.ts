// Shared facts about the pods of a set: which pods are live, terminating or
// on a reserved ordinal, and whether a pod is running, ready and available.
import { parseReserveIds, type IdRanges } from '../../../api/reserve-ids.js';
import { toMillis } from './time.js';
import type { Instant, PodView, SetView } from './types.js';

export class InvalidReserveIdsError extends Error {
  constructor(
    readonly setName: string,
    message: string,
  ) {
    super(`GameServerSet ${setName}: spec.reserveGameServerIds: ${message}`);
    this.name = 'InvalidReserveIdsError';
  }
}

/** Parses of reserve lists already seen: the cached set's array is the key, so a reconcile parses it once, not once per planner. */
const parsedReserves = new WeakMap<readonly unknown[], IdRanges>();

/**
 * The set's reserved ordinals, as ranges (never expanded, so a reserve of
 * "0-999999" costs what "5" costs). The API server refuses a bad item, so a
 * failure here means an object stored before validation: the planners refuse
 * to act rather than read a bad list as "nothing reserved" (OKG's behaviour,
 * which would recreate every reserved server).
 */
export function reservedOrdinals(set: Pick<SetView, 'name' | 'reserveGameServerIds'>): IdRanges {
  const memo = parsedReserves.get(set.reserveGameServerIds);
  if (memo !== undefined) return memo;
  const parsed = parseReserveIds(set.reserveGameServerIds);
  if (!parsed.ok) throw new InvalidReserveIdsError(set.name, parsed.error);
  parsedReserves.set(set.reserveGameServerIds, parsed.ids);
  return parsed.ids;
}

/** What grouping needs of the reserved ids. */
export interface ReservedLookup {
  has(ordinal: number): boolean;
}

/** The pods of a set, split the way scaling and updating need them. */
export interface PodGroups {
  /** Pods without a deletionTimestamp, reserved or not. */
  readonly live: readonly PodView[];
  /** Pods with a deletionTimestamp: they still hold their ordinal. */
  readonly terminating: readonly PodView[];
  /**
   * Live pods in lifecycle PreparingDelete (a preDelete hook holds them): on
   * their way out, they hold their ordinal but no longer count as replicas
   * (OKG computeToScaleGs), and nothing updates them.
   */
  readonly preparingDelete: readonly PodView[];
  /** Other live pods on a reserved ordinal: to be deleted. */
  readonly onReserved: readonly PodView[];
  /** Other live pods on a non-reserved ordinal: the set's replicas. */
  readonly managed: readonly PodView[];
}

export function isPreparingDelete(pod: PodView): boolean {
  return !pod.deleting && pod.lifecycleState === 'PreparingDelete';
}

export function groupPods(pods: readonly PodView[], reserved: ReservedLookup): PodGroups {
  const live = pods.filter((pod) => !pod.deleting);
  const staying = live.filter((pod) => pod.lifecycleState !== 'PreparingDelete');
  return {
    live,
    terminating: pods.filter((pod) => pod.deleting),
    preparingDelete: live.filter((pod) => pod.lifecycleState === 'PreparingDelete'),
    onReserved: staying.filter((pod) => reserved.has(pod.ordinal)),
    managed: staying.filter((pod) => !reserved.has(pod.ordinal)),
  };
}

/** Phase Failed or Succeeded: the pod will never run again and must be recreated. */
export function isFinished(pod: PodView): boolean {
  return pod.phase === 'Failed' || pod.phase === 'Succeeded';
}

/** Running, Ready and not terminating (StatefulSet's isHealthy). */
export function isRunningAndReady(pod: PodView): boolean {
  return !pod.deleting && pod.phase === 'Running' && pod.ready;
}

/**
 * When a running and ready pod becomes available (Ready for minReadySeconds),
 * in epoch ms; undefined when it is not running and ready, or when a
 * lifecycle state other than Normal marks it (Kruise isRunningAndAvailable:
 * a pod a hook holds, or one just updated, is not available). A Ready
 * condition without a transition time counts as Ready for ever, as in
 * Kubernetes.
 */
export function availableSince(pod: PodView, minReadySeconds: number): number | undefined {
  if (!isRunningAndReady(pod)) return undefined;
  if (pod.lifecycleState !== undefined && pod.lifecycleState !== '' && pod.lifecycleState !== 'Normal') return undefined;
  if (minReadySeconds <= 0 || pod.readySince === undefined) return Number.NEGATIVE_INFINITY;
  return toMillis(pod.readySince) + minReadySeconds * 1000;
}

/** Running, Ready for at least minReadySeconds, and not terminating. */
export function isAvailable(pod: PodView, minReadySeconds: number, now: Instant): boolean {
  const since = availableSince(pod, minReadySeconds);
  return since !== undefined && since <= toMillis(now);
}

/** The earliest moment (epoch ms, after now) at which one of the pods becomes available, if any. */
export function nextAvailability(pods: readonly PodView[], minReadySeconds: number, now: Instant): number | undefined {
  const nowMs = toMillis(now);
  let next: number | undefined;
  for (const pod of pods) {
    const since = availableSince(pod, minReadySeconds);
    if (since !== undefined && since > nowMs && (next === undefined || since < next)) next = since;
  }
  return next;
}
