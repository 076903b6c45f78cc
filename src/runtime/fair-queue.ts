// Items handed out round-robin across groups (for work-queue keys and API
// requests: their namespace): a namespace with 20,000 items waiting gets one
// turn in every round, like any other, so a small set elsewhere is served
// while a huge one scales. Within a group items keep their order (FIFO).

/** The group of a `namespace/name` key: its namespace ('' for cluster-scoped keys). */
export function groupOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

export class FairQueue<T = string> {
  /** Items of each group with items waiting, in order. */
  private readonly groups = new Map<string, T[]>();
  /** Groups with keys waiting, in turn order; `next` indexes the next turn. */
  private ring: string[] = [];
  private next = 0;
  private count = 0;

  constructor(private readonly groupOf: (item: T) => string = groupOfKey as unknown as (item: T) => string) {}

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const group = this.groupOf(item);
    const items = this.groups.get(group);
    if (items) items.push(item);
    else {
      this.groups.set(group, [item]);
      // A group that starts waiting takes its turn after the groups already waiting.
      this.ring.splice(this.next, 0, group);
      this.next += 1;
    }
    this.count += 1;
  }

  /** The next item: the first of the group whose turn it is. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    if (this.next >= this.ring.length) this.next = 0;
    const group = this.ring[this.next]!;
    const items = this.groups.get(group)!;
    const item = items.shift()!;
    this.count -= 1;
    if (items.length === 0) {
      this.groups.delete(group);
      this.ring.splice(this.next, 1);
    } else this.next += 1;
    return item;
  }

  clear(): void {
    this.groups.clear();
    this.ring = [];
    this.next = 0;
    this.count = 0;
  }
}
