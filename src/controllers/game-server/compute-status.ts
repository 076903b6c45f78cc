// Pod, node and volume facts + previous status + service-quality conditions →
// the next GameServer status (OKG SyncPodToGs status part, okg.md §2.6 step 5).
//
// Decisions:
// - currentState is computed from the pod here (OKG copies the pod's gs-state
//   label, one reconcile behind);
// - updatePriority/deletionPriority are the pod's label values as strings (what
//   the GameServerSet planners act on, as OKG), falling back to the spec value
//   while the pod does not carry the label yet;
// - lastTransitionTime moves when currentState changes (OKG moves it on any
//   status change, which makes it churn with podStatus);
// - podStatus is a trimmed copy (summarizePodStatus), not the whole PodStatus;
// - networkStatus comes from the network plugin's pod annotation
//   (network/game-server-network.ts).
import { computeGameServerNetwork } from '../network/game-server-network.js';
import { computeConditions } from './compute-conditions.js';
import { priorityString } from './compute-pod-sync.js';
import { computeState } from './compute-state.js';
import { GS_DELETE_PRIORITY_LABEL, GS_UPDATE_PRIORITY_LABEL } from './keys.js';
import { formatTime, formatTimestamp } from './time.js';
import type {
  ContainerStatusLike,
  ContainerStatusSummary,
  GameServerLike,
  GameServerStatus,
  GameServerStatusLike,
  NodeLike,
  PersistentVolumeClaimLike,
  PersistentVolumeLike,
  PodLike,
  PodStatusSummary,
  ServiceQualityCondition,
} from './types.js';

export interface StatusInput {
  gs: GameServerLike;
  pod: PodLike;
  node?: NodeLike;
  pvcs: ReadonlyMap<string, PersistentVolumeClaimLike>;
  pvs?: ReadonlyMap<string, PersistentVolumeLike>;
  /** From computeServiceQualities, in the order of the set's serviceQualities. */
  serviceQualitiesConditions: readonly ServiceQualityCondition[];
  now: Date;
}

export function computeStatus(input: StatusInput): GameServerStatus {
  const previous = input.gs.status ?? {};
  const currentState = computeState(input.pod);
  const labels = input.pod.metadata?.labels ?? {};
  const spec = input.gs.spec ?? {};
  const { conditions } = computeConditions({
    pod: input.pod,
    ...(input.node ? { node: input.node } : {}),
    pvcs: input.pvcs,
    ...(input.pvs ? { pvs: input.pvs } : {}),
    previous: previous.conditions ?? [],
    now: input.now,
  });
  const lastTransitionTime =
    previous.currentState === currentState && previous.lastTransitionTime ? previous.lastTransitionTime : formatTime(input.now);

  const status: GameServerStatus = {
    desiredState: 'Ready',
    currentState,
    podStatus: summarizePodStatus(input.pod),
    updatePriority: labels[GS_UPDATE_PRIORITY_LABEL] ?? priorityString(spec.updatePriority),
    deletionPriority: labels[GS_DELETE_PRIORITY_LABEL] ?? priorityString(spec.deletionPriority),
    lastTransitionTime,
    conditions,
  };
  if (input.serviceQualitiesConditions.length > 0) status.serviceQualitiesConditions = [...input.serviceQualitiesConditions];
  const networkStatus = computeGameServerNetwork(previous.networkStatus, input.pod.metadata?.annotations, spec.networkDisabled === true, formatTime(input.now));
  if (networkStatus !== undefined) status.networkStatus = networkStatus;
  return status;
}

/** A small copy of the pod status: phase, IPs, conditions (messages only when not True), container summaries. */
export function summarizePodStatus(pod: PodLike): PodStatusSummary {
  const status = pod.status ?? {};
  const summary: PodStatusSummary = {};
  if (status.phase) summary.phase = status.phase;
  if (status.reason) summary.reason = status.reason;
  if (status.message) summary.message = status.message;
  if (status.podIP) summary.podIP = status.podIP;
  if (status.hostIP) summary.hostIP = status.hostIP;
  const startTime = formatTimestamp(status.startTime);
  if (startTime) summary.startTime = startTime;
  if (status.conditions?.length) {
    summary.conditions = status.conditions.map((c) => {
      const lastTransitionTime = formatTimestamp(c.lastTransitionTime);
      return {
        type: c.type,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message && c.status !== 'True' ? { message: c.message } : {}),
        ...(lastTransitionTime ? { lastTransitionTime } : {}),
      };
    });
  }
  if (status.containerStatuses?.length) summary.containerStatuses = status.containerStatuses.map(summarizeContainer);
  return summary;
}

function summarizeContainer(s: ContainerStatusLike): ContainerStatusSummary {
  const out: ContainerStatusSummary = { name: s.name, ready: s.ready, restartCount: s.restartCount, image: s.image };
  if (s.imageID) out.imageID = s.imageID;
  const state = s.state;
  if (state?.running) {
    const startedAt = formatTimestamp(state.running.startedAt);
    out.state = { running: startedAt ? { startedAt } : {} };
  } else if (state?.waiting) {
    out.state = { waiting: state.waiting.reason ? { reason: state.waiting.reason } : {} };
  } else if (state?.terminated) {
    const t = state.terminated;
    out.state = { terminated: { exitCode: t.exitCode, ...(t.reason ? { reason: t.reason } : {}) } };
  }
  return out;
}

/** True when writing `next` would not change `previous` (JSON semantics: undefined and null fields are absent). */
export function statusEqual(previous: GameServerStatusLike | undefined, next: GameServerStatus): boolean {
  return sameJson(previous ?? {}, next);
}

/**
 * The most important thing writing `next` over `previous` would change:
 * nothing; only the podStatus mirror (which the kubelet moves several times
 * during one container restart); the conditions; or what the server is
 * (state, priorities, service qualities, network).
 */
export type StatusChange = 'none' | 'podStatus' | 'conditions' | 'state';

export function statusChange(previous: GameServerStatusLike | undefined, next: GameServerStatus): StatusChange {
  if (statusEqual(previous, next)) return 'none';
  const { podStatus: _previousPodStatus, conditions: previousConditions, ...previousRest } = previous ?? {};
  const { podStatus: _nextPodStatus, conditions: nextConditions, ...nextRest } = next;
  if (!sameJson(previousRest, nextRest)) return 'state';
  return sameJson(previousConditions ?? [], nextConditions ?? []) ? 'podStatus' : 'conditions';
}

/**
 * Whether `a` and `b` serialize to the same JSON, a field that is undefined
 * or null counting as absent (the API server drops nulls of a merged
 * status), and a Date as its JSON string. Compared in place: this runs for
 * every reconcile of every server, and a JSON round trip of both sides was
 * the GameServer controller's largest cost in a profile of an in-place
 * update of 1000 rooms.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date) return sameJson(a.toJSON(), b);
  if (b instanceof Date) return sameJson(a, b.toJSON());
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item, b[i]));
  }
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  let present = 0;
  for (const key of Object.keys(aRecord)) {
    const value = aRecord[key];
    if (value === undefined || value === null) continue;
    present++;
    if (!sameJson(value, bRecord[key])) return false;
  }
  for (const key of Object.keys(bRecord)) {
    const value = bRecord[key];
    if (value !== undefined && value !== null) present--;
  }
  return present === 0;
}
