// The few pod/claim calls the actions make, in one place; writes go through
// the write layer (runtime/writes.ts), pod patches through the one patchPod
// (shared/pod-writes.ts).
import { HttpMethod } from '../../../runtime/kube-client.js';
import { IN_PLACE_UPDATE_READY } from '../../../api/constants.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { KubeObject } from '../../../runtime/object.js';
import { PODS, resourcePath } from '../../../runtime/resource.js';
import { strategicPatch, writer } from '../../../runtime/writes.js';
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
  const body = { ...(metadata === undefined ? {} : { metadata }), ...(conditions.length === 0 ? {} : { status: { conditions } }) };
  return writer<CachedPod>(client, PODS).patchStatus(namespace, name, strategicPatch(body));
}

export async function getPod(client: KubeClient, namespace: string, name: string): Promise<CachedPod> {
  return client.request<CachedPod>(HttpMethod.GET, resourcePath(PODS, namespace, name));
}

export async function createPod(client: KubeClient, namespace: string, pod: KubeObject): Promise<CachedPod> {
  return writer<CachedPod>(client, PODS).create(pod, {}, namespace);
}

/** Deletes the pod with this UID (a precondition, so a recreated pod of the same name is never hit); `stillWanted` (see RawRequestOptions) may cancel it after the wait for a token. */
export async function deletePod(
  client: KubeClient,
  namespace: string,
  name: string,
  uid: string,
  gracePeriodSeconds?: number,
  stillWanted?: () => boolean,
): Promise<void> {
  await writer(client, PODS).delete(namespace, name, {
    precondition: { uid },
    ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
    ...(stillWanted ? { stillWanted } : {}),
  });
}

export async function createClaim(client: KubeClient, namespace: string, claim: KubeObject): Promise<void> {
  await writer(client, PERSISTENT_VOLUME_CLAIMS).create(claim, {}, namespace);
}

export async function deleteClaim(client: KubeClient, namespace: string, name: string): Promise<void> {
  await writer(client, PERSISTENT_VOLUME_CLAIMS).delete(namespace, name);
}
