// Spec write-backs the scale planner asks for: lowering replicas after Kill,
// and ReserveIds back-fill. Guarded by the resourceVersion read, so a user's
// concurrent edit wins and the reconcile starts over.
import type { JsonPatchOperation } from '../../../runtime/patch.js';
import { jsonPatch, mergePatch, writer } from '../../../runtime/writes.js';
import { GAME_SERVER_SETS } from '../../shared/resources.js';
import { GAMEKEEPER_ANNOTATIONS } from '../../../api/constants.js';
import type { IntOrString } from '../plan/index.js';
import type { ActionDeps, SetTarget } from './deps.js';

async function patchSpec(deps: ActionDeps, target: SetTarget, operations: JsonPatchOperation[]): Promise<void> {
  await writer(deps.client, GAME_SERVER_SETS).patch(target.view.namespace, target.view.name, jsonPatch(operations), {
    precondition: { resourceVersion: target.object.metadata?.resourceVersion },
  });
}

export async function lowerReplicasAfterKill(deps: ActionDeps, target: SetTarget, replicas: number): Promise<void> {
  await patchSpec(deps, target, [{ op: 'replace', path: '/spec/replicas', value: replicas }]);
  deps.recorder.normal(target.object, 'Scale', `replicas lowered from ${target.view.replicas} to ${replicas}: game servers with opsState Kill`);
}

export async function writeReserveIds(deps: ActionDeps, target: SetTarget, ids: readonly IntOrString[]): Promise<void> {
  await patchSpec(deps, target, [{ op: 'add', path: '/spec/reserveGameServerIds', value: ids }]);
  deps.recorder.normal(target.object, 'Scale', `scale-down ids reserved (ReserveIds): reserveGameServerIds=${JSON.stringify(ids)}`);
}

/**
 * Records the ordinals the set holds in the annotation gamekeeper.dev/held-ordinals
 * (`undefined` removes it). A merge patch of that one key: the annotation is
 * the operator's alone, and a user's concurrent edit of anything else stays.
 */
export async function writeHeldOrdinals(deps: ActionDeps, target: SetTarget, value: string | undefined): Promise<void> {
  await writer(deps.client, GAME_SERVER_SETS).patch(
    target.view.namespace,
    target.view.name,
    mergePatch({ metadata: { annotations: { [GAMEKEEPER_ANNOTATIONS.heldOrdinals]: value ?? null } } }),
  );
}
