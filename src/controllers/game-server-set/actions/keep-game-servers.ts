// Resets label game.kruise.io/gs-deleting to "false" on GameServers whose id
// is back in the set (plan/plan-reclaim.ts), as OKG does.
import { LABELS } from '../../../api/constants.js';
import { isObjectNotFound } from '../../../runtime/write-errors.js';
import { mergePatch, writer } from '../../../runtime/writes.js';
import { GAME_SERVERS } from '../../shared/resources.js';
import { forEachConcurrently, POD_WRITE_CONCURRENCY } from './concurrently.js';
import type { ActionDeps, SetTarget } from './deps.js';

export async function keepGameServers(deps: ActionDeps, target: SetTarget, names: readonly string[]): Promise<void> {
  await forEachConcurrently(names, POD_WRITE_CONCURRENCY, async (name) => {
    try {
      await writer(deps.client, GAME_SERVERS).patch(target.view.namespace, name, mergePatch({ metadata: { labels: { [LABELS.gsDeleting]: 'false' } } }));
    } catch (error) {
      if (!isObjectNotFound(error)) throw error;
    }
  });
}
