// One reconcile per pod key (a GameServer shares its pod's name):
// read the caches → pure plans (compute-*) → writes, in this order:
//   1. no pod: delete the GameServer if its set marked it gs-deleting;
//   2. no GameServer: create it (owner per reclaimPolicy), unless the pod
//      is terminating;
//   3. service qualities: probe observations → spec/metadata actions;
//      (a moment with nothing to say waits instead: a PreUpdate under 2 s,
//      a gate the kubelet has not caught up on, a new room still coming up);
//   4. GameServer spec → pod labels, annotations and images (none for a
//      terminating pod);
//   5. pod facts → GameServer status, written only when it changes: a new
//      state at once, new conditions after SETTLE_MS.conditions, a change of
//      the podStatus mirror alone after SETTLE_MS.podStatus, so the kubelet's
//      many updates during one container restart make few writes; during an
//      in-place update the mirror waits for the state write that ends it
//      (compute-settle.ts);
//   6. events for what changed (GsStateChanged, condition warnings, ...);
//      the state's GsStateChanged comes with the status write that moves
//      currentState (the set controller may have stamped the label already).
// A GameServer or pod whose cached copy predates our own last write to it is
// left for the reconcile its watch event brings (UnobservedWrites): deciding
// from the stale copy would repeat the write, or fail it with 409.
import { LABELS, type GameServer } from '../../api/index.js';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../../runtime/controller.js';
import { isAlreadyExists, TerminalError } from '../../runtime/errors.js';
import type { EventRecorder } from '../../runtime/events.js';
import { requestKey, type KubeObject, type Request } from '../../runtime/object.js';
import { UnobservedWrites } from '../../runtime/unobserved-writes.js';
import type { KubeClient } from '../../runtime/kube-client.js';
import { recordGameServerEvents } from './actions/record-events.js';
import { createGameServer, deleteGameServer, patchGameServer, writeGameServerStatus } from './actions/game-server-writes.js';
import { patchPod } from '../shared/pod-writes.js';
import { strategicPatch } from '../../runtime/writes.js';
import { buildGameServer, ownedByAnotherPod, wantsGameServer, withNodeNameLabel } from './build-game-server.js';
import { conditionWarnings } from './compute-conditions.js';
import { computeEvents, snapshotFromLabels, stateChangeEvents, withoutState } from './compute-events.js';
import { computePodSync, desiredOpsLabels } from './compute-pod-sync.js';
import { computeState, newRoomHoldMs, preUpdateHoldMs } from './compute-state.js';
import { toMillis } from './time.js';
import { catchUpHoldMs } from './pod-readiness.js';
import { computeStatus, statusChange } from './compute-status.js';
import { computeSettleMs, type SettleInput } from './compute-settle.js';
import { withNodeName } from './compute-metadata.js';
import { withTemplateMetadata, type TemplateMetadata } from './compute-template-metadata.js';
import { parseWritten } from './parse-written.js';
import { toProbedPod } from './probes/probed-pod.js';
import type { ServiceQualityProber } from './probes/service-quality-prober.js';
import { readFacts, type Facts, type GameServerStores } from './read-facts.js';
import type { CachedPod } from '../shared/informers.js';
import { computeServiceQualities } from './service-quality/compute-service-qualities.js';
import type { GameServerEvent } from './types.js';
import { GS_NETWORK_STATE_REASON, NetworkWaitWarnings, type NetworkTiming } from '../network/game-server-network.js';

/** How long to wait for a pod's set to reach the cache before creating its GameServer (doubled at each retry). */
export const SET_CACHE_WAIT_MS = 1_000;
/** Longest wait between two looks for a set that does not exist (its creation enqueues its pods at once anyway). */
export const MISSING_SET_MAX_WAIT_MS = 5 * 60_000;
/** The look at which a still missing set is reported (a Warning on the pod): past the cache's usual lag. */
export const MISSING_SET_WARN_ATTEMPT = 4;

/** Milliseconds before look number `attempt` (1, 2, ...) for a pod's missing set: 1 s, 2 s, 4 s, ... up to 5 min. */
export function missingSetWaitMs(attempt: number): number {
  return Math.min(MISSING_SET_MAX_WAIT_MS, SET_CACHE_WAIT_MS * 2 ** Math.max(0, Math.min(attempt - 1, 20)));
}

/**
 * How long a new pod's GameServer waits for the pod to be scheduled, so that
 * it is created with its node-name label rather than patched a moment later
 * (one write per server instead of two). The scheduling event brings the key
 * back; a pod still unscheduled after this long gets its GameServer anyway.
 */
export const SCHEDULE_WAIT_MS = 3_000;

export { SETTLE_MS, UPDATE_STALL_MS } from './compute-settle.js';

/** Recheck of a key held back for an unobserved write, in case its watch event never comes (a no-op write). */
const UNOBSERVED_RECHECK_MS = 1_000;

export interface GameServerReconcilerDeps {
  readonly stores: GameServerStores;
  readonly client: KubeClient;
  readonly recorder: EventRecorder;
  readonly prober: ServiceQualityProber;
  readonly now?: () => Date;
  /** How long the network may take to reach its desired state before a GsNetworkState Warning (OKG: 60 s, every 5 s). */
  readonly networkTiming?: NetworkTiming;
}

/** OKG's NETWORK_TOTAL_WAIT_TIME and NETWORK_PROBE_INTERVAL_TIME. */
export const DEFAULT_NETWORK_TIMING: NetworkTiming = { totalWaitMs: 60_000, intervalMs: 5_000 };

export class GameServerReconciler implements Reconciler {
  private readonly now: () => Date;
  private readonly gameServerWrites: UnobservedWrites;
  private readonly podWrites: UnobservedWrites;
  /** Keys whose status differs from what the pod says, since when (ms). */
  private readonly unwrittenSince = new Map<string, number>();
  private readonly networkWarnings: NetworkWaitWarnings;
  /** Keys whose pod names a set the cache does not hold: how many times we looked. */
  private readonly missingSetLooks = new Map<string, number>();
  /**
   * Keys whose GameServer this controller created and the cache has not shown
   * yet, with when: a reconcile in between (the pod moved meanwhile) waits for
   * the watch event instead of creating it again (a 409).
   */
  private readonly createdUnseen = new Map<string, number>();

  constructor(private readonly deps: GameServerReconcilerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.networkWarnings = new NetworkWaitWarnings(deps.networkTiming ?? DEFAULT_NETWORK_TIMING);
    const nowMs = () => this.now().getTime();
    this.gameServerWrites = new UnobservedWrites(nowMs);
    this.podWrites = new UnobservedWrites(nowMs);
  }

  async reconcile(request: Request, _context: ReconcileContext): Promise<ReconcileResult> {
    const key = requestKey(request);
    const facts = readFacts(this.deps.stores, request.namespace, request.name);
    const { pod, gameServerObject } = facts;
    if (!pod) {
      this.deps.prober.forget(key);
      this.forget(key);
      if (gameServerObject?.metadata?.labels?.[LABELS.gsDeleting] === 'true') await deleteGameServer(this.deps.client, gameServerObject);
      return;
    }
    if (gameServerObject) this.createdUnseen.delete(key);
    else {
      if (!wantsGameServer(pod)) return;
      const unseenFor = createdUnseenWaitMs(this.createdUnseen.get(key), this.now().getTime());
      if (unseenFor > 0) return { requeueAfter: unseenFor };
      const setName = pod.metadata?.labels?.[LABELS.ownerGss];
      if (setName && !this.deps.stores.sets.getByName(request.namespace, setName)) return this.waitForSet(key, pod, setName);
      this.missingSetLooks.delete(key);
      const wait = scheduleWaitMs(pod, this.now().getTime());
      if (wait > 0) return { requeueAfter: wait };
      const built = buildGameServer({ ...pod, apiVersion: 'v1', kind: 'Pod' }, facts.set);
      await createGameServer(this.deps.client, withNodeNameLabel(built, pod.spec?.nodeName)).catch(ignoreAlreadyExists);
      this.createdUnseen.set(key, this.now().getTime());
      return;
    }
    if (ownedByAnotherPod(gameServerObject, pod)) {
      this.deps.prober.forget(key);
      await deleteGameServer(this.deps.client, gameServerObject);
      return;
    }
    if (!facts.gameServer) throw new TerminalError(facts.gameServerProblem ?? `GameServer ${key} is invalid`);
    if (this.gameServerWrites.pending(gameServerObject) || this.podWrites.pending(pod)) return { requeueAfter: UNOBSERVED_RECHECK_MS };
    return this.sync(key, pod, facts, facts.gameServer, gameServerObject);
  }

  /** Backs off while the pod's set is missing, and says so once with a Warning on the pod. */
  private waitForSet(key: string, pod: CachedPod, setName: string): ReconcileResult {
    const attempt = (this.missingSetLooks.get(key) ?? 0) + 1;
    this.missingSetLooks.set(key, attempt);
    if (attempt === MISSING_SET_WARN_ATTEMPT) {
      this.deps.recorder.warning(
        { ...pod, apiVersion: 'v1', kind: 'Pod' },
        'GameServerSetNotFound',
        `Pod ${pod.metadata?.name ?? ''} names GameServerSet ${setName} (label ${LABELS.ownerGss}), which does not exist: its GameServer waits for it`,
      );
    }
    return { requeueAfter: missingSetWaitMs(attempt) };
  }

  private forget(key: string): void {
    this.missingSetLooks.delete(key);
    this.createdUnseen.delete(key);
    this.gameServerWrites.forget(key);
    this.podWrites.forget(key);
    this.unwrittenSince.delete(key);
    this.networkWarnings.forget(key);
  }

  private async sync(key: string, pod: CachedPod, facts: Facts, parsed: GameServer, stored: KubeObject): Promise<ReconcileResult> {
    const now = this.now();
    const events: GameServerEvent[] = [];
    let gameServer = parsed;
    let object = stored;

    const serviceQualities = facts.set?.spec.serviceQualities ?? [];
    this.deps.prober.sync(key, toProbedPod(pod), serviceQualities);
    const created = toMillis(pod.metadata?.creationTimestamp);
    const hold = Math.max(
      preUpdateHoldMs(pod, now.getTime()),
      catchUpHoldMs(pod, now.getTime()),
      newRoomHoldMs(pod, gameServer.status?.currentState, created, now.getTime()),
    );
    if (hold > 0) return { requeueAfter: hold };
    const qualities = computeServiceQualities({ serviceQualities, gs: gameServer, observations: this.deps.prober.observations(key), now });
    events.push(...qualities.warnings);
    const templateMetadata = facts.set?.spec.gameServerTemplate.metadata as TemplateMetadata | undefined;
    const withNode = withNodeName(qualities.patch, gameServer, pod.spec?.nodeName);
    const gsPatch = facts.set === undefined ? withNode : withTemplateMetadata(withNode, gameServer, templateMetadata);
    if (gsPatch) {
      const written = await patchGameServer(this.deps.client, object, gsPatch);
      this.gameServerWrites.wrote(object, written);
      object = written;
      gameServer = parseWritten(object);
    }

    const state = computeState(pod);
    const templateContainers = (facts.set?.spec.gameServerTemplate.spec as { containers?: { name: string; image?: string }[] } | undefined)?.containers;
    const templateImages = templateContainers && Object.fromEntries(templateContainers.filter((c) => c.image !== undefined).map((c) => [c.name, c.image as string]));
    const podSync = computePodSync({ gs: gameServer, pod, state, now, templateImages });
    events.push(...podSync.warnings);
    if (podSync.patch) {
      // Strategic merge keeps spec.containers merged by name: only the listed images change, only those containers restart in place.
      this.podWrites.wrote(pod, await patchPod(this.deps.client, pod.metadata?.namespace, pod.metadata?.name ?? '', strategicPatch(podSync.patch)));
      events.push(...computeEvents(withoutState(snapshotFromLabels(pod.metadata?.labels ?? {})), withoutState(snapshotFromLabels(desiredOpsLabels(gameServer, state)))));
    }

    const status = computeStatus({ gs: gameServer, pod, ...(facts.node ? { node: facts.node } : {}), pvcs: facts.claims, serviceQualitiesConditions: qualities.conditions, now });
    const change = statusChange(gameServer.status, status);
    const settleMs = change === 'none' ? 0 : this.settleMs(key, { change, previous: gameServer.status, next: status, pod }, now.getTime());
    if (change !== 'none' && settleMs === 0) {
      const written = await writeGameServerStatus(this.deps.client, object, status);
      this.gameServerWrites.wrote(object, written);
      this.unwrittenSince.delete(key);
      object = written;
      const updating = status.currentState === 'Updating' || status.currentState === 'PreUpdate';
      events.push(...stateChangeEvents(gameServer.status?.currentState, status.currentState));
      events.push(...conditionWarnings(gameServer.status?.conditions ?? [], status.conditions ?? [], { updating }));
    } else if (change === 'none') this.unwrittenSince.delete(key);
    const network = this.networkWarnings.check(key, status.networkStatus, now.getTime());
    if (network.warning !== undefined) events.push({ type: 'Warning', reason: GS_NETWORK_STATE_REASON, message: network.warning });
    recordGameServerEvents(this.deps.recorder, object, events);
    const requeue = Math.min(settleMs > 0 ? settleMs : Infinity, network.requeueAfterMs ?? Infinity);
    return requeue < Infinity ? { requeueAfter: requeue } : undefined;
  }

  /** Milliseconds the status change of `key` still waits (0: write it now), counted from the oldest unwritten change. */
  private settleMs(key: string, input: Omit<SettleInput, 'unwrittenSinceMs' | 'nowMs'>, nowMs: number): number {
    const since = this.unwrittenSince.get(key) ?? nowMs;
    this.unwrittenSince.set(key, since);
    return computeSettleMs({ ...input, unwrittenSinceMs: since, nowMs });
  }
}

/** How long a GameServer created and not yet in the cache is waited for before it is created again (its watch event normally comes first). */
export const CREATED_UNSEEN_WAIT_MS = 5_000;

/** Milliseconds left to wait for the cache to show a GameServer created at `createdMs` (0: none pending, or waited long enough). */
export function createdUnseenWaitMs(createdMs: number | undefined, nowMs: number): number {
  if (createdMs === undefined) return 0;
  return Math.max(0, Math.min(CREATED_UNSEEN_WAIT_MS, createdMs + CREATED_UNSEEN_WAIT_MS - nowMs));
}

/** Milliseconds left to wait for a pending, unscheduled pod's node (0: create now). */
export function scheduleWaitMs(pod: CachedPod, nowMs: number): number {
  if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp || (pod.status?.phase ?? 'Pending') !== 'Pending') return 0;
  const created = Date.parse(String(pod.metadata?.creationTimestamp ?? ''));
  if (Number.isNaN(created)) return 0;
  return Math.max(0, Math.min(SCHEDULE_WAIT_MS, created + SCHEDULE_WAIT_MS - nowMs));
}

/** A create that found the object already there (the cache had not seen it yet): its watch event brings the key back. */
function ignoreAlreadyExists(error: unknown): undefined {
  if (isAlreadyExists(error)) return undefined;
  throw error;
}
