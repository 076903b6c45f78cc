// `spec.reserveGameServerIds`: ids given as integers or inclusive "a-b"
// ranges. One module parses and formats them for the schema (which refuses a
// bad item, where OKG silently ignored the whole list), the controllers and
// the `game.kruise.io/reserve-ids` annotation ("1,2,5-7").
import type { IntOrString } from './int-or-string.js';

/** Largest reservable id; it bounds any expanded set to a million ids. */
export const RESERVE_ID_MAX = 999_999;
/** An id, or an inclusive range of ids, without leading zeros. */
export const RESERVE_ID_PATTERN = /^(0|[1-9][0-9]{0,5})(-(0|[1-9][0-9]{0,5}))?$/;
/** Runs of at least this many consecutive ids are written as one "a-b" range. */
export const MIN_RANGE_RUN = 3;

export type ReserveIdsResult =
  | { readonly ok: true; readonly ids: readonly number[] }
  | { readonly ok: false; readonly error: string };

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

/** Expands the items into the sorted set of ids; the first bad item fails the whole list. */
export function parseReserveIds(values: readonly IntOrString[]): ReserveIdsResult {
  const ids = new Set<number>();
  for (const value of values) {
    const problem = reserveIdProblem(value);
    if (problem !== undefined) return { ok: false, error: problem };
    const [from, to] = typeof value === 'number' ? [value, value] : rangeBounds(value);
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return { ok: true, ids: [...ids].sort((a, b) => a - b) };
}

/** The ids as spec items: runs of MIN_RANGE_RUN or more become "a-b", the rest integers. */
export function formatReserveIds(ids: Iterable<number>): IntOrString[] {
  return runs(ids).flatMap(([from, to]): IntOrString[] => {
    if (to - from + 1 >= MIN_RANGE_RUN) return [`${from}-${to}`];
    const single: IntOrString[] = [];
    for (let id = from; id <= to; id++) single.push(id);
    return single;
  });
}

/** Parses the `game.kruise.io/reserve-ids` annotation, e.g. "1,2,5-7" (empty means none). */
export function parseReserveIdsAnnotation(text: string): ReserveIdsResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ids: [] };
  const items = trimmed.split(',').map((item) => {
    const part = item.trim();
    return /^[0-9]+$/.test(part) ? Number(part) : part;
  });
  return parseReserveIds(items);
}

/** The ids as the `game.kruise.io/reserve-ids` annotation value. */
export function formatReserveIdsAnnotation(ids: Iterable<number>): string {
  return formatReserveIds(ids).join(',');
}

function rangeBounds(item: string): [number, number] {
  const [from = '', to = from] = item.split('-');
  return [Number(from), Number(to)];
}

/** Sorted, de-duplicated ids grouped into inclusive runs of consecutive ids. */
function runs(ids: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const result: Array<[number, number]> = [];
  for (const id of sorted) {
    const last = result[result.length - 1];
    if (last !== undefined && id === last[1] + 1) last[1] = id;
    else result.push([id, id]);
  }
  return result;
}
