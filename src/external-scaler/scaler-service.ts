// The external scaler's answers, read from the operator's caches: the set
// named like the ScaledObject (OKG: ScaledObject name = GameServerSet name),
// its pods and their GameServers. No API calls: every replica of the operator
// watches the same objects, so a standby answers as well as the leader.
import { EXTENSION_ANNOTATIONS, LABELS } from '../api/constants.js';
import { parseOpsStateList } from '../controllers/game-server-set/plan/ops-state-list.js';
import { toPodView } from '../controllers/game-server-set/views.js';
import { OWNER_GSS_INDEX, type CachedObject, type CachedPod } from '../controllers/shared/informers.js';
import type { Store } from '../runtime/store.js';
import { computeDesiredReplicas, computeIsActive, METRIC_NAME, METRIC_TARGET, type ScalerMetadata, type ScalerPod } from './compute-metrics.js';

export interface ScalerCaches {
  readonly sets: Store<CachedObject>;
  readonly pods: Store<CachedPod>;
  readonly gameServers: Store<CachedObject>;
}

/** KEDA's ScaledObjectRef. */
export interface ScaledObjectRef {
  readonly name: string;
  readonly namespace: string;
  readonly scalerMetadata: ScalerMetadata;
}

export type ScalerErrorCode = 'NotFound' | 'Unavailable' | 'FailedPrecondition';

/** A question the scaler cannot answer; the gRPC shell maps `code` onto a status. */
export class ScalerError extends Error {
  constructor(
    readonly code: ScalerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScalerError';
  }
}

interface SetFacts {
  readonly replicas: number;
  readonly pods: ScalerPod[];
  readonly initialized: boolean;
  /** gamekeeper.dev/scale-down-protected-ops-states: rooms the set's scale-down keeps. */
  readonly protectedStates: readonly string[] | undefined;
}

export class ScalerService {
  constructor(private readonly caches: ScalerCaches) {}

  /** IsActive; OKG refuses a set whose status was never written ("has not inited"). */
  isActive(ref: ScaledObjectRef): boolean {
    const set = this.read(ref);
    if (!set.initialized) throw new ScalerError('FailedPrecondition', `GameServerSet ${ref.namespace}/${ref.name} has not been reconciled yet`);
    return computeIsActive(set.replicas, set.pods, ref.scalerMetadata, set.protectedStates);
  }

  /** GetMetricSpec: one metric, whatever the set (as OKG). */
  metricSpec(): { metricName: string; targetSize: number }[] {
    return [{ metricName: METRIC_NAME, targetSize: METRIC_TARGET }];
  }

  /** GetMetrics: `gssReplicas`, whatever metric name was asked for (as OKG). */
  metrics(ref: ScaledObjectRef): { metricName: string; metricValue: number }[] {
    const set = this.read(ref);
    return [{ metricName: METRIC_NAME, metricValue: computeDesiredReplicas(set.replicas, set.pods, ref.scalerMetadata, set.protectedStates) }];
  }

  private read(ref: ScaledObjectRef): SetFacts {
    const { sets, pods, gameServers } = this.caches;
    if (!sets.hasSynced() || !pods.hasSynced() || !gameServers.hasSynced()) throw new ScalerError('Unavailable', 'caches not synced yet');
    const set = sets.getByName(ref.namespace, ref.name);
    if (set === undefined) throw new ScalerError('NotFound', `GameServerSet ${ref.namespace}/${ref.name} not found`);
    const replicas = (set.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number') throw new ScalerError('FailedPrecondition', `GameServerSet ${ref.namespace}/${ref.name} has no spec.replicas`);
    const rooms: ScalerPod[] = [];
    for (const pod of pods.byIndex(OWNER_GSS_INDEX, ref.name)) {
      if (pod.metadata?.namespace !== ref.namespace) continue;
      const view = toPodView(ref.name, pod, gameServers.getByName(ref.namespace, pod.metadata.name ?? ''));
      if (view === undefined) continue;
      const deleting = view.deleting || view.gsState === 'Deleting' || pod.metadata.labels?.[LABELS.gsState] === 'Deleting';
      rooms.push({ ordinal: view.ordinal, opsState: view.opsState, deletionPriority: view.deletionPriority, deleting });
    }
    const status = set.status as { waitToBeDeletedReplicas?: unknown } | undefined;
    const protectedStates = parseOpsStateList(set.metadata?.annotations?.[EXTENSION_ANNOTATIONS.scaleDownProtectedOpsStates], ['Kill'])?.states;
    return { replicas, pods: rooms, initialized: status?.waitToBeDeletedReplicas !== undefined, protectedStates };
  }
}
