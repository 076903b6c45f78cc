// Which pods update next: the pure rolling-update planner (okg.md §2.5, the
// Kruise Advanced StatefulSet semantics OKG delegated to). Also which revision
// a newly created pod gets while a partitioned rollout is in progress.
import { scaledIntOrPercent } from '../../../api/int-or-string.js';
import { compareForUpdate } from './delete-order.js';
import { imageOnlyChanges, type ImageChange } from './in-place-diff.js';
import { opsStateIn } from './ops-state-list.js';
import { groupPods, isAvailable, isFinished, nextAvailability, reservedOrdinals } from './pod-facts.js';
import { secondsUntil, toMillis } from './time.js';
import type { Instant, PodTemplateView, PodView, SetView } from './types.js';

export type UpdateSetView = Pick<SetView, 'name' | 'replicas' | 'reserveGameServerIds' | 'updateStrategy' | 'updateOpsStates'>;

export interface RevisionTemplates {
  /** Name of the update revision (the one the set's template hashes to). */
  readonly updateRevision: string;
  /** The pod template stored in each known ControllerRevision, by revision name. */
  readonly templates: ReadonlyMap<string, PodTemplateView>;
}

export interface InPlaceUpdate {
  readonly name: string;
  /** Revision label value to write with the patch. */
  readonly revision: string;
  /**
   * Container images to patch. Containers with a GameServer image override are
   * left out; an empty list means only the revision label changes.
   */
  readonly containers: readonly ImageChange[];
}

export type BlockedReason = 'NotInPlaceUpdatable' | 'RevisionUnknown';

export interface UpdatePlan {
  /** Pods to delete; the scale planner recreates them on the update revision. */
  readonly recreate: readonly string[];
  readonly inPlace: readonly InPlaceUpdate[];
  /** InPlaceOnly pods that cannot be updated in place; they stay as they are. */
  readonly blocked: readonly { readonly name: string; readonly reason: BlockedReason }[];
  /** Seconds until a pod reaches minReadySeconds, when the rollout waits for it. */
  readonly recheckAfterSeconds?: number;
}

const NOTHING: UpdatePlan = { recreate: [], inPlace: [], blocked: [] };

/**
 * Plans one rolling-update step. `partition` old pods stay old; the rest go
 * in order of higher updatePriority, then higher ordinal. At most
 * maxUnavailable (int or percent of replicas, rounded down, at least 1) pods
 * may be unavailable: not Running and Ready for minReadySeconds, updating in
 * place, or missing (an ordinal being recreated). Like Kruise, the walk stops
 * at the first pod that would exceed the budget; a pod that is already
 * unavailable may always be updated. `paused` and `OnDelete` plan nothing.
 */
export function planUpdate(
  set: UpdateSetView,
  pods: readonly PodView[],
  revisions: RevisionTemplates,
  now: Instant,
): UpdatePlan {
  const strategy = set.updateStrategy;
  if (strategy.type === 'OnDelete' || strategy.paused) return NOTHING;
  const { managed } = groupPods(pods, reservedOrdinals(set));
  const target = revisions.updateRevision;
  const old = managed.filter((pod) => pod.revision !== target).sort(compareForUpdate);
  // --- update idle rooms only (gamekeeper.dev/update-ops-states): as many
  // rooms as the partition allows, chosen among those whose opsState is listed;
  // the others wait until they enter a listed opsState.
  const only = set.updateOpsStates;
  const eligible = only === undefined ? old : old.filter((pod) => opsStateIn(only, pod.opsState));
  const due = eligible.slice(0, Math.max(0, old.length - strategy.partition));
  // --- end of update idle rooms only
  if (due.length === 0) return NOTHING;

  const maxUnavailable = Math.max(1, scaledIntOrPercent(strategy.maxUnavailable, set.replicas, false));
  const unavailable = new Set(
    managed
      .filter((pod) => pod.inPlaceUpdating === true || !isAvailable(pod, strategy.minReadySeconds, now))
      .map((pod) => pod.name),
  );
  const missing = Math.max(0, set.replicas - managed.length);
  const recreate: string[] = [];
  const inPlace: InPlaceUpdate[] = [];
  const blocked: { name: string; reason: BlockedReason }[] = [];
  let waited = false;

  for (const pod of due) {
    if (unavailable.size + missing >= maxUnavailable && !unavailable.has(pod.name)) {
      waited = true;
      break;
    }
    if (isFinished(pod)) continue; // the scale planner deletes and recreates it
    const action = decide(pod, revisions, strategy.podUpdatePolicy);
    if (action.kind === 'blocked') {
      blocked.push({ name: pod.name, reason: action.reason });
      continue;
    }
    if (action.kind === 'recreate') recreate.push(pod.name);
    else inPlace.push({ name: pod.name, revision: target, containers: action.containers });
    unavailable.add(pod.name);
  }

  const next = waited ? nextAvailability(managed, strategy.minReadySeconds, now) : undefined;
  const plan = { recreate, inPlace, blocked };
  return next === undefined ? plan : { ...plan, recheckAfterSeconds: secondsUntil(next, toMillis(now)) };
}

type Action =
  | { kind: 'recreate' }
  | { kind: 'inPlace'; containers: ImageChange[] }
  | { kind: 'blocked'; reason: BlockedReason };

function decide(pod: PodView, revisions: RevisionTemplates, policy: SetView['updateStrategy']['podUpdatePolicy']): Action {
  if (policy === 'ReCreate') return { kind: 'recreate' };
  const from = revisions.templates.get(pod.revision);
  const to = revisions.templates.get(revisions.updateRevision);
  const changes = from === undefined || to === undefined ? undefined : imageOnlyChanges(from, to);
  if (changes === undefined) {
    if (policy === 'InPlaceIfPossible') return { kind: 'recreate' };
    return { kind: 'blocked', reason: from === undefined || to === undefined ? 'RevisionUnknown' : 'NotInPlaceUpdatable' };
  }
  const overrides = pod.imageOverrides ?? {};
  return { kind: 'inPlace', containers: changes.filter((change) => overrides[change.name] === undefined) };
}

export interface NewPodRevisions {
  /** Revision the rollout started from (status.currentRevision, resolved). */
  readonly currentRevision: string;
  readonly updateRevision: string;
}

/**
 * The revision of each pod about to be created (Kruise isCurrentRevisionNeeded,
 * unordered variant): during a RollingUpdate a new pod keeps the current
 * revision while fewer than `partition` live pods are on an old revision, so
 * a recreated pod does not move a partitioned rollout forward. OnDelete and
 * finished rollouts create on the update revision.
 */
export function revisionsForNewPods(
  set: UpdateSetView,
  pods: readonly PodView[],
  ordinals: readonly number[],
  revisions: NewPodRevisions,
): { ordinal: number; revision: string }[] {
  const { updateRevision, currentRevision } = revisions;
  const partition = set.updateStrategy.type === 'RollingUpdate' ? set.updateStrategy.partition : 0;
  const { managed } = groupPods(pods, reservedOrdinals(set));
  let notUpdated = managed.filter((pod) => pod.revision !== updateRevision).length;
  return [...ordinals]
    .sort((a, b) => a - b)
    .map((ordinal) => {
      if (currentRevision !== updateRevision && notUpdated < partition) {
        notUpdated++;
        return { ordinal, revision: currentRevision };
      }
      return { ordinal, revision: updateRevision };
    });
}

/** Pods named in full in an InPlaceUpdate event; the rest are counted. */
export const IN_PLACE_EVENT_NAMES = 10;

/**
 * The messages of the InPlaceUpdate events for the pods whose images one
 * pass patched: one event per revision and image change rather than one per
 * pod (a rollout of 1000 rooms is a handful of events, not 1000), naming the
 * first IN_PLACE_EVENT_NAMES pods and counting the others.
 */
export function inPlaceUpdateMessages(updates: readonly InPlaceUpdate[]): string[] {
  const groups = new Map<string, { revision: string; containers: string; names: string[] }>();
  for (const update of updates) {
    const containers = update.containers.map((c) => `${c.name}=${c.image}`).join(', ');
    const key = `${update.revision}\n${containers}`;
    const group = groups.get(key) ?? { revision: update.revision, containers, names: [] };
    group.names.push(update.name);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ revision, containers, names }) => {
    const what = containers === '' ? '' : ` (${containers})`;
    if (names.length === 1) return `updating Pod ${names[0]!} in place to revision ${revision}${what}`;
    const shown = names.slice(0, IN_PLACE_EVENT_NAMES).join(', ');
    const more = names.length > IN_PLACE_EVENT_NAMES ? ` and ${names.length - IN_PLACE_EVENT_NAMES} more` : '';
    return `updating ${names.length} Pods in place to revision ${revision}${what}: ${shown}${more}`;
  });
}
