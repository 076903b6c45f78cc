// Exec probes run a command inside a pod: the operator only ever does so in a
// pod it owns, checked against its caches right before every exec (a pod the
// user created with a look-alike label, or a set's pod orphaned on purpose,
// is never exec'd into, whatever the RBAC would allow).
import { API_VERSION, GAME_SERVER_SET_KIND, LABELS } from '../../../api/constants.js';
import type { KubeObject } from '../../../runtime/object.js';

/** An exec refused before any request: the pod is not one of a known set's. */
export class PodNotOwnedError extends Error {
  constructor(
    readonly namespace: string,
    readonly podName: string,
    readonly why: string,
  ) {
    super(`no exec in pod ${namespace}/${podName}: ${why}`);
    this.name = 'PodNotOwnedError';
  }
}

/**
 * Why `pod` is not a pod the operator owns, or undefined when it is: it
 * carries the owner-gss label of `set` (the cached set of that name in its
 * namespace) and a controller owner reference to that very set (same uid).
 */
export function whyNotOwned(pod: KubeObject | undefined, set: KubeObject | undefined): string | undefined {
  if (!pod) return 'the pod is not in the cache';
  const setName = pod.metadata?.labels?.[LABELS.ownerGss];
  if (!setName) return `the pod has no ${LABELS.ownerGss} label`;
  if (!set || set.metadata?.name !== setName || set.metadata.namespace !== pod.metadata?.namespace) return `no GameServerSet ${setName} is known in its namespace`;
  const controller = pod.metadata?.ownerReferences?.find((reference) => reference.controller === true);
  if (!controller || controller.apiVersion !== API_VERSION || controller.kind !== GAME_SERVER_SET_KIND || controller.name !== setName) {
    return `the pod is not controlled by GameServerSet ${setName}`;
  }
  if (!controller.uid || controller.uid !== set.metadata.uid) return `the pod's controller is another GameServerSet ${setName} (uid ${controller.uid ?? '?'})`;
  return undefined;
}
