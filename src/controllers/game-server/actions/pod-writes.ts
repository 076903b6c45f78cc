// The one write the GameServer controller makes to pods: a strategic merge
// patch of ops labels, annotations and container images (compute-pod-sync).
// Strategic merge keeps `spec.containers` merged by name, so only the
// listed images change and only those containers restart in place.
import { HttpMethod } from '../../../runtime/kube-client.js';
import { PatchStrategy } from '../../../runtime/patch.js';
import { FIELD_MANAGER } from '../../../api/constants.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { KubeObject } from '../../../runtime/object.js';
import { PODS, resourcePath } from '../../../runtime/resource.js';
import type { PodSyncPatch } from '../compute-pod-sync.js';

export async function patchPod(client: KubeClient, pod: KubeObject, patch: PodSyncPatch): Promise<KubeObject> {
  const { namespace = '', name = '' } = pod.metadata ?? {};
  return client.request<KubeObject>(HttpMethod.PATCH, resourcePath(PODS, namespace, name), {
    body: patch,
    contentType: PatchStrategy.StrategicMergePatch,
    query: { fieldManager: FIELD_MANAGER },
  });
}
