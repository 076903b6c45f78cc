// The GameServer state label a pod write of this controller leads to.
//
// The GameServer controller mirrors each room's state onto its pod
// (game.kruise.io/gs-state, with state-last-changed-time), computed from the
// pod (game-server/compute-state.ts). The steps of an in-place update are
// pod writes of this controller that move that state (Ready → PreUpdate →
// Updating → Ready): each carries the label as the GameServer controller
// would compute it from the pod as the write leaves it, so that controller
// finds the label right and writes only the GameServer's status. It still
// owns the label: it computes the state from the pod it sees and corrects a
// label that disagrees (the pod moved again meanwhile).
//
// A new pod needs no label patch at all: it is created with the ops labels
// its GameServer will be built with (newPodOpsStamp), and the write that opens
// its readiness gates once it runs carries its first state (stateStamp).
import { ANNOTATIONS, LABELS } from '../../../api/constants.js';
import { opsFieldsFromLabels } from '../../game-server/build-game-server.js';
import { opsLabelsOf } from '../../game-server/compute-pod-sync.js';
import { computeState } from '../../game-server/compute-state.js';
import type { PodConditionLike, PodLike } from '../../game-server/types.js';

export interface StateStamp {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** What a write changes on the pod, as far as the state depends on it. */
export interface PodWriteEffect {
  readonly labels?: Readonly<Record<string, string>>;
  /** Conditions set by type (strategic merge on `type`). */
  readonly conditions?: readonly PodConditionLike[];
}

/** The pod as `effect` leaves it. */
export function afterWrite<P extends PodLike>(pod: P, effect: PodWriteEffect): P {
  const metadata = { ...pod.metadata, labels: { ...pod.metadata?.labels, ...effect.labels } };
  const written = effect.conditions ?? [];
  if (written.length === 0) return { ...pod, metadata };
  const types = new Set(written.map((c) => c.type));
  const conditions = [...(pod.status?.conditions ?? []).filter((c) => !types.has(c.type)), ...written];
  return { ...pod, metadata, status: { ...pod.status, conditions } };
}

/**
 * The state label (and its change time, when an earlier state is replaced,
 * as the GameServer controller writes it) that `effect` on `pod` should
 * carry; empty when the pod's label already says it.
 */
export function stateStamp(pod: PodLike, effect: PodWriteEffect, now: string): StateStamp {
  const state = computeState(afterWrite(pod, effect));
  const previous = pod.metadata?.labels?.[LABELS.gsState];
  if (previous === state) return { labels: {}, annotations: {} };
  return {
    labels: { [LABELS.gsState]: state },
    annotations: previous ? { [ANNOTATIONS.stateLastChangedTime]: now } : {},
  };
}

/**
 * The ops labels (gs-opsState, gs-update-priority, gs-delete-priority,
 * network-disabled) and opsState-last-changed-time a pod created with
 * `labels` and no GameServer yet gets at creation: what its GameServer,
 * built from those labels (OKG's creation defaults None / 0 / 0 / false
 * where they have none), makes the GameServer controller write on it.
 */
export function newPodOpsStamp(labels: Readonly<Record<string, string>>, now: string): StateStamp {
  return {
    labels: opsLabelsOf(opsFieldsFromLabels(labels)),
    annotations: { [ANNOTATIONS.opsStateLastChangedTime]: now },
  };
}
