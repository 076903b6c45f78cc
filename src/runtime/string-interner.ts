// One copy of each string that many cached objects repeat. V8's JSON.parse
// already shares values of up to 10 characters; longer ones (condition types
// such as "InPlaceUpdateReady", images and image IDs, the set's UID in every
// ownerReference, timestamps of a busy second) arrive as a fresh string in
// every object. At 2000 pods and GameServers measured with
// bench/cache-footprint.ts, sharing them took a third off each cached object.

/**
 * Members whose values are unique per object: never worth a table entry. (An
 * object's own `uid` is passed as 'metadata.uid'; an owner reference's `uid`,
 * the same in every pod of a set, is shared.)
 */
const UNIQUE_MEMBERS: ReadonlySet<string> = new Set(['metadata.uid', 'name', 'generateName', 'resourceVersion', 'containerID', 'podIP', 'ip', 'hostname', 'message']);

/** Strings longer than this are rare and unique (JSON in annotations, messages): kept as they are. */
const MAX_INTERNED_LENGTH = 256;
/** Strings this short are already shared by V8's JSON.parse. */
const MIN_INTERNED_LENGTH = 11;

/**
 * A bounded table of strings: `intern` returns the copy seen first. When the
 * table holds `capacity` strings it starts over (cheap, and keeps it bounded:
 * strings in use stay shared by the objects already holding them, the next
 * ones are shared again from there).
 */
export class StringInterner {
  private readonly table = new Map<string, string>();

  constructor(readonly capacity = 16_384) {}

  get size(): number {
    return this.table.size;
  }

  /** The shared copy of `value`, the value of member `member` (unique-valued members and very short or long strings pass through). */
  intern(value: string, member: string): string {
    if (value.length < MIN_INTERNED_LENGTH || value.length > MAX_INTERNED_LENGTH || UNIQUE_MEMBERS.has(member)) return value;
    const known = this.table.get(value);
    if (known !== undefined) return known;
    if (this.table.size >= this.capacity) this.table.clear();
    this.table.set(value, value);
    return value;
  }
}
