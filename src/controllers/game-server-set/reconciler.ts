// Reconcile of one GameServerSet: read the caches → plan (plan/*) → act
// (actions/*, revisions.ts, status.ts). Level-based: nothing depends on which
// event brought the key in.
import { parseGameServerSet } from '../../api/parse.js';
import type { ReconcileContext, Reconciler, ReconcileResult } from '../../runtime/controller.js';
import { TerminalError } from '../../runtime/errors.js';
import { requestKey, type Request } from '../../runtime/object.js';
import type { Store } from '../../runtime/store.js';
import { UnobservedWrites } from '../../runtime/unobserved-writes.js';
import { CONTROLLER_UID_INDEX, OWNER_GSS_INDEX, type CachedClaim, type CachedNode, type CachedObject, type CachedPod } from '../shared/informers.js';
import type { CreateFailure } from './actions/create-pods.js';
import type { ActionDeps, SetTarget } from './actions/deps.js';
import { syncInPlaceConditions } from './actions/update-in-place.js';
import { adoptable, adoptOrphans } from './actions/adopt-orphans.js';
import { ExtensionWarnings } from './extension-warnings.js';
import { withScaleDownBlocked } from './plan/scale-down-blocked.js';
import { computeRevision, computeSetStatus, formatHeldOrdinals, parseHeldOrdinals, reservedOrdinals, revisionName, statusRecheckAfterSeconds, type PodView, type SetStatus } from './plan/index.js';
import { writeHeldOrdinals } from './actions/patch-spec.js';
import { GAMEKEEPER_ANNOTATIONS } from '../../api/constants.js';
import { pruneRevisions, syncRevisions } from './revisions.js';
import { applyStatus } from './status.js';
import { earliest, syncPods } from './sync-pods.js';
import { PodViewCache, toNodeView, toSetView } from './views.js';
import { HOST_PORTS_EXHAUSTED, HOST_PORTS_RECHECK_MS, planNetworkCondition, resolveSetNetwork } from '../network/set-network.js';

export interface GameServerSetCaches {
  readonly sets: Store<CachedObject>;
  readonly pods: Store<CachedPod>;
  readonly gameServers: Store<CachedObject>;
  readonly revisions: Store<CachedObject>;
  readonly claims: Store<CachedClaim>;
  readonly nodes: Store<CachedNode>;
}

export interface GameServerSetReconcilerOptions {
  readonly deps: ActionDeps;
  readonly caches: GameServerSetCaches;
  /** Global node-loss timeout; 0 disables node-loss eviction. */
  readonly nodeLossTimeoutMs: number;
  /** Most pods one pass creates, and most it deletes or updates (default 500). */
  readonly podBatchSize?: number;
  readonly now?: () => number;
}

/** Creations the API server refused this pass: the status says so, and the key is retried with backoff. */
export class CreatePodsError extends Error {
  constructor(
    readonly failures: readonly CreateFailure[],
    options: { cause?: unknown } = {},
  ) {
    super(`${failures.length} pod creation(s) refused: ${failures.map((f) => f.message).join('; ')}`, options);
    this.name = 'CreatePodsError';
  }
}

/** Most pods one pass creates, and most it deletes or updates, unless configured. */
export const DEFAULT_POD_BATCH_SIZE = 500;

/** Re-check a set after adopting orphans, in case their update events were missed. */
const ADOPTION_RECHECK_MS = 1_000;

/** Re-check a set whose expectations are pending after this long, in case an event was missed. */
const PENDING_RECHECK_MS = 5_000;

export class GameServerSetReconciler implements Reconciler {
  private readonly deps: ActionDeps;
  private readonly caches: GameServerSetCaches;
  private readonly nodeLossTimeoutMs: number;
  private readonly podBatchSize: number;
  private readonly now: () => number;
  /** Ids each set holds, by key; recorded on the set too when they are not the lowest free ones (plan/held-ordinals.ts). */
  private readonly members = new Map<string, ReadonlySet<number>>();
  /** When each set's status was last written (ms), to space out count-only writes. */
  private readonly statusWrittenAt = new Map<string, number>();
  private readonly podViews = new PodViewCache();
  /** Status writes the set cache has not shown yet. */
  private readonly statusWrites = new UnobservedWrites();
  /** The parse of each cached set object (immutable: a change brings a new object). */
  private readonly parsedSets = new WeakMap<CachedObject, ReturnType<typeof parseGameServerSet>>();
  private readonly extensionWarnings: ExtensionWarnings;

  constructor(options: GameServerSetReconcilerOptions) {
    this.deps = options.deps;
    this.caches = options.caches;
    this.nodeLossTimeoutMs = options.nodeLossTimeoutMs;
    this.podBatchSize = options.podBatchSize ?? DEFAULT_POD_BATCH_SIZE;
    this.now = options.now ?? Date.now;
    this.extensionWarnings = new ExtensionWarnings(options.deps.recorder);
  }

  async reconcile(request: Request, _context: ReconcileContext): Promise<ReconcileResult> {
    const key = requestKey(request);
    const cached = this.caches.sets.getByName(request.namespace, request.name);
    if (cached === undefined) {
      this.deps.expectations.forget(key);
      this.deps.occupied.forget(key);
      this.members.delete(key);
      this.statusWrittenAt.delete(key);
      this.extensionWarnings.forget(key);
      this.statusWrites.forget(key);
      return;
    }
    if (cached.metadata?.deletionTimestamp) return;
    let parsed = this.parsedSets.get(cached);
    if (parsed === undefined) {
      parsed = parseGameServerSet(cached);
      this.parsedSets.set(cached, parsed);
    }
    if (!parsed.ok) {
      this.deps.recorder.warning(cached, 'InvalidSpec', parsed.error);
      throw new TerminalError(parsed.error);
    }
    const view = toSetView(parsed.value);
    this.extensionWarnings.annotations(key, cached);
    const target: SetTarget = { key, object: cached, view };
    const { caches } = this;

    // Orphans labelled for the set (OKG's pods once its Advanced StatefulSet is
    // gone, or this set's own after `kubectl delete --cascade=orphan`) are
    // adopted first; the pass ends there and the adoption events bring it back.
    const labelled = {
      pods: caches.pods.byIndex(OWNER_GSS_INDEX, view.name),
      gameServers: caches.gameServers.byIndex(OWNER_GSS_INDEX, view.name),
      revisions: caches.revisions.byIndex(OWNER_GSS_INDEX, view.name),
    };
    if (adoptable(view, labelled)) {
      const adopted = await adoptOrphans(this.deps, target, {
        ...labelled,
        podOf: (name) => caches.pods.getByName(view.namespace, name),
        reclaimPolicy: parsed.value.spec.gameServerTemplate.reclaimPolicy,
        updateRevision: revisionName(view.name, computeRevision({ template: view.template, network: view.network })),
      });
      if (adopted > 0) return { requeueAfter: ADOPTION_RECHECK_MS };
    }

    const owned = caches.pods.byIndex(CONTROLLER_UID_INDEX, view.uid);
    const gameServerOf = (name: string): CachedObject | undefined => caches.gameServers.getByName(view.namespace, name);
    const podViews = owned.map((pod) => this.podViews.viewOf(view.name, pod, gameServerOf(pod.metadata?.name ?? ''))).filter((p): p is PodView => p !== undefined);
    const byName = new Map(owned.map((pod) => [pod.metadata?.name ?? '', pod]));
    const revisions = await syncRevisions(this.deps, target, caches.revisions.byIndex(CONTROLLER_UID_INDEX, view.uid), parsed.value.status?.currentRevision);

    const nowMs = this.now();
    const satisfied = this.deps.expectations.satisfied(key);
    let createFailures: readonly CreateFailure[] | undefined;
    let plannedInPlace: ReadonlySet<string> | undefined;
    let recheck: number | undefined;
    let scaleDownBlocked: number | undefined;
    if (satisfied) {
      const outcome = await syncPods(this.deps, target, {
        pods: podViews,
        podOf: (name) => byName.get(name),
        gameServerOf,
        currentView: (name) => {
          const pod = caches.pods.getByName(view.namespace, name);
          return pod === undefined ? undefined : this.podViews.viewOf(view.name, pod, gameServerOf(name));
        },
        claimOf: (name) => caches.claims.getByName(view.namespace, name),
        revisions,
        reclaimPolicy: parsed.value.spec.gameServerTemplate.reclaimPolicy,
        nodes: caches.nodes.list().map(toNodeView),
        nodeLossTimeoutSeconds: this.nodeLossTimeoutMs > 0 ? this.nodeLossTimeoutMs / 1000 : undefined,
        nowMs,
        // after a restart or a failover: the ordinals recorded on the set
        members: this.members.get(key) ?? parseHeldOrdinals(cached.metadata?.annotations?.[GAMEKEEPER_ANNOTATIONS.heldOrdinals]),
        batchSize: this.podBatchSize,
      });
      this.members.set(key, outcome.members);
      if (outcome.specWritten) return;
      const held = formatHeldOrdinals(outcome.members, reservedOrdinals(view));
      if (held !== cached.metadata?.annotations?.[GAMEKEEPER_ANNOTATIONS.heldOrdinals]) await writeHeldOrdinals(this.deps, target, held);
      createFailures = outcome.createFailures;
      plannedInPlace = outcome.plannedInPlace;
      recheck = outcome.recheckAfterSeconds;
      scaleDownBlocked = outcome.scaleDownBlocked;
      const inUse = [revisions.currentRevision, revisions.updateRevision, ...podViews.map((p) => p.revision)];
      await pruneRevisions(this.deps, target, revisions.records, inUse);
    }
    await syncInPlaceConditions(this.deps, target, owned, plannedInPlace, nowMs);

    const firstFailure = createFailures?.[0];
    const computed = computeSetStatus(view, podViews, revisions, nowMs, {
      conditions: (parsed.value.status?.conditions ?? []),
      replicaFailure: createFailures === undefined ? undefined : firstFailure ? { reason: firstFailure.reason, message: firstFailure.message } : null,
    });
    const nowIso = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status = { ...computed, conditions: withScaleDownBlocked(computed.conditions, scaleDownBlocked, view.scaleDownProtectedOpsStates, nowIso) };
    this.extensionWarnings.scaleDown(key, cached, parsed.value.status?.conditions, status.conditions);
    // Network plugins (issue 16): a bad spec.network is a condition and a Warning; the set keeps working.
    const network = planNetworkCondition(status.conditions, resolveSetNetwork(view), nowIso);
    status.conditions = network.conditions;
    if (network.warning) this.deps.recorder.warning(cached, network.warning.reason, network.warning.message);
    // A cached set older than our last status write would compare against a stale status (and its guarded write
    // could only fail): the watch event of that write brings the key back.
    const written = this.statusWrites.pending(cached)
      ? {}
      : await applyStatus(this.deps, target, parsed.value.status as SetStatus | undefined, status, { nowMs, lastWriteMs: this.statusWrittenAt.get(key) });
    if (written.writtenAtMs !== undefined) this.statusWrittenAt.set(key, written.writtenAtMs);
    if (written.written !== undefined) this.statusWrites.wrote(cached, written.written);
    if (createFailures !== undefined && createFailures.length > 0) {
      // Host ports run out until other pods go (no event of this set tells): look again at a steady pace, not with error backoff.
      if (createFailures.every((f) => f.reason === HOST_PORTS_EXHAUSTED)) return { requeueAfter: HOST_PORTS_RECHECK_MS };
      throw new CreatePodsError(createFailures);
    }

    const statusWait = written.waitMs === undefined ? undefined : written.waitMs / 1000;
    const seconds = earliest(earliest(recheck, statusRecheckAfterSeconds(view, podViews, nowMs)), statusWait);
    if (!satisfied) return { requeueAfter: seconds === undefined ? PENDING_RECHECK_MS : Math.min(seconds * 1000, PENDING_RECHECK_MS) };
    return seconds === undefined ? undefined : { requeueAfter: seconds * 1000 };
  }
}
