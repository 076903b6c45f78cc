// What a creation that answered AlreadyExists found. The pod cache holds only
// pods with the owner-gss label, so the pod is read directly:
// - controlled by this set (same UID) but without its owner-gss label (removed
//   by hand): it is still the set's; the label is put back (guarded by the
//   resourceVersion read), and the cache sees the pod again;
// - anything else (another owner, or none): never adopted, never deleted; the
//   ordinal is skipped for a while and a Warning says why.
import { LABELS } from '../../../api/constants.js';
import { isConflict, isNotFound } from '../../../runtime/errors.js';
import { isObjectNotFound } from '../../../runtime/write-errors.js';
import { jsonPatch } from '../../../runtime/writes.js';
import { patchPod } from '../../shared/pod-writes.js';
import { controllerOf } from '../../../runtime/owner.js';
import { escapePointer } from '../../../runtime/patch.js';
import type { CachedPod } from '../../shared/informers.js';
import type { ActionDeps, SetTarget } from './deps.js';
import { getPod } from './pod-api.js';

export type ExistingPod =
  /** The set's own pod (its label is back, or was already there). */
  | 'owned'
  /** Held by something else: skip the ordinal. */
  | 'foreign'
  /** Gone, or changed while we looked: the next pass decides. */
  | 'retry';

export async function resolveExistingPod(deps: ActionDeps, target: SetTarget, name: string): Promise<ExistingPod> {
  const { view: set } = target;
  let pod: CachedPod;
  try {
    pod = await getPod(deps.client, set.namespace, name);
  } catch (error) {
    if (isNotFound(error)) return 'retry';
    throw error;
  }
  const controller = controllerOf(pod);
  if (controller?.uid !== set.uid) {
    const owner = controller === undefined ? 'no controller' : `controller ${controller.kind} ${controller.name}`;
    deps.recorder.warning(target.object, 'PodExists', `Pod ${name} exists with ${owner}, not GameServerSet ${set.name}: its id is skipped`);
    return 'foreign';
  }
  if (pod.metadata?.labels?.[LABELS.ownerGss] === set.name) return 'owned';
  try {
    const operations = pod.metadata?.labels
      ? [{ op: 'add' as const, path: `/metadata/labels/${escapePointer(LABELS.ownerGss)}`, value: set.name }]
      : [{ op: 'add' as const, path: '/metadata/labels', value: { [LABELS.ownerGss]: set.name } }];
    await patchPod(deps.client, set.namespace, name, jsonPatch(operations), { precondition: { resourceVersion: pod.metadata?.resourceVersion } });
  } catch (error) {
    if (isObjectNotFound(error) || isConflict(error)) return 'retry';
    throw error;
  }
  deps.recorder.normal(target.object, 'PodRelabelled', `Pod ${name} of GameServerSet ${set.name} had lost its ${LABELS.ownerGss} label: label restored`);
  return 'owned';
}
