// Adopts a set's orphans (plan/plan-adoption.ts): one merge patch each, adding
// the controller owner reference next to the references the object already
// has, guarded by the resourceVersion read, so a concurrent change (another
// adopter, a deletion) makes the patch fail with 409 and the set retries.
// A pod is read in full first (the cache keeps only a few container fields)
// to tell whether it runs the template; a GameServer gets the owner its
// reclaimPolicy says: its pod (Cascade) or the set (Delete).
import { WORKLOAD_LABELS } from '../../../api/constants.js';
import { HttpMethod } from '../../../runtime/kube-client.js';
import { isNotFound } from '../../../runtime/errors.js';
import type { KubeObject, OwnerReference } from '../../../runtime/object.js';
import { isObjectNotFound } from '../../../runtime/write-errors.js';
import { mergePatch, writer } from '../../../runtime/writes.js';
import { PODS, resourcePath, type ResourceDescriptor } from '../../../runtime/resource.js';
import type { CachedObject, CachedPod } from '../../shared/informers.js';
import { CONTROLLER_REVISIONS, GAME_SERVERS } from '../../shared/resources.js';
import { isOrphanOf, runsTemplate, setOwnerReference, type PodContainers } from '../plan/index.js';
import { failureMessage, type ActionDeps, type SetTarget } from './deps.js';

export interface OrphanSources {
  /** Pods, GameServers and revisions labelled for the set (game.kruise.io/owner-gss), owned or not. */
  readonly pods: readonly CachedPod[];
  readonly gameServers: readonly CachedObject[];
  readonly revisions: readonly CachedObject[];
  /** Live pod by name (a Cascade GameServer is adopted by its pod). */
  readonly podOf: (name: string) => CachedPod | undefined;
  readonly reclaimPolicy: 'Cascade' | 'Delete';
  /** The set's update revision: the label of adopted pods that run its template. */
  readonly updateRevision: string;
}

/**
 * Cached revisions whose adoption the API server refused (a ControllerRevision
 * whose stored `data` is not in the server's own encoding cannot be patched at
 * all: "data: field is immutable"). They are not retried until they change;
 * the set does not need them (a pod on an unknown revision is updated by
 * re-creation, and the update revision is written again under its name).
 */
const unclaimable = new WeakSet<CachedObject>();

/** Orphans of the set still worth trying. */
export function adoptable(set: SetTarget['view'], sources: Pick<OrphanSources, 'pods' | 'gameServers' | 'revisions'>): boolean {
  return (
    sources.pods.some((o) => isOrphanOf(set, o, 'pod')) ||
    sources.gameServers.some((o) => isOrphanOf(set, o, 'gameServer')) ||
    sources.revisions.some((o) => isOrphanOf(set, o, 'revision') && !unclaimable.has(o))
  );
}

/** Adopts every orphan of the set; resolves with how many objects it adopted (0: none to adopt). */
export async function adoptOrphans(deps: ActionDeps, target: SetTarget, sources: OrphanSources): Promise<number> {
  const { view: set } = target;
  const owner = setOwnerReference(set);
  let adopted = 0;
  for (const revision of sources.revisions.filter((r) => isOrphanOf(set, r, 'revision') && !unclaimable.has(r))) {
    try {
      if (await claim(deps, CONTROLLER_REVISIONS, revision, owner)) adopted++;
    } catch (error) {
      unclaimable.add(revision);
      deps.recorder.warning(target.object, 'AdoptRevisionFailed', `ControllerRevision ${revision.metadata?.name} left orphaned: ${failureMessage(error)}`);
    }
  }
  for (const pod of sources.pods.filter((p) => isOrphanOf(set, p, 'pod'))) {
    if (await adoptPod(deps, target, pod, owner, sources.updateRevision)) adopted++;
  }
  for (const gameServer of sources.gameServers.filter((g) => isOrphanOf(set, g, 'gameServer'))) {
    const name = gameServer.metadata?.name ?? '';
    const pod = sources.podOf(name);
    const podOwner: OwnerReference | undefined =
      pod?.metadata?.uid === undefined ? undefined : { apiVersion: 'v1', kind: 'Pod', name, uid: pod.metadata.uid, controller: true, blockOwnerDeletion: true };
    const gsOwner = sources.reclaimPolicy === 'Delete' ? owner : podOwner;
    if (gsOwner !== undefined && (await claim(deps, GAME_SERVERS, gameServer, gsOwner))) adopted++;
  }
  if (adopted > 0) deps.recorder.normal(target.object, 'Adopted', `adopted ${adopted} orphaned object(s) labelled game.kruise.io/owner-gss=${set.name}`);
  return adopted;
}

async function adoptPod(deps: ActionDeps, target: SetTarget, cached: CachedPod, owner: OwnerReference, updateRevision: string): Promise<boolean> {
  const { namespace, name } = { namespace: target.view.namespace, name: cached.metadata?.name ?? '' };
  let full: KubeObject & { spec?: PodContainers };
  try {
    full = await deps.client.request<KubeObject & { spec?: PodContainers }>(HttpMethod.GET, resourcePath(PODS, namespace, name));
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  if (full.metadata?.uid !== cached.metadata?.uid || full.metadata?.deletionTimestamp) return false;
  const revision = full.metadata?.labels?.[WORKLOAD_LABELS.controllerRevisionHash];
  const relabel = revision !== updateRevision && runsTemplate(target.view.template, full.spec ?? {});
  const adopted = await claim(deps, PODS, full, owner, relabel ? { [WORKLOAD_LABELS.controllerRevisionHash]: updateRevision } : undefined);
  if (adopted && relabel) {
    deps.recorder.normal(target.object, 'Adopted', `Pod ${name} runs the template: revision ${revision ?? '(none)'} taken as ${updateRevision}`);
  }
  return adopted;
}

/** Adds `owner` as controller (next to the other references), guarded by resourceVersion; false when the object is gone. */
async function claim(deps: ActionDeps, resource: ResourceDescriptor, object: KubeObject, owner: OwnerReference, labels?: Record<string, string>): Promise<boolean> {
  const { namespace, name, resourceVersion, uid } = object.metadata ?? {};
  const others = (object.metadata?.ownerReferences ?? []).filter((ref) => ref.uid !== owner.uid);
  try {
    await writer(deps.client, resource).patch(namespace, name ?? '', mergePatch({ metadata: { ownerReferences: [...others, owner], ...(labels === undefined ? {} : { labels }) } }), {
      precondition: { uid, resourceVersion },
    });
    return true;
  } catch (error) {
    if (isObjectNotFound(error)) return false;
    throw error;
  }
}
