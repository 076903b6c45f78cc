// Warning events of gamekeeper's GameServerSet extensions, each raised once:
// an opsState-list annotation with entries left out (once per value written),
// and a scale-down that keeps protected rooms (once per episode: again only
// after the ScaleDownBlocked condition went away).
import { EXTENSION_ANNOTATIONS, SCALE_DOWN_BLOCKED } from '../../api/constants.js';
import { OPS_STATES } from '../../api/game-server.js';
import type { EventRecorder } from '../../runtime/events.js';
import type { CachedObject } from '../shared/informers.js';
import { parseOpsStateList } from './plan/ops-state-list.js';
import { scaleDownBecameBlocked } from './plan/scale-down-blocked.js';
import type { SetCondition } from './plan/index.js';

const LISTS = [
  { key: EXTENSION_ANNOTATIONS.scaleDownProtectedOpsStates, disallowed: ['Kill'] },
  { key: EXTENSION_ANNOTATIONS.updateOpsStates, disallowed: [] },
] as const;

export class ExtensionWarnings {
  /** Annotation values already warned about, by `set key|annotation`. */
  private readonly warnedValues = new Map<string, string>();
  /** Sets whose current scale-down block was already warned about. */
  private readonly warnedBlocked = new Set<string>();

  constructor(private readonly recorder: EventRecorder) {}

  /** Warns about entries an opsState-list annotation of `set` leaves out. */
  annotations(key: string, set: CachedObject): void {
    for (const { key: annotation, disallowed } of LISTS) {
      const value = set.metadata?.annotations?.[annotation];
      const memo = `${key}|${annotation}`;
      const rejected = parseOpsStateList(value, disallowed)?.rejected ?? [];
      if (value === undefined || rejected.length === 0) {
        this.warnedValues.delete(memo);
        continue;
      }
      if (this.warnedValues.get(memo) === value) continue;
      this.warnedValues.set(memo, value);
      const allowed = OPS_STATES.filter((state) => !(disallowed as readonly string[]).includes(state)).join(', ');
      this.recorder.warning(set, 'InvalidAnnotation', `${annotation}: ignoring ${rejected.map((r) => JSON.stringify(r)).join(', ')} (allowed: ${allowed})`);
    }
  }

  /** Warns once when the set's scale-down starts keeping protected rooms. */
  scaleDown(key: string, set: CachedObject, previous: readonly SetCondition[] | undefined, next: readonly SetCondition[]): void {
    const blocked = next.find((c) => c.type === SCALE_DOWN_BLOCKED && c.status === 'True');
    if (blocked === undefined) {
      this.warnedBlocked.delete(key);
      return;
    }
    if (this.warnedBlocked.has(key)) return;
    this.warnedBlocked.add(key);
    if (scaleDownBecameBlocked(previous, next)) this.recorder.warning(set, SCALE_DOWN_BLOCKED, blocked.message ?? 'scale-down keeps protected rooms');
  }

  forget(key: string): void {
    this.warnedBlocked.delete(key);
    for (const memo of [...this.warnedValues.keys()]) if (memo.startsWith(`${key}|`)) this.warnedValues.delete(memo);
  }
}
