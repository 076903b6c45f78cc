// The ScaleDownBlocked condition of a GameServerSet whose scale-down keeps
// rooms protected by gamekeeper.dev/scale-down-protected-ops-states.
import { SCALE_DOWN_BLOCKED } from '../../../api/constants.js';
import type { SetCondition } from './types.js';

/**
 * `blocked`: excess rooms this pass kept (0: none), or undefined when the
 * scale planner did not run (the condition is left as it is). True with the
 * count while rooms are kept; removed once none are.
 */
export function withScaleDownBlocked(
  conditions: readonly SetCondition[],
  blocked: number | undefined,
  protectedStates: readonly string[] | undefined,
  now: string,
): SetCondition[] {
  if (blocked === undefined) return [...conditions];
  const others = conditions.filter((c) => c.type !== SCALE_DOWN_BLOCKED);
  if (blocked === 0) return others;
  const previous = conditions.find((c) => c.type === SCALE_DOWN_BLOCKED);
  const since = previous?.status === 'True' && previous.lastTransitionTime !== undefined ? previous.lastTransitionTime : now;
  const message = `${blocked} room${blocked === 1 ? '' : 's'} above spec.replicas kept: opsState protected from scale-down (${(protectedStates ?? []).join(', ')})`;
  return [...others, { type: SCALE_DOWN_BLOCKED, status: 'True', reason: 'ProtectedOpsState', message, lastTransitionTime: since }];
}

/** True when `next` holds ScaleDownBlocked True and `previous` did not: the moment to warn, once. */
export function scaleDownBecameBlocked(previous: readonly SetCondition[] | undefined, next: readonly SetCondition[]): boolean {
  const was = previous?.some((c) => c.type === SCALE_DOWN_BLOCKED && c.status === 'True') ?? false;
  return !was && next.some((c) => c.type === SCALE_DOWN_BLOCKED && c.status === 'True');
}
