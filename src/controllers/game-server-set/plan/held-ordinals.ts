// The ordinals a set holds, kept in the cluster (an annotation on the set)
// rather than only in the process: pods are the only other record, and a pod
// deleted by hand leaves none, so after a restart or a failover the set would
// otherwise bring it back in the lowest hole instead of under its own id.
// Written only when it tells something the pods do not: while the held
// ordinals are the lowest free ones, the annotation is absent.
import type { IdRanges } from '../../../api/reserve-ids.js';
import { lowestFreeOrdinals } from './plan-scale.js';

/** "0,2,5-7" for {0, 2, 5, 6, 7}; undefined when `held` is just the |held| lowest non-reserved ordinals. */
export function formatHeldOrdinals(held: ReadonlySet<number>, reserved: IdRanges): string | undefined {
  const sorted = [...held].sort((a, b) => a - b);
  const lowest = lowestFreeOrdinals(sorted.length, reserved, new Set());
  if (sorted.every((ordinal, i) => ordinal === lowest[i])) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let end = i;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    parts.push(end === i ? String(sorted[i]) : `${sorted[i]}-${sorted[end]}`);
    i = end + 1;
  }
  return parts.join(',');
}

/** Largest range expanded from the annotation (a hand-edited "0-999999999" is ignored, not allocated). */
const MAX_HELD = 100_000;

/** The ordinals of a held-ordinals annotation; undefined when absent or not one (then the pods decide alone). */
export function parseHeldOrdinals(text: string | undefined): Set<number> | undefined {
  if (text === undefined || !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text.trim())) return undefined;
  const held = new Set<number>();
  for (const part of text.trim().split(',')) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    if (to < from || held.size + (to - from + 1) > MAX_HELD) return undefined;
    for (let ordinal = from; ordinal <= to; ordinal++) held.add(ordinal);
  }
  return held;
}
