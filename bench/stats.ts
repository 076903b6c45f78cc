// Small statistics for benchmark figures: median, min, max of repetitions,
// and percentiles of samples (nearest rank) and of Prometheus histograms.

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function summarize(samples: readonly number[]): Summary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples: [...samples] };
}

/** Nearest-rank percentile (p in 0..100) of `samples`; undefined when empty. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Cumulative bucket counts of a histogram: upper bound (Infinity for +Inf) → count. */
export type Buckets = ReadonlyMap<number, number>;

/**
 * The p-th percentile of a histogram as Prometheus' histogram_quantile does
 * it (linear inside the bucket). Returns the upper bound of the last finite
 * bucket when the rank falls into +Inf, and undefined without observations.
 */
export function histogramQuantile(buckets: Buckets, p: number): number | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? (bounds.length > 0 ? buckets.get(bounds[bounds.length - 1]!)! : 0);
  if (!total) return undefined;
  const rank = (p / 100) * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound)!;
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket === 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

/** Bucket counts of `after` minus those of `before` (a window of a cumulative histogram). */
export function bucketDelta(after: Buckets, before: Buckets): Map<number, number> {
  const delta = new Map<number, number>();
  for (const [bound, count] of after) delta.set(bound, count - (before.get(bound) ?? 0));
  return delta;
}
