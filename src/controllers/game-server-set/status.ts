// Writes a set's status through the status subresource, only when it changed,
// and a change of replica counts alone at most once per STATUS_INTERVAL_MS:
// while hundreds of pods move, the counts change with every one of them.
// The patch carries the resourceVersion the status was computed from, so a
// write from a stale read answers 409 Conflict (requeued quietly) instead of
// overwriting what another writer changed meanwhile.
import { mergePatch, writer } from '../../runtime/writes.js';
import type { CachedObject } from '../shared/informers.js';
import { GAME_SERVER_SETS } from '../shared/resources.js';
import type { ActionDeps, SetTarget } from './actions/deps.js';
import { onlyCountsChanged, statusEqual, type SetStatus } from './plan/index.js';

/** Shortest time between two writes of a set's status that only move replica counts. */
export const STATUS_INTERVAL_MS = 1_000;

/**
 * Writes `next` if it differs from `current` and may be written now (`lastWriteMs`:
 * when this set's status was last written). Returns when the status was
 * written (ms), or how long the count-only change still waits.
 */
export async function applyStatus(
  deps: ActionDeps,
  target: SetTarget,
  current: SetStatus | undefined,
  next: SetStatus,
  timing: { readonly nowMs: number; readonly lastWriteMs: number | undefined },
): Promise<{ writtenAtMs?: number; waitMs?: number; written?: CachedObject }> {
  if (statusEqual(current, next)) return {};
  const { nowMs, lastWriteMs } = timing;
  if (lastWriteMs !== undefined && onlyCountsChanged(current, next) && nowMs - lastWriteMs < STATUS_INTERVAL_MS) {
    return { waitMs: lastWriteMs + STATUS_INTERVAL_MS - nowMs };
  }
  const written = await writer<CachedObject>(deps.client, GAME_SERVER_SETS).patchStatus(target.view.namespace, target.view.name, mergePatch({ status: next }), {
    precondition: { resourceVersion: target.object.metadata?.resourceVersion },
  });
  return { writtenAtMs: nowMs, written };
}
