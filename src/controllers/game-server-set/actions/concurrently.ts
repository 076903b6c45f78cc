// Per-pod writes of one reconcile run side by side (the client's token bucket
// still sets the pace): a sequential loop makes an in-place update of N pods
// cost N round trips of latency instead of N requests of rate.

/** Pod writes in flight at once within one reconcile. */
export const POD_WRITE_CONCURRENCY = 16;

/**
 * Creations and deletions in flight at once within one reconcile: enough to
 * keep the client's rate busy, few enough that one set's pass does not queue
 * thousands of requests in front of everything else the process does.
 */
export const POD_BATCH_CONCURRENCY = 64;

/** Runs `work` for every item, at most `limit` at once; waits for all, then rethrows the first failure. */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  let failure: unknown;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        if (!failed) {
          failed = true;
          failure = error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed) throw failure;
}
