// Events a sync raises on the GameServer (okg.md §2.8): GsStateChanged when
// the state, opsState, a priority or networkDisabled changes (only when the
// previous value was non-empty, so a new pod is quiet), and a Warning with
// the condition's reason when a condition turns False.
//
// The ops fields' `previous` is read from the pod's labels before the sync,
// `next` is what the sync writes (desiredOpsLabels). The state's change is
// read from the GameServer's status instead (stateChangeEvents): the
// GameServerSet controller stamps the state label itself in the pod writes of
// an in-place update, so the label may already be right when this controller
// writes the new state into the status.
import { conditionWarnings } from './compute-conditions.js';
import {
  GS_DELETE_PRIORITY_LABEL,
  GS_NETWORK_DISABLED_LABEL,
  GS_OPS_STATE_LABEL,
  GS_STATE_CHANGED_REASON,
  GS_STATE_LABEL,
  GS_UPDATE_PRIORITY_LABEL,
} from './keys.js';
import type { GameServerCondition, GameServerEvent } from './types.js';

export interface EventSnapshot {
  state?: string;
  opsState?: string;
  updatePriority?: string;
  deletionPriority?: string;
  networkDisabled?: string;
  conditions?: readonly GameServerCondition[];
}

/** A snapshot from pod labels (before the sync) or desired labels (after it). */
export function snapshotFromLabels(labels: Record<string, string>, conditions?: readonly GameServerCondition[]): EventSnapshot {
  const snapshot: EventSnapshot = {};
  const pairs: [keyof Omit<EventSnapshot, 'conditions'>, string][] = [
    ['state', GS_STATE_LABEL],
    ['opsState', GS_OPS_STATE_LABEL],
    ['updatePriority', GS_UPDATE_PRIORITY_LABEL],
    ['deletionPriority', GS_DELETE_PRIORITY_LABEL],
    ['networkDisabled', GS_NETWORK_DISABLED_LABEL],
  ];
  for (const [field, key] of pairs) {
    const value = labels[key];
    if (value !== undefined) snapshot[field] = value;
  }
  if (conditions !== undefined) snapshot.conditions = conditions;
  return snapshot;
}

const FIELDS: { field: keyof Omit<EventSnapshot, 'conditions'>; label: string; warnWhen?: string }[] = [
  { field: 'deletionPriority', label: 'DeletionPriority' },
  { field: 'updatePriority', label: 'UpdatePriority' },
  { field: 'opsState', label: 'OpsState', warnWhen: 'Maintaining' },
  { field: 'networkDisabled', label: 'NetworkDisabled' },
  { field: 'state', label: 'State', warnWhen: 'Crash' },
];

export function computeEvents(previous: EventSnapshot, next: EventSnapshot): GameServerEvent[] {
  const events: GameServerEvent[] = [];
  for (const { field, label, warnWhen } of FIELDS) {
    const before = previous[field];
    const after = next[field];
    if (!before || after === undefined || before === after) continue;
    events.push({
      type: after === warnWhen ? 'Warning' : 'Normal',
      reason: GS_STATE_CHANGED_REASON,
      message: `${label} turn from ${before} to ${after}`,
    });
  }
  if (next.conditions !== undefined) events.push(...conditionWarnings(previous.conditions ?? [], next.conditions));
  return events;
}

/** The GsStateChanged event of a status write that moves currentState (none for a GameServer's first state). */
export function stateChangeEvents(previous: string | undefined, next: string): GameServerEvent[] {
  return computeEvents(previous ? { state: previous } : {}, { state: next });
}

/** The snapshot without the state, whose event comes from the status (stateChangeEvents). */
export function withoutState(snapshot: EventSnapshot): EventSnapshot {
  const { state: _state, ...rest } = snapshot;
  return rest;
}
