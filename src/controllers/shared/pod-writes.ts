// The one pod patch both controllers make, through the write layer
// (runtime/writes.ts): the strategy is the caller's (a strategic merge of
// ops labels and container images from the GameServer controller, a JSON
// patch with `test` ops for an in-place update, ...), the fieldManager and
// the error handling are the layer's.
import type { KubeClient } from '../../runtime/kube-client.js';
import { PODS } from '../../runtime/resource.js';
import { writer, type Patch, type PatchOptions } from '../../runtime/writes.js';
import type { CachedPod } from './informers.js';

export async function patchPod(client: KubeClient, namespace: string | undefined, name: string, patch: Patch, options?: PatchOptions): Promise<CachedPod> {
  return writer<CachedPod>(client, PODS).patch(namespace, name, patch, options);
}
