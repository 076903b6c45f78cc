// The act half of scaling and updating: runs the scale planner, and when the
// set has no scale work in flight, the update planner, and carries out their
// plans through the actions. The caller has checked the expectations.
import type { ReclaimPolicy } from '../../api/pod-template.js';
import type { CachedClaim, CachedObject, CachedPod } from '../shared/informers.js';
import { createPods, type CreateFailure, type PodToCreate } from './actions/create-pods.js';
import { deletePods, type PodToDelete } from './actions/delete-pods.js';
import type { ActionDeps, SetTarget } from './actions/deps.js';
import { lowerReplicasAfterKill, writeReserveIds } from './actions/patch-spec.js';
import { startInPlaceUpdates } from './actions/update-in-place.js';
import { planScale, planUpdate, rememberMembers, revisionsForNewPods, type NodeView, type PodView } from './plan/index.js';
import type { RevisionState } from './revisions.js';
import { containerOverrides } from './views.js';

/** How soon a pass that found a foreign pod on a planned ordinal plans again. */
const REPLAN_SECONDS = 0.1;

export interface SyncPodsInput {
  readonly pods: readonly PodView[];
  readonly podOf: (name: string) => CachedPod | undefined;
  readonly gameServerOf: (name: string) => CachedObject | undefined;
  readonly claimOf: (name: string) => CachedClaim | undefined;
  readonly revisions: RevisionState;
  readonly reclaimPolicy: ReclaimPolicy;
  readonly nodes: readonly NodeView[];
  readonly nodeLossTimeoutSeconds: number | undefined;
  readonly nowMs: number;
  /** Ids the set held after the previous reconcile (undefined after a restart). */
  readonly members: ReadonlySet<number> | undefined;
}

export interface SyncPodsOutcome {
  /** The spec was written back (Kill, ReserveIds): the reconcile stops, the update event brings it back. */
  readonly specWritten: boolean;
  /** Ids the set holds after this pass, for the next one. */
  readonly members: ReadonlySet<number>;
  readonly createFailures: readonly CreateFailure[];
  /** Names the update planner wants updated in place (undefined: it did not run). */
  readonly plannedInPlace?: ReadonlySet<string>;
  readonly recheckAfterSeconds?: number;
}

export async function syncPods(deps: ActionDeps, target: SetTarget, input: SyncPodsInput): Promise<SyncPodsOutcome> {
  const { view: set } = target;
  const { pods, revisions, nowMs } = input;
  const remembered = rememberMembers(input.members, set, pods);
  const occupied = deps.occupied.of(target.key);
  const scale = planScale(set, pods, { now: nowMs, nodes: input.nodes, nodeLossTimeoutSeconds: input.nodeLossTimeoutSeconds, members: remembered, occupied });
  if (scale.replicasAfterKill !== undefined) {
    await lowerReplicasAfterKill(deps, target, scale.replicasAfterKill);
    return { specWritten: true, members: remembered, createFailures: [] };
  }
  if (scale.reserveIdsAfter !== undefined) {
    await writeReserveIds(deps, target, scale.reserveIdsAfter);
    return { specWritten: true, members: remembered, createFailures: [] };
  }
  const released = scale.delete.filter((d) => d.reason !== 'PodFailed').map((d) => d.ordinal);
  const members = rememberMembers(remembered, set, pods, released);

  const uidOf = new Map(pods.map((pod) => [pod.name, pod.uid]));
  const deletions: PodToDelete[] = [
    ...scale.delete.map((d) => ({
      name: d.name,
      uid: uidOf.get(d.name) ?? '',
      ordinal: d.ordinal,
      reason: d.reason,
      deleteClaims: d.deleteClaims,
      releaseGameServer: input.reclaimPolicy === 'Delete' && d.reason !== 'PodFailed',
    })),
    ...scale.evict.map((e) => ({ name: e.name, uid: uidOf.get(e.name) ?? '', ordinal: -1, reason: `NodeLost ${e.nodeName}`, force: e.force })),
  ];
  const toCreate: PodToCreate[] = revisionsForNewPods(set, pods, scale.create, revisions).map(({ ordinal, revision }) => {
    const stored = revisions.templates.get(revision);
    const chosen = stored === undefined ? revisions.updateRevision : revision;
    const template = stored ?? revisions.templates.get(revisions.updateRevision) ?? set.template;
    return { ordinal, revision: chosen, template, overrides: containerOverrides(input.gameServerOf(`${set.name}-${ordinal}`)) };
  });
  const createFailures = toCreate.length > 0 ? await createPods(deps, target, toCreate, input.claimOf) : [];
  if (deletions.length > 0) await deletePods(deps, target, deletions);
  if (toCreate.length > 0 || deletions.length > 0) {
    // An ordinal found held by a foreign pod this pass: plan again at once, around it.
    const recheck = deps.occupied.of(target.key).size > occupied.size ? REPLAN_SECONDS : scale.recheckAfterSeconds;
    return { specWritten: false, members, createFailures, ...(recheck === undefined ? {} : { recheckAfterSeconds: recheck }) };
  }

  const update = planUpdate(set, pods, revisions, nowMs);
  for (const blocked of update.blocked) {
    deps.recorder.warning(target.object, 'InPlaceUpdateBlocked', `Pod ${blocked.name} cannot be updated in place (${blocked.reason}) and podUpdatePolicy is InPlaceOnly`);
  }
  if (update.recreate.length > 0) {
    await deletePods(
      deps,
      target,
      update.recreate.map((name) => ({ name, uid: uidOf.get(name) ?? '', ordinal: -1, reason: `Update to ${revisions.updateRevision}` })),
    );
  }
  const graceRecheck = await startInPlaceUpdates(deps, target, update.inPlace, input.podOf, nowMs);
  const recheck = earliest(earliest(scale.recheckAfterSeconds, update.recheckAfterSeconds), graceRecheck);
  return {
    specWritten: false,
    members,
    createFailures,
    plannedInPlace: new Set(update.inPlace.map((u) => u.name)),
    ...(recheck === undefined ? {} : { recheckAfterSeconds: recheck }),
  };
}

export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
