// GameServerSet status from the cached pods (okg.md §1 GSS status, §3).
//
// Choices, where OKG and StatefulSet differ:
// - `replicas` counts live (non-terminating) pods, as ReplicaSet and Deployment
//   do; OKG copies spec.replicas there. The scale subresource exposes it as the
//   observed count: the HPA and `kubectl scale` compute from spec.replicas and
//   the selector, so the truthful count costs them nothing, and a set whose
//   pods the API server refuses no longer looks scaled.
// - `currentReplicas` keeps OKG's meaning, the CURRENT column of `kubectl get
//   gss`: every pod of the set, terminating included.
// - ready/available/updated/maintaining/waitToBeDeleted count live pods only: a
//   terminating WaitToBeDeleted server is no longer waiting for anything.
// - `currentRevision` becomes the update revision once every pod is updated
//   and Ready at spec.replicas (StatefulSet's completeRollingUpdate), for
//   OnDelete too.
// - a pod in lifecycle PreparingDelete (held by a preDelete hook) is on its
//   way out: it counts in currentReplicas and preDeleteReplicas only, not in
//   replicas or the ready/available/updated counts (OKG does not count it
//   towards the set either: computeToScaleGs).
import { LABELS } from '../../../api/constants.js';
import { jsonEqual } from './canonical-json.js';
import { isAvailable, isPreparingDelete, isRunningAndReady, nextAvailability } from './pod-facts.js';
import { secondsUntil, toMillis } from './time.js';
import type { Instant, PodView, SetCondition, SetStatus, SetView } from './types.js';

export type StatusSetView = Pick<SetView, 'name' | 'generation' | 'replicas' | 'updateStrategy'>;

export interface StatusRevisions {
  /** The recorded current revision, resolved (see resolveCurrentRevision). */
  readonly currentRevision: string;
  readonly updateRevision: string;
}

export interface StatusOptions {
  /** The conditions now on the object; kept unless replaced below. */
  readonly conditions?: readonly SetCondition[] | undefined;
  /**
   * Outcome of this reconcile's pod creations: a refusal from the API server
   * sets `ReplicaFailure` True with its message; `null` (every creation
   * succeeded, or none was needed) removes the condition; `undefined` leaves it.
   */
  readonly replicaFailure?: { readonly reason?: string; readonly message: string } | null | undefined;
}

export const REPLICA_FAILURE = 'ReplicaFailure';

export function computeSetStatus(
  set: StatusSetView,
  pods: readonly PodView[],
  revisions: StatusRevisions,
  now: Instant,
  options: StatusOptions = {},
): SetStatus {
  const live = pods.filter((pod) => !pod.deleting && !isPreparingDelete(pod));
  const minReady = set.updateStrategy.minReadySeconds;
  const count = (predicate: (pod: PodView) => boolean): number => live.filter(predicate).length;
  const updated = (pod: PodView): boolean => pod.revision === revisions.updateRevision;

  const replicas = live.length;
  const readyReplicas = count(isRunningAndReady);
  const updatedReplicas = count(updated);
  const complete = replicas === set.replicas && updatedReplicas === replicas && readyReplicas === replicas;
  return {
    observedGeneration: set.generation,
    replicas,
    currentReplicas: pods.length,
    readyReplicas,
    availableReplicas: count((pod) => isAvailable(pod, minReady, now)),
    updatedReplicas,
    updatedReadyReplicas: count((pod) => updated(pod) && isRunningAndReady(pod)),
    maintainingReplicas: count((pod) => pod.opsState === 'Maintaining'),
    waitToBeDeletedReplicas: count((pod) => pod.opsState === 'WaitToBeDeleted'),
    preDeleteReplicas: pods.filter((pod) => isPreparingDelete(pod) || (!pod.deleting && pod.gsState === 'PreDelete')).length,
    labelSelector: `${LABELS.ownerGss}=${set.name}`,
    currentRevision: complete ? revisions.updateRevision : revisions.currentRevision,
    updateRevision: revisions.updateRevision,
    conditions: nextConditions(options, toIso(now)),
  };
}

/** Seconds until a pod crosses minReadySeconds (availableReplicas changes with no event); undefined if none will. */
export function statusRecheckAfterSeconds(set: StatusSetView, pods: readonly PodView[], now: Instant): number | undefined {
  const next = nextAvailability(pods, set.updateStrategy.minReadySeconds, now);
  return next === undefined ? undefined : secondsUntil(next, toMillis(now));
}

/** Same JSON meaning (key order and undefined members ignored): write the status only when false. */
export function statusEqual(a: SetStatus | undefined, b: SetStatus | undefined): boolean {
  return jsonEqual(a ?? null, b ?? null);
}

/**
 * True when `next` differs from `current` in replica counts only (not the
 * generation, selector, revisions or conditions): a change that may wait for
 * the set's next status write instead of taking one of its own.
 */
export function onlyCountsChanged(current: SetStatus | undefined, next: SetStatus): boolean {
  if (current === undefined) return false;
  return (
    current.observedGeneration === next.observedGeneration &&
    current.labelSelector === next.labelSelector &&
    current.currentRevision === next.currentRevision &&
    current.updateRevision === next.updateRevision &&
    jsonEqual(current.conditions ?? [], next.conditions)
  );
}

function nextConditions(options: StatusOptions, now: string): SetCondition[] {
  const existing = [...(options.conditions ?? [])];
  const failure = options.replicaFailure;
  if (failure === undefined) return existing;
  const others = existing.filter((c) => c.type !== REPLICA_FAILURE);
  if (failure === null) return others;
  const previous = existing.find((c) => c.type === REPLICA_FAILURE);
  const since = previous?.status === 'True' && previous.lastTransitionTime !== undefined ? previous.lastTransitionTime : now;
  return [
    ...others,
    { type: REPLICA_FAILURE, status: 'True', reason: failure.reason ?? 'FailedCreate', message: failure.message, lastTransitionTime: since },
  ];
}

function toIso(now: Instant): string {
  return new Date(toMillis(now)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
