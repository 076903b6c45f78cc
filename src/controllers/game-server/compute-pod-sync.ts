// GameServer spec → what its pod must carry (OKG SyncGsToPod, okg.md §2.6 step 3).
//
// The result is a strategic-merge-patch body for the pod (send it as
// `application/strategic-merge-patch+json`: `spec.containers` merges by name,
// so only the listed images change and only those containers restart in place;
// as a JSON merge patch it would replace the container list). Labels and
// annotations are only ever added or changed, never removed (as OKG).
// A terminating pod (deletionTimestamp set) gets only its state label
// (gs-state=Deleting, as OKG writes it: OKG's external scaler and ops scripts
// select on it); its ops labels, annotations and images are left, since it
// cannot come back.
import {
  GS_DELETE_PRIORITY_LABEL,
  GS_NETWORK_DISABLED_LABEL,
  GS_OPS_STATE_LABEL,
  GS_OPS_STATE_LAST_CHANGED_ANNOTATION,
  GS_STATE_LABEL,
  GS_STATE_LAST_CHANGED_ANNOTATION,
  GS_SYNC_PREFIX,
  GS_UPDATE_PRIORITY_LABEL,
  GS_UPDATING_CONTAINERS_ANNOTATION,
} from './keys.js';
import { labelValueProblem } from './label-syntax.js';
import { formatTime } from './time.js';
import type { GameServerEvent, GameServerLike, GameServerState, IntOrString, PodLike } from './types.js';

export interface PodSyncPatch {
  /** An annotation set to null is removed (strategic merge). */
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string | null> };
  spec?: { containers: { name: string; image: string }[] };
}

export interface PodSyncPlan {
  /** The patch body, or null when the pod already carries everything. */
  patch: PodSyncPatch | null;
  /** Warnings for values that cannot go onto the pod (the rest of the patch still applies). */
  warnings: GameServerEvent[];
}

export interface PodSyncInput {
  gs: GameServerLike;
  pod: PodLike;
  /** The state computed from the pod (computeState). */
  state: GameServerState;
  now: Date;
  /** Images of the set's template, by container name (annotation gs-updating-containers); omit when the set is unknown. */
  templateImages?: Readonly<Record<string, string>> | undefined;
}

export const INVALID_POD_LABEL_REASON = 'InvalidPodLabel';
export const UNKNOWN_CONTAINER_REASON = 'UnknownContainerOverride';

/** The ops labels a GameServer spec maps to, without the state (OKG creation defaults fill gaps: None, 0, 0, false). */
export function opsLabelsOf(spec: GameServerLike['spec']): Record<string, string> {
  return {
    [GS_OPS_STATE_LABEL]: spec?.opsState || 'None',
    [GS_UPDATE_PRIORITY_LABEL]: priorityString(spec?.updatePriority),
    [GS_DELETE_PRIORITY_LABEL]: priorityString(spec?.deletionPriority),
    [GS_NETWORK_DISABLED_LABEL]: spec?.networkDisabled === true ? 'true' : 'false',
  };
}

/** The ops labels and the state label a GameServer's pod carries. */
export function desiredOpsLabels(gs: GameServerLike, state: GameServerState): Record<string, string> {
  return { ...opsLabelsOf(gs.spec), [GS_STATE_LABEL]: state };
}

/**
 * The annotation gs-updating-containers as it should be (okg.md §2.6 step 3):
 * during PreUpdate, the pod's containers whose image is not the template's
 * (comma-separated, in pod order); kept as it is while Updating (the patch
 * already changed the images); null (removed) in any other state once
 * present; undefined: leave it.
 */
export function updatingContainers(input: Pick<PodSyncInput, 'pod' | 'state' | 'templateImages'>): string | null | undefined {
  const present = input.pod.metadata?.annotations?.[GS_UPDATING_CONTAINERS_ANNOTATION] !== undefined;
  if (input.state === 'Updating') return undefined;
  if (input.state !== 'PreUpdate') return present ? null : undefined;
  const template = input.templateImages;
  if (template === undefined) return undefined;
  const names = (input.pod.spec?.containers ?? []).filter((c) => template[c.name] !== undefined && template[c.name] !== c.image).map((c) => c.name);
  return names.length > 0 ? names.join(',') : present ? null : undefined;
}

export function priorityString(value: IntOrString | null | undefined): string {
  return value === undefined || value === null || value === '' ? '0' : String(value);
}

export function computePodSync(input: PodSyncInput): PodSyncPlan {
  const { gs, pod } = input;
  if (pod.metadata?.deletionTimestamp) return terminatingPodSync(input);
  const podLabels = pod.metadata?.labels ?? {};
  const podAnnotations = pod.metadata?.annotations ?? {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string | null> = {};
  const warnings: GameServerEvent[] = [];
  const now = formatTime(input.now);

  const wanted: Record<string, string> = { ...desiredOpsLabels(gs, input.state) };
  for (const [key, value] of Object.entries(gs.metadata?.labels ?? {})) {
    if (key.startsWith(GS_SYNC_PREFIX)) wanted[key] = value;
  }
  for (const [key, value] of Object.entries(wanted)) {
    if (podLabels[key] === value) continue;
    const problem = labelValueProblem(value);
    if (problem !== undefined) {
      warnings.push({ type: 'Warning', reason: INVALID_POD_LABEL_REASON, message: `cannot set pod label ${key}=${JSON.stringify(value)}: ${problem}` });
      continue;
    }
    labels[key] = value;
  }
  if (GS_OPS_STATE_LABEL in labels) annotations[GS_OPS_STATE_LAST_CHANGED_ANNOTATION] = now;
  if (GS_STATE_LABEL in labels && podLabels[GS_STATE_LABEL]) annotations[GS_STATE_LAST_CHANGED_ANNOTATION] = now;

  for (const [key, value] of Object.entries(gs.metadata?.annotations ?? {})) {
    if (key.startsWith(GS_SYNC_PREFIX) && podAnnotations[key] !== value) annotations[key] = value;
  }

  const updating = updatingContainers(input);
  if (updating !== undefined && (podAnnotations[GS_UPDATING_CONTAINERS_ANNOTATION] ?? null) !== updating) annotations[GS_UPDATING_CONTAINERS_ANNOTATION] = updating;

  const containers: { name: string; image: string }[] = [];
  const podContainers = pod.spec?.containers ?? [];
  for (const override of gs.spec?.containers ?? []) {
    if (!override.image) continue;
    const current = podContainers.find((c) => c.name === override.name);
    if (current === undefined) {
      warnings.push({ type: 'Warning', reason: UNKNOWN_CONTAINER_REASON, message: `spec.containers names ${override.name}, which the pod does not have` });
    } else if (current.image !== override.image) {
      containers.push({ name: override.name, image: override.image });
    }
  }

  const metadata: NonNullable<PodSyncPatch['metadata']> = {};
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const patch: PodSyncPatch = {};
  if (metadata.labels || metadata.annotations) patch.metadata = metadata;
  if (containers.length > 0) patch.spec = { containers };
  return { patch: patch.metadata || patch.spec ? patch : null, warnings };
}

/** A terminating pod's one write: its state label (Deleting), with its change time. */
function terminatingPodSync({ pod, state, now }: PodSyncInput): PodSyncPlan {
  const previous = pod.metadata?.labels?.[GS_STATE_LABEL];
  if (previous === state) return { patch: null, warnings: [] };
  const annotations = previous ? { [GS_STATE_LAST_CHANGED_ANNOTATION]: formatTime(now) } : undefined;
  return { patch: { metadata: { labels: { [GS_STATE_LABEL]: state }, ...(annotations ? { annotations } : {}) } }, warnings: [] };
}
