// Deletes pods: scale-down victims, pods on reserved ordinals, failed pods,
// ReCreate updates and pods on lost nodes. Each deletion is announced to the
// expectations ledger by UID first. Claims of an id leaving the set go with
// it under whenScaled Delete (pvc-protection keeps them until the pod is
// gone); under reclaimPolicy Delete its GameServer is labelled for deletion.
import { RequestCancelledError } from '../../../runtime/kube-client.js';
import { LABELS } from '../../../api/constants.js';
import { isObjectNotFound } from '../../../runtime/write-errors.js';
import { mergePatch, writer } from '../../../runtime/writes.js';
import { GAME_SERVERS } from '../../shared/resources.js';
import { claimName } from '../plan/index.js';
import { forEachConcurrently, POD_BATCH_CONCURRENCY } from './concurrently.js';
import { failureMessage, type ActionDeps, type SetTarget } from './deps.js';
import { deleteClaim, deletePod } from './pod-api.js';

export interface PodToDelete {
  readonly name: string;
  readonly uid: string;
  readonly ordinal: number;
  /** Why, for the event message (ScaleDown, ReservedOrdinal, PodFailed, Update, NodeLost). */
  readonly reason: string;
  /** The id leaves the set: delete its claims (whenScaled Delete). */
  readonly deleteClaims?: boolean;
  /** The id leaves the set: label its GameServer gs-deleting (reclaimPolicy Delete). */
  readonly releaseGameServer?: boolean;
  /** Delete with gracePeriodSeconds 0. */
  readonly force?: boolean;
  /**
   * Asked again right before the request is sent (after the client's rate
   * limit): false skips this pod, e.g. a scale-down victim whose room was
   * marked Allocated while the deletion waited. The next pass re-plans.
   */
  readonly stillWanted?: () => boolean;
}

export class DeletePodsError extends Error {
  constructor(
    readonly failures: readonly string[],
    options: { cause?: unknown },
  ) {
    super(`deleting pods failed: ${failures.join('; ')}`, options);
    this.name = 'DeletePodsError';
  }
}

/**
 * Deletes the pods in parallel (POD_BATCH_CONCURRENCY at once); throws
 * DeletePodsError (cause: the first error) if any deletion failed.
 */
export async function deletePods(deps: ActionDeps, target: SetTarget, pods: readonly PodToDelete[]): Promise<void> {
  const errors: unknown[] = [];
  const failures: string[] = [];
  await forEachConcurrently(pods, POD_BATCH_CONCURRENCY, async (pod) => {
    try {
      await deleteOne(deps, target, pod);
    } catch (error) {
      errors.push(error);
      failures.push(`${pod.name}: ${failureMessage(error)}`);
    }
  });
  if (failures.length > 0) throw new DeletePodsError(failures, { cause: errors[0] });
}

async function deleteOne(deps: ActionDeps, target: SetTarget, pod: PodToDelete): Promise<void> {
  const { view: set } = target;
  if (pod.stillWanted && !pod.stillWanted()) return;
  if (pod.releaseGameServer) await markGameServerDeleting(deps, set.namespace, pod.name);
  deps.expectations.expectDeletions(target.key, [pod.uid]);
  try {
    await deletePod(deps.client, set.namespace, pod.name, pod.uid, pod.force ? 0 : undefined, pod.stillWanted);
  } catch (error) {
    deps.expectations.deletionObserved(target.key, pod.uid);
    if (error instanceof RequestCancelledError) {
      deps.recorder.normal(target.object, 'DeleteCancelled', `delete Pod ${pod.name} in GameServerSet ${set.name} cancelled: its GameServer changed since the decision (${pod.reason})`);
      return;
    }
    if (!isObjectNotFound(error)) {
      deps.recorder.warning(target.object, 'FailedDelete', `delete Pod ${pod.name} in GameServerSet ${set.name} failed: ${failureMessage(error)}`);
      throw error;
    }
    return;
  }
  deps.recorder.normal(target.object, 'SuccessfulDelete', `delete Pod ${pod.name} in GameServerSet ${set.name} successful (${pod.reason})`);
  if (pod.deleteClaims) {
    for (const claim of set.volumeClaimTemplates) {
      await deleteClaim(deps.client, set.namespace, claimName(claim.metadata.name, set.name, pod.ordinal)).catch((error: unknown) => {
        if (!isObjectNotFound(error)) throw error;
      });
    }
  }
}

async function markGameServerDeleting(deps: ActionDeps, namespace: string, name: string): Promise<void> {
  try {
    await writer(deps.client, GAME_SERVERS).patch(namespace, name, mergePatch({ metadata: { labels: { [LABELS.gsDeleting]: 'true' } } }));
  } catch (error) {
    if (!isObjectNotFound(error)) throw error;
  }
}
