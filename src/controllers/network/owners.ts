// Who owns a plugin's objects: the pod, so the garbage collector removes them
// with the room; with Fixed, the GameServerSet, so they outlive pod
// re-creation and go with the set (OKG consOwnerReference).
import { API_VERSION, GAME_SERVER_SET_KIND, LABELS, WORKLOAD_LABELS } from '../../api/constants.js';
import type { ManifestOwner, ServerFacts } from './types.js';

export function objectOwner(server: ServerFacts, fixed: boolean): ManifestOwner {
  return fixed
    ? { apiVersion: API_VERSION, kind: GAME_SERVER_SET_KIND, name: server.set.name, uid: server.set.uid, controller: true, blockOwnerDeletion: true }
    : { apiVersion: 'v1', kind: 'Pod', name: server.name, uid: server.pod.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Labels of every object a plugin creates: the set's owner label, so the operator's caches see them. */
export function objectLabels(server: ServerFacts): Record<string, string> {
  return { [LABELS.ownerGss]: server.set.name };
}

/** The selector of exactly the game server's pod (OKG SvcSelectorKey). */
export function podSelector(server: ServerFacts): Record<string, string> {
  return { [WORKLOAD_LABELS.statefulSetPodName]: server.name };
}
