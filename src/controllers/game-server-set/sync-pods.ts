// The act half of scaling and updating: runs the scale planner, and when the
// set has no scale work in flight, the update planner, and carries out their
// plans through the actions, each deletion and in-place update through the
// set's lifecycle hooks (plan-lifecycle.ts). The caller has checked the
// expectations.
import type { ReclaimPolicy } from '../../api/pod-template.js';
import type { CachedClaim, CachedObject, CachedPod } from '../shared/informers.js';
import { createPods, type CreateFailure, type PodToCreate } from './actions/create-pods.js';
import { deletePods, type PodToDelete } from './actions/delete-pods.js';
import type { ActionDeps, SetTarget } from './actions/deps.js';
import { lowerReplicasAfterKill, writeReserveIds } from './actions/patch-spec.js';
import { startInPlaceUpdates } from './actions/update-in-place.js';
import { applyLifecycleWrites } from './actions/lifecycle-writes.js';
import { keepGameServers } from './actions/keep-game-servers.js';
import {
  gameServersToKeep,
  gateInPlaceUpdates,
  planLifecycleSweep,
  podName,
  planScale,
  planUpdate,
  rememberMembers,
  revisionsForNewPods,
  splitDeletions,
  type NodeView,
  type PodView,
} from './plan/index.js';
import type { RevisionState } from './revisions.js';
import { containerOverrides } from './views.js';

/** How soon a pass that found a foreign pod on a planned ordinal plans again. */
const REPLAN_SECONDS = 0.1;

export interface SyncPodsInput {
  readonly pods: readonly PodView[];
  readonly podOf: (name: string) => CachedPod | undefined;
  readonly gameServerOf: (name: string) => CachedObject | undefined;
  /** The pod's view from the cache as it is now (not as this pass read it), for last-moment checks. */
  readonly currentView: (name: string) => PodView | undefined;
  readonly claimOf: (name: string) => CachedClaim | undefined;
  readonly revisions: RevisionState;
  readonly reclaimPolicy: ReclaimPolicy;
  readonly nodes: readonly NodeView[];
  readonly nodeLossTimeoutSeconds: number | undefined;
  readonly nowMs: number;
  /** Ids the set held after the previous reconcile (undefined after a restart). */
  readonly members: ReadonlySet<number> | undefined;
  /**
   * Most pods this pass creates, and most it deletes or updates (in plan
   * order: the deletions the scale planner ranks first go first). The rest
   * are planned again next pass, from the cache as it is then.
   */
  readonly batchSize: number;
}

/** A pass that left work for the next one looks again this soon (behind the other keys waiting). */
const CAPPED_RECHECK_SECONDS = 1;

export interface SyncPodsOutcome {
  /** The spec was written back (Kill, ReserveIds): the reconcile stops, the update event brings it back. */
  readonly specWritten: boolean;
  /** Ids the set holds after this pass, for the next one. */
  readonly members: ReadonlySet<number>;
  readonly createFailures: readonly CreateFailure[];
  /** Names the update planner wants updated in place (undefined: it did not run). */
  readonly plannedInPlace?: ReadonlySet<string>;
  readonly recheckAfterSeconds?: number;
  /** Excess rooms the scale-down kept because their opsState is protected (0: none). */
  readonly scaleDownBlocked?: number;
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
  const { batchSize } = input;
  const scaleDeletes = scale.delete.slice(0, batchSize);
  const released = scaleDeletes.filter((d) => d.reason !== 'PodFailed').map((d) => d.ordinal);
  const members = rememberMembers(remembered, set, pods, released);

  const byName = new Map(pods.map((pod) => [pod.name, pod]));
  const uidOf = (name: string): string => byName.get(name)?.uid ?? '';
  // Pods the set wants gone are deleted, or wait in PreparingDelete while a preDelete hook holds them.
  const condemned = splitDeletions(set.lifecycle, scaleDeletes.map((d) => byName.get(d.name)).filter((p): p is PodView => p !== undefined));
  const deleteNow = new Set(condemned.delete.map((pod) => pod.name));
  const sweep = planLifecycleSweep(set.lifecycle, pods, revisions.updateRevision);
  const evicted = new Set(scale.evict.map((e) => e.name));
  const allDeletions: PodToDelete[] = [
    ...scaleDeletes
      .filter((d) => deleteNow.has(d.name))
      .map((d) => ({
        name: d.name,
        uid: uidOf(d.name),
        ordinal: d.ordinal,
        reason: d.reason,
        deleteClaims: d.deleteClaims,
        releaseGameServer: input.reclaimPolicy === 'Delete' && d.reason !== 'PodFailed',
        ...(d.reason === 'ScaleDown' ? { stillWanted: () => sameDeletionRank(byName.get(d.name), input.currentView(d.name)) } : {}),
      })),
    // A PreparingDelete pod's id leaves the set: its replacement took another one.
    ...sweep.release.filter((pod) => !evicted.has(pod.name)).map((pod) => ({
      name: pod.name,
      uid: pod.uid,
      ordinal: pod.ordinal,
      reason: 'PreDeleteHookReleased',
      deleteClaims: set.persistentVolumeClaimRetentionPolicy.whenScaled === 'Delete',
      releaseGameServer: input.reclaimPolicy === 'Delete',
    })),
    ...scale.evict.map((e) => ({ name: e.name, uid: uidOf(e.name), ordinal: -1, reason: `NodeLost ${e.nodeName}`, force: e.force })),
  ];
  const deletions = allDeletions.slice(0, batchSize);
  const allCreations: PodToCreate[] = revisionsForNewPods(set, pods, scale.create, revisions).map(({ ordinal, revision }) => {
    const stored = revisions.templates.get(revision);
    const chosen = stored === undefined ? revisions.updateRevision : revision;
    const template = stored ?? revisions.templates.get(revisions.updateRevision) ?? set.template;
    const gameServer = input.gameServerOf(podName(set.name, ordinal));
    return { ordinal, revision: chosen, template, overrides: containerOverrides(gameServer), stampOpsLabels: gameServer === undefined };
  });
  const toCreate = allCreations.slice(0, batchSize);
  const capped = toCreate.length < allCreations.length || deletions.length < allDeletions.length || scaleDeletes.length < scale.delete.length;
  const createFailures = toCreate.length > 0 ? await createPods(deps, target, toCreate, input.claimOf) : [];
  if (input.reclaimPolicy === 'Delete') {
    const leaving = new Set([...deletions.map((d) => d.name), ...condemned.prepare.map((w) => w.name)]);
    const staying = pods.filter((p) => !p.deleting && p.lifecycleState !== 'PreparingDelete' && !leaving.has(p.name));
    const held = [...staying.map((p) => p.name), ...toCreate.map((c) => podName(set.name, c.ordinal))];
    const keep = gameServersToKeep(held, (name) => input.gameServerOf(name)?.metadata?.labels);
    if (keep.length > 0) await keepGameServers(deps, target, keep);
  }
  if (deletions.length > 0) await deletePods(deps, target, deletions);
  const busy = new Set([...deletions.map((d) => d.name), ...condemned.prepare.map((w) => w.name)]);
  await applyLifecycleWrites(deps, target, [...condemned.prepare, ...sweep.writes.filter((w) => !busy.has(w.name))], input.podOf, nowMs);
  const scaleDownBlocked = scale.scaleDownBlocked ?? 0;
  if (toCreate.length > 0 || deletions.length > 0 || condemned.prepare.length > 0) {
    // An ordinal found held by a foreign pod this pass: plan again at once, around it.
    const replan = deps.occupied.of(target.key).size > occupied.size ? REPLAN_SECONDS : undefined;
    const recheck = earliest(earliest(scale.recheckAfterSeconds, capped ? CAPPED_RECHECK_SECONDS : undefined), replan);
    return { specWritten: false, members, createFailures, scaleDownBlocked, ...(recheck === undefined ? {} : { recheckAfterSeconds: recheck }) };
  }

  const update = planUpdate(set, pods, revisions, nowMs);
  for (const blocked of update.blocked) {
    deps.recorder.warning(target.object, 'InPlaceUpdateBlocked', `Pod ${blocked.name} cannot be updated in place (${blocked.reason}) and podUpdatePolicy is InPlaceOnly`);
  }
  const recreating = update.recreate.slice(0, batchSize);
  const recreate = splitDeletions(set.lifecycle, recreating.map((name) => byName.get(name)).filter((p): p is PodView => p !== undefined));
  if (recreate.delete.length > 0) {
    await deletePods(
      deps,
      target,
      recreate.delete.map((pod) => ({ name: pod.name, uid: pod.uid, ordinal: -1, reason: `Update to ${revisions.updateRevision}` })),
    );
  }
  const inPlace = update.inPlace.slice(0, batchSize);
  const updateCapped = recreating.length < update.recreate.length || inPlace.length < update.inPlace.length;
  const gate = gateInPlaceUpdates(set.lifecycle, byName, inPlace);
  await applyLifecycleWrites(deps, target, [...recreate.prepare, ...gate.writes], input.podOf, nowMs);
  const graceRecheck = await startInPlaceUpdates(deps, target, gate.proceed, input.podOf, nowMs);
  const recheck = earliest(
    earliest(earliest(scale.recheckAfterSeconds, update.recheckAfterSeconds), graceRecheck),
    updateCapped ? CAPPED_RECHECK_SECONDS : undefined,
  );
  return {
    specWritten: false,
    members,
    createFailures,
    plannedInPlace: new Set(update.inPlace.map((u) => u.name)),
    scaleDownBlocked,
    ...(recheck === undefined ? {} : { recheckAfterSeconds: recheck }),
  };
}

/**
 * A scale-down victim is still the one to delete while its room's ops fields
 * are as they were when it was chosen (a room marked Allocated, or given a
 * lower deletion priority, while its deletion waited in the client's queue is
 * spared; the next pass chooses again). A pod gone from the cache: the
 * deletion goes ahead and finds it gone.
 */
export function sameDeletionRank(planned: PodView | undefined, now: PodView | undefined): boolean {
  if (planned === undefined || now === undefined) return true;
  return planned.opsState === now.opsState && planned.deletionPriority === now.deletionPriority && planned.uid === now.uid;
}

export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
