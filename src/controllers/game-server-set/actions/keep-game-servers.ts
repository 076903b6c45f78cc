// Resets label game.kruise.io/gs-deleting to "false" on GameServers whose id
// is back in the set (plan/plan-reclaim.ts), as OKG does.
import { LABELS } from '../../../api/constants.js';
import { isNotFound } from '../../../runtime/errors.js';
import { HttpMethod } from '../../../runtime/kube-client.js';
import { PatchStrategy } from '../../../runtime/patch.js';
import { resourcePath } from '../../../runtime/resource.js';
import { GAME_SERVERS } from '../../shared/resources.js';
import { forEachConcurrently, POD_WRITE_CONCURRENCY } from './concurrently.js';
import type { ActionDeps, SetTarget } from './deps.js';

export async function keepGameServers(deps: ActionDeps, target: SetTarget, names: readonly string[]): Promise<void> {
  await forEachConcurrently(names, POD_WRITE_CONCURRENCY, async (name) => {
    try {
      await deps.client.request(HttpMethod.PATCH, resourcePath(GAME_SERVERS, target.view.namespace, name), {
        body: { metadata: { labels: { [LABELS.gsDeleting]: 'false' } } },
        contentType: PatchStrategy.MergePatch,
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  });
}
