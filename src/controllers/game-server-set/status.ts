// Writes a set's status through the status subresource, only when it changed.
import { HttpMethod } from '../../runtime/kube-client.js';
import { PatchStrategy } from '../../runtime/patch.js';
import { resourcePath } from '../../runtime/resource.js';
import { GAME_SERVER_SETS } from '../shared/resources.js';
import type { ActionDeps, SetTarget } from './actions/deps.js';
import { statusEqual, type SetStatus } from './plan/index.js';

/** True if a write was made. A merge patch of the whole status: every field we own is present. */
export async function applyStatus(deps: ActionDeps, target: SetTarget, current: SetStatus | undefined, next: SetStatus): Promise<boolean> {
  if (statusEqual(current, next)) return false;
  await deps.client.request(HttpMethod.PATCH, resourcePath(GAME_SERVER_SETS, target.view.namespace, target.view.name, 'status'), {
    body: { status: next },
    contentType: PatchStrategy.MergePatch,
  });
  return true;
}
