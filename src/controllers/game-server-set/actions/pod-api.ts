// The few raw pod/claim calls the actions make, in one place.
import { HttpMethod } from '../../../runtime/kube-client.js';
import { PatchStrategy } from '../../../runtime/patch.js';
import { IN_PLACE_UPDATE_READY } from '../../../api/constants.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { JsonPatchOperation } from '../../../runtime/patch.js';
import { PODS, resourcePath } from '../../../runtime/resource.js';
import { PERSISTENT_VOLUME_CLAIMS } from '../../shared/resources.js';
import type { CachedPod } from '../../shared/informers.js';

export type ConditionStatus = 'True' | 'False';

/** Labels and annotations written together with the condition (pods/status accepts metadata changes). */
export interface StatusMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Sets the pod's InPlaceUpdateReady condition through pods/status (strategic
 * merge on `type`), and in the same write any labels and annotations given:
 * the API server's pod status strategy keeps metadata changes, so a lifecycle
 * step is one request and one watch event instead of two.
 */
export async function setInPlaceUpdateReady(
  client: KubeClient,
  namespace: string,
  name: string,
  status: ConditionStatus,
  reason: string,
  now: string,
  metadata?: StatusMetadata,
): Promise<CachedPod> {
  return setPodConditions(client, namespace, name, [{ type: IN_PLACE_UPDATE_READY, status, reason, lastTransitionTime: now }], metadata);
}

export interface PodConditionWrite {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime: string;
}

/** Sets pod conditions through pods/status (strategic merge on `type`), with any labels and annotations in the same write. */
export async function setPodConditions(
  client: KubeClient,
  namespace: string,
  name: string,
  conditions: readonly PodConditionWrite[],
  metadata?: StatusMetadata,
): Promise<CachedPod> {
  return client.request<CachedPod>(HttpMethod.PATCH, resourcePath(PODS, namespace, name, 'status'), {
    body: { ...(metadata === undefined ? {} : { metadata }), ...(conditions.length === 0 ? {} : { status: { conditions } }) },
    contentType: PatchStrategy.StrategicMergePatch,
  });
}

/** A strategic merge patch of the pod (metadata: labels, annotations, finalizers merge). */
export async function strategicPatchPod(client: KubeClient, namespace: string, name: string, patch: unknown): Promise<CachedPod> {
  return client.request<CachedPod>(HttpMethod.PATCH, resourcePath(PODS, namespace, name), {
    body: patch,
    contentType: PatchStrategy.StrategicMergePatch,
  });
}

export async function patchPod(client: KubeClient, namespace: string, name: string, operations: readonly JsonPatchOperation[]): Promise<CachedPod> {
  return client.request<CachedPod>(HttpMethod.PATCH, resourcePath(PODS, namespace, name), {
    body: operations,
    contentType: PatchStrategy.JsonPatch,
  });
}

export async function mergePatchPod(client: KubeClient, namespace: string, name: string, patch: unknown): Promise<CachedPod> {
  return client.request<CachedPod>(HttpMethod.PATCH, resourcePath(PODS, namespace, name), {
    body: patch,
    contentType: PatchStrategy.MergePatch,
  });
}

export async function getPod(client: KubeClient, namespace: string, name: string): Promise<CachedPod> {
  return client.request<CachedPod>(HttpMethod.GET, resourcePath(PODS, namespace, name));
}

export async function createPod(client: KubeClient, namespace: string, pod: unknown): Promise<CachedPod> {
  return client.request<CachedPod>(HttpMethod.POST, resourcePath(PODS, namespace), { body: pod });
}

/** Deletes the pod with this UID (a precondition, so a recreated pod of the same name is never hit). */
/** Deletes the pod with this UID; `stillWanted` (see RawRequestOptions) may cancel it after the wait for a token. */
export async function deletePod(
  client: KubeClient,
  namespace: string,
  name: string,
  uid: string,
  gracePeriodSeconds?: number,
  stillWanted?: () => boolean,
): Promise<void> {
  await client.request(HttpMethod.DELETE, resourcePath(PODS, namespace, name), {
    body: { preconditions: { uid }, ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }) },
    ...(stillWanted ? { stillWanted } : {}),
  });
}

export async function createClaim(client: KubeClient, namespace: string, claim: unknown): Promise<void> {
  await client.request(HttpMethod.POST, resourcePath(PERSISTENT_VOLUME_CLAIMS, namespace), { body: claim });
}

export async function deleteClaim(client: KubeClient, namespace: string, name: string): Promise<void> {
  await client.request(HttpMethod.DELETE, resourcePath(PERSISTENT_VOLUME_CLAIMS, namespace, name));
}
