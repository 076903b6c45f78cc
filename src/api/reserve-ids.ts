// `spec.reserveGameServerIds`: ids given as integers or inclusive "a-b"
// ranges. One module parses and formats them for the schema (which refuses a
// bad item, where OKG silently ignored the whole list), the controllers and
// the `game.kruise.io/reserve-ids` annotation ("1,2,5-7").
//
// The ids are kept as sorted, disjoint ranges and never expanded: a reserve
// of "0-999999" is one range, its membership test a binary search and the
// lowest free id above it one step, whatever the size of the range.
import type { IntOrString } from './int-or-string.js';

/**
 * Largest reservable id: nine digits, so the pattern alone bounds it at the
 * API server, and above any id a set reaches (a set reserving "0-999999" and
 * scaling down under ReserveIds writes its ids from 1000000 back).
 */
export const RESERVE_ID_MAX = 999_999_999;
/** An id, or an inclusive range of ids, without leading zeros. */
export const RESERVE_ID_PATTERN = /^(0|[1-9][0-9]{0,8})(-(0|[1-9][0-9]{0,8}))?$/;
/** Runs of at least this many consecutive ids are written as one "a-b" range. */
export const MIN_RANGE_RUN = 3;

/** An inclusive range of ids, `from <= to`. */
export type IdRange = readonly [from: number, to: number];

/** A set of ids held as sorted, disjoint, non-adjacent inclusive ranges. */
export class IdRanges {
  static readonly empty = new IdRanges([]);

  private constructor(
    /** Sorted by `from`; no two ranges overlap or touch. */
    readonly ranges: readonly IdRange[],
  ) {}

  /** The union of `ranges` (any order, overlapping or not). */
  static fromRanges(ranges: Iterable<IdRange>): IdRanges {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [from, to] of sorted) {
      const last = merged[merged.length - 1];
      if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    return merged.length === 0 ? IdRanges.empty : new IdRanges(merged);
  }

  /** The set of `ids` (any order, duplicates allowed). */
  static of(ids: Iterable<number>): IdRanges {
    return IdRanges.fromRanges([...ids].map((id): IdRange => [id, id]));
  }

  /** Number of ids. */
  get size(): number {
    return this.ranges.reduce((sum, [from, to]) => sum + to - from + 1, 0);
  }

  has(id: number): boolean {
    return this.rangeAt(id) !== undefined;
  }

  /** The smallest id `>= from` not in the set. */
  nextFree(from: number): number {
    const range = this.rangeAt(from);
    return range === undefined ? from : range[1] + 1;
  }

  /** This set plus `ids`. */
  with(ids: Iterable<number>): IdRanges {
    return IdRanges.fromRanges([...this.ranges, ...[...ids].map((id): IdRange => [id, id])]);
  }

  /** As spec items: ranges of MIN_RANGE_RUN ids or more as "a-b", shorter ones as integers. */
  toItems(): IntOrString[] {
    return this.ranges.flatMap(([from, to]): IntOrString[] => {
      if (to - from + 1 >= MIN_RANGE_RUN) return [`${from}-${to}`];
      const single: IntOrString[] = [];
      for (let id = from; id <= to; id++) single.push(id);
      return single;
    });
  }

  /** The range holding `id`, by binary search. */
  private rangeAt(id: number): IdRange | undefined {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const range = this.ranges[middle]!;
      if (id < range[0]) high = middle - 1;
      else if (id > range[1]) low = middle + 1;
      else return range;
    }
    return undefined;
  }
}

export type ReserveIdsResult = { readonly ok: true; readonly ids: IdRanges } | { readonly ok: false; readonly error: string };

/** Why one item is not a valid reserve id, or undefined when it is one. */
export function reserveIdProblem(value: IntOrString): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > RESERVE_ID_MAX) {
      return `${value} is not an id from 0 to ${RESERVE_ID_MAX}`;
    }
    return undefined;
  }
  if (!RESERVE_ID_PATTERN.test(value)) {
    return `"${value}" is neither an id nor a range "a-b" of ids from 0 to ${RESERVE_ID_MAX}`;
  }
  const [from, to] = rangeBounds(value);
  if (from > to) return `range "${value}" is reversed: write "${to}-${from}"`;
  return undefined;
}

/** The items as a set of ranges (never expanded); the first bad item fails the whole list. */
export function parseReserveIds(values: readonly IntOrString[]): ReserveIdsResult {
  const ranges: IdRange[] = [];
  for (const value of values) {
    const problem = reserveIdProblem(value);
    if (problem !== undefined) return { ok: false, error: problem };
    ranges.push(typeof value === 'number' ? [value, value] : rangeBounds(value));
  }
  return { ok: true, ids: IdRanges.fromRanges(ranges) };
}

/** The ids as spec items: runs of MIN_RANGE_RUN or more become "a-b", the rest integers. */
export function formatReserveIds(ids: IdRanges | Iterable<number>): IntOrString[] {
  return (ids instanceof IdRanges ? ids : IdRanges.of(ids)).toItems();
}

/** Parses the `game.kruise.io/reserve-ids` annotation, e.g. "1,2,5-7" (empty means none). */
export function parseReserveIdsAnnotation(text: string): ReserveIdsResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ids: IdRanges.empty };
  const items = trimmed.split(',').map((item) => {
    const part = item.trim();
    return /^[0-9]+$/.test(part) ? Number(part) : part;
  });
  return parseReserveIds(items);
}

/** The ids as the `game.kruise.io/reserve-ids` annotation value. */
export function formatReserveIdsAnnotation(ids: IdRanges | Iterable<number>): string {
  return formatReserveIds(ids).join(',');
}

function rangeBounds(item: string): [number, number] {
  const [from = '', to = from] = item.split('-');
  return [Number(from), Number(to)];
}
