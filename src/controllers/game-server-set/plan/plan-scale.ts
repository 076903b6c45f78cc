// Which ordinals exist: the pure scale planner of a GameServerSet (okg.md
// §2.2, §2.3, §3). The set owns its pods directly, so the live pods are the
// only record of which ids exist: a hole left by a scale-down or by an id
// taken out of reserveGameServerIds stays a hole until a scale-up needs it,
// and a scale-up fills the lowest free, non-reserved ordinals.
import type { IdRanges } from '../../../api/reserve-ids.js';
import { scaledIntOrPercent } from '../../../api/int-or-string.js';
import { compareForDeletion } from './delete-order.js';
import { opsStateIn } from './ops-state-list.js';
import { planNodeLoss, type Eviction } from './plan-node-loss.js';
import { groupPods, isAvailable, isFinished, nextAvailability, reservedOrdinals } from './pod-facts.js';
import { secondsUntil, toMillis } from './time.js';
import type { Instant, IntOrString, NodeView, PodView, SetView } from './types.js';

export type ScaleSetView = Pick<
  SetView,
  | 'name'
  | 'replicas'
  | 'reserveGameServerIds'
  | 'podManagementPolicy'
  | 'scaleStrategy'
  | 'updateStrategy'
  | 'persistentVolumeClaimRetentionPolicy'
  | 'scaleDownProtectedOpsStates'
>;

export interface ScaleContext {
  readonly now: Instant;
  /** Node facts for node-loss eviction; omit to skip it. */
  readonly nodes?: readonly NodeView[];
  /** Resolved node-loss timeout; undefined disables eviction. */
  readonly nodeLossTimeoutSeconds?: number | undefined;
  /**
   * Ids the set holds (see rememberMembers): while replicas are short, the
   * missing ones come back first, so a pod deleted by a user, an update or a
   * node loss returns under its own id even when lower holes exist.
   */
  readonly members?: ReadonlySet<number>;
  /** Ordinals held by pods that are not the set's (found when a creation answered AlreadyExists): never planned. */
  readonly occupied?: ReadonlySet<number>;
}

/** Why a pod is deleted. Only ScaleDown and ReservedOrdinal remove an id from the set. */
export type DeleteReason = 'ScaleDown' | 'ReservedOrdinal' | 'PodFailed';

export interface PodDeletion {
  readonly name: string;
  readonly ordinal: number;
  readonly reason: DeleteReason;
  /** persistentVolumeClaimRetentionPolicy.whenScaled is Delete and the id leaves the set: delete its PVCs once the pod is gone. */
  readonly deleteClaims: boolean;
}

export interface ScalePlan {
  /** Ordinals to create now, ascending. */
  readonly create: readonly number[];
  readonly delete: readonly PodDeletion[];
  /** Pods on lost nodes: delete, or force-delete when `force`. They come back on the same ordinal. */
  readonly evict: readonly Eviction[];
  /** Ordinals the set needs but does not create this pass (old pod still terminating, or paced). */
  readonly waiting: readonly number[];
  /**
   * ReserveIds back-fill: patch spec.reserveGameServerIds to this and stop. The
   * next reconcile deletes the pods on the newly reserved ordinals, so a crash
   * between the two steps loses nothing.
   */
  readonly reserveIdsAfter?: IntOrString[];
  /**
   * Kill: patch spec.replicas to this (optimistic on resourceVersion) and stop.
   * The next reconcile sees more pods than replicas and deletes the Kill pods
   * first; nothing back-fills them. Set only when the set is steady: no pod
   * terminating, none on a reserved ordinal, as many live pods as replicas.
   */
  readonly replicasAfterKill?: number;
  /** Seconds until waiting work may proceed (minReadySeconds, node-loss timers). */
  readonly recheckAfterSeconds?: number;
  /** Excess rooms a scale-down keeps because their opsState is protected (scaleDownProtectedOpsStates). */
  readonly scaleDownBlocked?: number;
}

/**
 * Plans one scale step. Parallel: every create and delete at once; when
 * scaleStrategy.maxUnavailable is set, creations stop once that many of the
 * set's pods are unavailable (not Ready for minReadySeconds, or their ordinal
 * still terminating); scale-down deletions are not paced (as Kruise).
 * OrderedReady (StatefulSet): one creation at a time, lowest ordinal first,
 * after all lower ordinals are Running and Ready; one deletion at a time,
 * highest ordinal among the condemned first, after every earlier deletion has
 * finished and every remaining pod is Running and Ready.
 */
export function planScale(set: ScaleSetView, pods: readonly PodView[], context: ScaleContext): ScalePlan {
  const reserved = reservedOrdinals(set);
  const { terminating, preparingDelete, onReserved, managed } = groupPods(pods, reserved);
  const minReady = set.updateStrategy.minReadySeconds;
  const evictions = nodeLoss(pods, context);

  const killed = managed.filter((pod) => pod.opsState === 'Kill');
  const steady = terminating.length === 0 && onReserved.length === 0 && managed.length === set.replicas;
  if (killed.length > 0 && steady) {
    return { create: [], delete: [], evict: evictions.evict, waiting: [], replicasAfterKill: set.replicas - killed.length };
  }

  const excess = Math.max(0, managed.length - set.replicas);
  // --- scale-down protection (gamekeeper.dev/scale-down-protected-ops-states):
  // protected rooms are never victims; the shortfall is reported.
  const protectedStates = set.scaleDownProtectedOpsStates;
  const deletable = protectedStates === undefined ? managed : managed.filter((pod) => !opsStateIn(protectedStates, pod.opsState));
  const victims = [...deletable].sort(compareForDeletion).slice(0, excess);
  const scaleDownBlocked = excess - victims.length;
  // --- end of scale-down protection
  const reserveIdsAfter =
    victims.length > 0 && set.scaleStrategy.scaleDownStrategyType === 'ReserveIds'
      ? reserved.with(victims.map((pod) => pod.ordinal)).toItems()
      : undefined;
  const condemned = [
    ...(reserveIdsAfter === undefined ? victims.map((pod) => ({ pod, reason: 'ScaleDown' as const })) : []),
    ...onReserved.map((pod) => ({ pod, reason: 'ReservedOrdinal' as const })),
  ];

  // A PreparingDelete pod keeps its ordinal while it lives: a replacement takes another id (OKG).
  // Ordinals held by pods that are not the set's are skipped too.
  const taken = new Set([...[...managed, ...preparingDelete].map((p) => p.ordinal), ...(context.occupied ?? [])]);
  const wanted = wantedOrdinals(set.replicas - managed.length, reserved, taken, context.members);
  const held = new Set(terminating.map((pod) => pod.ordinal));
  const ordered = set.podManagementPolicy === 'OrderedReady';
  const create = ordered
    ? orderedCreate(wanted, held, managed, minReady, context.now)
    : parallelCreate(wanted, held, managed, set, context.now);

  const victimNames = new Set(victims.map((pod) => pod.name));
  const failed = managed
    .filter((pod) => isFinished(pod) && !victimNames.has(pod.name))
    .map((pod) => ({ pod, reason: 'PodFailed' as const }));
  const toDelete = ordered
    ? orderedDelete(condemned, managed, terminating.length > 0 || wanted.length > 0, minReady, context.now)
    : condemned;
  const deleteClaims = set.persistentVolumeClaimRetentionPolicy.whenScaled === 'Delete';
  const deletions: PodDeletion[] = [...toDelete, ...failed].map(({ pod, reason }) => ({
    name: pod.name,
    ordinal: pod.ordinal,
    reason,
    deleteClaims: deleteClaims && reason !== 'PodFailed',
  }));

  const deleted = new Set(deletions.map((d) => d.name));
  const evict = evictions.evict.filter((e) => e.force || !deleted.has(e.name));
  const createdSet = new Set(create);
  const waiting = wanted.filter((ordinal) => !createdSet.has(ordinal));
  const stalled = waiting.length > 0 || toDelete.length < condemned.length;
  const recheck = earliest(
    evictions.recheckAfterSeconds,
    stalled ? recheckFor([...managed, ...onReserved], minReady, context.now) : undefined,
  );
  return {
    create,
    delete: deletions,
    evict,
    waiting,
    ...(reserveIdsAfter === undefined ? {} : { reserveIdsAfter }),
    ...(recheck === undefined ? {} : { recheckAfterSeconds: recheck }),
    ...(scaleDownBlocked > 0 ? { scaleDownBlocked } : {}),
  };
}

/** Missing members first (ascending), then the lowest free ordinals; `count` in all, ascending. */
function wantedOrdinals(count: number, reserved: IdRanges, live: ReadonlySet<number>, members: ReadonlySet<number> | undefined): number[] {
  if (count <= 0) return [];
  const missing = [...(members ?? [])].filter((o) => !reserved.has(o) && !live.has(o)).sort((a, b) => a - b).slice(0, count);
  const taken = new Set([...live, ...missing]);
  return [...missing, ...lowestFreeOrdinals(count - missing.length, reserved, taken)].sort((a, b) => a - b);
}

/**
 * The ids a set holds, carried from one reconcile to the next (pods are the
 * only record, and a deleted pod leaves none): every live, non-reserved id;
 * while replicas are short, also the ids remembered before and those of
 * terminating pods (they are being replaced); never a reserved id or one
 * `released` (deleted by a scale-down or a reservation) this pass, nor one
 * held by a PreparingDelete pod (it leaves the set). Once the
 * set is whole, only the live ids remain, so a scale-up fills the lowest holes.
 */
export function rememberMembers(
  previous: ReadonlySet<number> | undefined,
  set: Pick<SetView, 'name' | 'replicas' | 'reserveGameServerIds'>,
  pods: readonly PodView[],
  released: readonly number[] = [],
): Set<number> {
  const reserved = reservedOrdinals(set);
  const { terminating, preparingDelete, managed } = groupPods(pods, reserved);
  const members = new Set(managed.map((pod) => pod.ordinal));
  if (managed.length < set.replicas) {
    for (const ordinal of previous ?? []) members.add(ordinal);
    for (const pod of terminating) members.add(pod.ordinal);
  }
  for (const ordinal of [...members]) if (reserved.has(ordinal)) members.delete(ordinal);
  for (const pod of preparingDelete) members.delete(pod.ordinal);
  for (const ordinal of released) members.delete(ordinal);
  return members;
}

/**
 * The `count` lowest ordinals that are neither reserved nor held by a live
 * pod. Reserved ranges are stepped over whole, so the cost follows the live
 * pods and the ranges, not the size of the ranges.
 */
export function lowestFreeOrdinals(count: number, reserved: IdRanges, live: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let ordinal = reserved.nextFree(0); out.length < count; ordinal = reserved.nextFree(ordinal + 1)) {
    if (!live.has(ordinal)) out.push(ordinal);
  }
  return out;
}

function parallelCreate(
  wanted: readonly number[],
  held: ReadonlySet<number>,
  managed: readonly PodView[],
  set: ScaleSetView,
  now: Instant,
): number[] {
  const free = wanted.filter((ordinal) => !held.has(ordinal));
  const limit = set.scaleStrategy.maxUnavailable;
  if (limit === undefined) return free;
  const max = Math.max(1, scaledIntOrPercent(limit, set.replicas, false));
  const minReady = set.updateStrategy.minReadySeconds;
  const unavailable =
    managed.filter((pod) => !isAvailable(pod, minReady, now)).length + wanted.filter((o) => held.has(o)).length;
  return free.slice(0, Math.max(0, max - unavailable));
}

function orderedCreate(
  wanted: readonly number[],
  held: ReadonlySet<number>,
  managed: readonly PodView[],
  minReady: number,
  now: Instant,
): number[] {
  const first = wanted[0];
  if (first === undefined || held.has(first)) return [];
  const lowerReady = managed.every((pod) => pod.ordinal > first || isAvailable(pod, minReady, now));
  return lowerReady ? [first] : [];
}

interface Condemned {
  readonly pod: PodView;
  readonly reason: DeleteReason;
}

/** StatefulSet's monotonic scale-down: at most one deletion, and only when nothing else is in flight. */
function orderedDelete(
  condemned: readonly Condemned[],
  managed: readonly PodView[],
  busy: boolean,
  minReady: number,
  now: Instant,
): Condemned[] {
  if (busy || condemned.length === 0) return [];
  const names = new Set(condemned.map((c) => c.pod.name));
  const othersReady = managed.every((pod) => names.has(pod.name) || isAvailable(pod, minReady, now));
  if (!othersReady) return [];
  const byOrdinal = [...condemned].sort((a, b) => b.pod.ordinal - a.pod.ordinal);
  const target = byOrdinal[0];
  if (target === undefined) return [];
  // An unavailable target goes only if it is the lowest unavailable condemned pod (StatefulSet's firstUnhealthyPod).
  const lowerUnavailable = byOrdinal.some((c) => c !== target && !isAvailable(c.pod, minReady, now));
  if (!isAvailable(target.pod, minReady, now) && lowerUnavailable) return [];
  return [target];
}

function nodeLoss(pods: readonly PodView[], context: ScaleContext): { evict: readonly Eviction[]; recheckAfterSeconds?: number } {
  if (context.nodes === undefined) return { evict: [] };
  return planNodeLoss(pods, { now: context.now, nodes: context.nodes, timeoutSeconds: context.nodeLossTimeoutSeconds });
}

function recheckFor(pods: readonly PodView[], minReady: number, now: Instant): number | undefined {
  const next = nextAvailability(pods, minReady, now);
  return next === undefined ? undefined : secondsUntil(next, toMillis(now));
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
