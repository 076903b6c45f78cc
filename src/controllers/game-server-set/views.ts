// Read side of a reconcile: cached objects → the planners' plain views
// (plan/types.ts), with every default resolved. Pure functions; the
// reconciler hands them what it read from the caches.
import { EXTENSION_ANNOTATIONS, IN_PLACE_UPDATE_READY, KRUISE_POD_READY, LABELS, LIFECYCLE, WORKLOAD_LABELS } from '../../api/constants.js';
import type { GameServerSet } from '../../api/game-server-set.js';
import type { CachedNode, CachedObject, CachedPod } from '../shared/informers.js';
import { effectiveLifecycle, type ContainerOverride, type NodeView, type PodTemplateView, type PodView, type RevisionRecord, type SetView } from './plan/index.js';
import { parseOpsStateList } from './plan/ops-state-list.js';

/** The set as the planners see it, from the zod-parsed object (defaults applied). */
export function toSetView(set: GameServerSet): SetView {
  const { spec, metadata } = set;
  const rolling = spec.updateStrategy.rollingUpdate;
  const { volumeClaimTemplates, reclaimPolicy: _reclaim, ...template } = spec.gameServerTemplate;
  return {
    name: metadata.name,
    namespace: metadata.namespace ?? '',
    uid: metadata.uid ?? '',
    generation: metadata.generation ?? 0,
    replicas: spec.replicas,
    reserveGameServerIds: spec.reserveGameServerIds ?? [],
    podManagementPolicy: spec.podManagementPolicy,
    scaleStrategy: { maxUnavailable: spec.scaleStrategy.maxUnavailable, scaleDownStrategyType: spec.scaleStrategy.scaleDownStrategyType },
    updateStrategy: {
      type: spec.updateStrategy.type,
      partition: rolling?.partition ?? 0,
      maxUnavailable: rolling?.maxUnavailable ?? 1,
      podUpdatePolicy: rolling?.podUpdatePolicy ?? 'ReCreate',
      paused: rolling?.paused ?? false,
      minReadySeconds: rolling?.minReadySeconds ?? 0,
      gracePeriodSeconds: rolling?.inPlaceUpdateStrategy?.gracePeriodSeconds ?? 0,
    },
    serviceName: spec.serviceName,
    template,
    volumeClaimTemplates: volumeClaimTemplates ?? [],
    persistentVolumeClaimRetentionPolicy: spec.persistentVolumeClaimRetentionPolicy,
    network: spec.network,
    revisionHistoryLimit: spec.revisionHistoryLimit,
    lifecycle: effectiveLifecycle(spec.lifecycle, spec.network),
    scaleDownProtectedOpsStates: parseOpsStateList(metadata.annotations?.[EXTENSION_ANNOTATIONS.scaleDownProtectedOpsStates], ['Kill'])?.states,
    updateOpsStates: parseOpsStateList(metadata.annotations?.[EXTENSION_ANNOTATIONS.updateOpsStates])?.states,
  };
}

/** The ordinal in `<set>-<ordinal>`, or undefined when the name does not have that form. */
export function ordinalOf(setName: string, podName: string): number | undefined {
  const prefix = `${setName}-`;
  if (!podName.startsWith(prefix)) return undefined;
  const rest = podName.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

interface GameServerFacts {
  readonly spec?: {
    readonly opsState?: string;
    readonly deletionPriority?: number | string;
    readonly updatePriority?: number | string;
    readonly containers?: readonly { name: string; image?: string; resources?: Record<string, unknown> }[];
  };
  readonly status?: { readonly currentState?: string };
}

function priorityOf(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 0;
}

/**
 * One pod (and its GameServer, when cached) as the planners see it; undefined
 * for a pod whose name carries no ordinal of the set. The GameServer's spec
 * wins over the pod labels the GameServer controller copies from it.
 */
export function toPodView(setName: string, pod: CachedPod, gameServer: CachedObject | undefined): PodView | undefined {
  const name = pod.metadata?.name ?? '';
  const ordinal = ordinalOf(setName, name);
  if (ordinal === undefined) return undefined;
  const labels = pod.metadata?.labels ?? {};
  const gs = gameServer as GameServerFacts | undefined;
  const conditions = pod.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const inPlace = conditions.find((c) => c.type === IN_PLACE_UPDATE_READY);
  const overrides = Object.fromEntries((gs?.spec?.containers ?? []).filter((c) => c.image !== undefined).map((c) => [c.name, c.image as string]));
  return {
    name,
    ordinal,
    uid: pod.metadata?.uid ?? '',
    revision: labels[WORKLOAD_LABELS.controllerRevisionHash] ?? '',
    opsState: gs?.spec?.opsState ?? labels[LABELS.gsOpsState] ?? '',
    deletionPriority: priorityOf(gs?.spec?.deletionPriority ?? labels[LABELS.gsDeletePriority]),
    updatePriority: priorityOf(gs?.spec?.updatePriority ?? labels[LABELS.gsUpdatePriority]),
    phase: pod.status?.phase ?? '',
    ready: ready?.status === 'True',
    readySince: ready?.status === 'True' ? ready.lastTransitionTime : undefined,
    deleting: pod.metadata?.deletionTimestamp !== undefined,
    deletionTimestamp: pod.metadata?.deletionTimestamp,
    inPlaceUpdating: inPlace?.status === 'False',
    nodeName: pod.spec?.nodeName,
    imageOverrides: Object.keys(overrides).length > 0 ? overrides : undefined,
    gsState: gs?.status?.currentState ?? labels[LABELS.gsState],
    lifecycleState: labels[LIFECYCLE.stateLabel],
    labels,
    finalizers: pod.metadata?.finalizers,
    notReadyKeys: notReadyKeys(pod),
  };
}

/**
 * The lifecycle keys holding condition KruisePodReady False (its message is
 * OpenKruise's JSON list of {userAgent, key}); undefined when the pod has no
 * KruisePodReady readiness gate.
 */
export function notReadyKeys(pod: CachedPod): string[] | undefined {
  if (!(pod.spec?.readinessGates ?? []).some((gate) => gate.conditionType === KRUISE_POD_READY)) return undefined;
  const message = pod.status?.conditions?.find((c) => c.type === KRUISE_POD_READY)?.message;
  return parseNotReadyMessage(message)
    .filter((entry) => entry.userAgent === 'Lifecycle')
    .map((entry) => entry.key);
}

/** OpenKruise's KruisePodReady message: `[{"userAgent":"Lifecycle","key":"preDeleteHook"}]`; anything else reads as empty. */
export function parseNotReadyMessage(message: string | undefined): { userAgent: string; key: string }[] {
  if (!message) return [];
  try {
    const parsed: unknown = JSON.parse(message);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is { userAgent: string; key: string } =>
        typeof entry === 'object' && entry !== null && typeof (entry as { userAgent?: unknown }).userAgent === 'string' && typeof (entry as { key?: unknown }).key === 'string',
    );
  } catch {
    return [];
  }
}

/**
 * toPodView remembered per cached pod object: cached objects are immutable
 * and replaced on every change, so a pod whose copy (and GameServer copy) is
 * the same as last time has the same view. A set of thousands of pods is
 * planned on every event of any of them; this keeps that pass from rebuilding
 * thousands of views that cannot have changed.
 */
export class PodViewCache {
  private readonly views = new WeakMap<CachedPod, { readonly setName: string; readonly gameServer: CachedObject | undefined; readonly view: PodView | undefined }>();

  viewOf(setName: string, pod: CachedPod, gameServer: CachedObject | undefined): PodView | undefined {
    const known = this.views.get(pod);
    if (known !== undefined && known.setName === setName && known.gameServer === gameServer) return known.view;
    const built = toPodView(setName, pod, gameServer);
    const view = built === undefined ? undefined : Object.freeze(built);
    this.views.set(pod, { setName, gameServer, view });
    return view;
  }
}

/** The GameServer's per-server container overrides, applied when its pod is created. */
export function containerOverrides(gameServer: CachedObject | undefined): ContainerOverride[] {
  const containers = (gameServer as GameServerFacts | undefined)?.spec?.containers ?? [];
  return containers.map((c) => ({ name: c.name, image: c.image, resources: c.resources }));
}

/** Since when a node is lost: Ready False/Unknown, or tainted unreachable/not-ready; undefined while healthy. */
export function toNodeView(node: CachedNode): NodeView {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const taint = node.spec?.taints?.find(
    (t) => t.key === 'node.kubernetes.io/unreachable' || (t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute'),
  );
  const lost = ready !== undefined && ready.status !== 'True';
  const lostSince = lost ? (ready.lastTransitionTime ?? taint?.timeAdded) : taint?.timeAdded;
  return { name: node.metadata?.name ?? '', lostSince: lostSince ?? undefined };
}

/** A cached ControllerRevision as a record, with the pod template it stores. */
export function toRevision(revision: CachedObject): { record: RevisionRecord; template: PodTemplateView | undefined } {
  const data = revision.data as PodTemplateView | undefined;
  const template = data !== undefined && typeof data === 'object' && Array.isArray(data.spec?.containers) ? data : undefined;
  return { record: { name: revision.metadata?.name ?? '', revision: revision.revision ?? 0 }, template };
}
