// Creates the pods of ordinals the scale planner asked for, each after its
// claims exist. Every creation is announced to the expectations ledger first,
// so a reconcile running on a cache that has not seen the pod yet never
// creates the ordinal a second time.
import { LIFECYCLE } from '../../../api/constants.js';
import { isAlreadyExists } from '../../../runtime/errors.js';
import { toKubeTime } from '../../../runtime/events.js';
import type { CachedClaim } from '../../shared/informers.js';
import { buildPod, buildPvc, claimName, initialLifecycleState, podName, type ContainerOverride, type PodTemplateView } from '../plan/index.js';
import { newPodOpsStamp } from '../plan/state-stamp.js';
import { POD_BATCH_CONCURRENCY } from './concurrently.js';
import { failureMessage, type ActionDeps, type SetTarget } from './deps.js';
import { resolveExistingPod } from './existing-pod.js';
import { createClaim, createPod } from './pod-api.js';

export interface PodToCreate {
  readonly ordinal: number;
  readonly revision: string;
  readonly template: PodTemplateView;
  readonly overrides: readonly ContainerOverride[];
  /**
   * The ordinal has no GameServer (a new room, or one whose GameServer went
   * with its pod): the pod is created with the ops labels the GameServer
   * will be built from them with. A GameServer that outlived its pod
   * (reclaimPolicy Delete) keeps its own fields, which its controller copies.
   */
  readonly stampOpsLabels: boolean;
}

export interface CreateFailure {
  readonly name: string;
  readonly reason: string;
  readonly message: string;
}

/**
 * Creates the pods in slow-start batches (1, 2, 4, ... at once, as the
 * ReplicaSet controller does, up to POD_BATCH_CONCURRENCY): a set the API
 * server refuses (a quota, an invalid template) costs one refused call per
 * pass, not one per pod. Resolves with the refusals; pods after a refused
 * batch are left for the next pass.
 */
export async function createPods(
  deps: ActionDeps,
  target: SetTarget,
  pods: readonly PodToCreate[],
  claims: (name: string) => CachedClaim | undefined,
): Promise<CreateFailure[]> {
  let start = 0;
  for (let size = 1; start < pods.length; size = Math.min(size * 2, POD_BATCH_CONCURRENCY)) {
    const batch = pods.slice(start, start + size);
    start += batch.length;
    const results = await Promise.all(batch.map((pod) => createOne(deps, target, pod, claims)));
    const failures = results.filter((failure): failure is CreateFailure => failure !== undefined);
    if (failures.length > 0) return failures;
  }
  return [];
}

async function createOne(
  deps: ActionDeps,
  target: SetTarget,
  input: PodToCreate,
  claims: (name: string) => CachedClaim | undefined,
): Promise<CreateFailure | undefined> {
  const { view: set } = target;
  const podKey = `${set.namespace}/${podName(set.name, input.ordinal)}`;
  const network = deps.network?.prepare(input.template, podKey) ?? { ok: true };
  if (!network.ok) return fail(deps, target, podName(set.name, input.ordinal), network.reason, network.message);
  const manifest = buildPod(set, input.ordinal, input.revision, input.template, input.overrides, network.preparation);
  const name = manifest.metadata.name;
  manifest.metadata.labels[LIFECYCLE.stateLabel] = initialLifecycleState(set.lifecycle, { labels: manifest.metadata.labels });
  if (input.stampOpsLabels) {
    const stamp = newPodOpsStamp(manifest.metadata.labels, toKubeTime(Date.now()));
    Object.assign(manifest.metadata.labels, stamp.labels);
    Object.assign(manifest.metadata.annotations, stamp.annotations);
  }
  try {
    for (const claim of set.volumeClaimTemplates) {
      if (claims(claimName(claim.metadata.name, set.name, input.ordinal)) !== undefined) continue;
      await createClaim(deps.client, set.namespace, buildPvc(set, claim, input.ordinal)).catch((error: unknown) => {
        if (!isAlreadyExists(error)) throw error;
      });
    }
  } catch (error) {
    deps.network?.release(podKey);
    return fail(deps, target, name, 'FailedCreate', `create Claim for Pod ${name} in GameServerSet ${set.name} failed: ${failureMessage(error)}`);
  }

  deps.expectations.expectCreations(target.key, [name]);
  try {
    await createPod(deps.client, set.namespace, manifest);
  } catch (error) {
    deps.expectations.creationObserved(target.key, name);
    deps.network?.release(podKey);
    if (isAlreadyExists(error)) return tolerateExisting(deps, target, name, input.ordinal);
    return fail(deps, target, name, 'FailedCreate', `create Pod ${name} in GameServerSet ${set.name} failed: ${failureMessage(error)}`);
  }
  deps.recorder.normal(target.object, 'SuccessfulCreate', `create Pod ${name} in GameServerSet ${set.name} successful`);
  // Its readiness gates open once it runs (syncInPlaceConditions), in the
  // write that carries its first state label.
  return undefined;
}

/**
 * AlreadyExists is no failure of the pass: the set's own pod gets its label
 * back, a foreign one's ordinal is skipped. Only a pod that went or changed
 * while we looked is retried (with the key's backoff; no Warning).
 */
async function tolerateExisting(deps: ActionDeps, target: SetTarget, name: string, ordinal: number): Promise<CreateFailure | undefined> {
  const found = await resolveExistingPod(deps, target, name);
  if (found === 'foreign') deps.occupied.occupy(target.key, ordinal);
  if (found !== 'retry') return undefined;
  return { name, reason: 'PodExists', message: `Pod ${name} existed, then went or changed while it was read: retried` };
}

function fail(deps: ActionDeps, target: SetTarget, name: string, reason: string, message: string): CreateFailure {
  deps.recorder.warning(target.object, reason, message);
  return { name, reason, message };
}
