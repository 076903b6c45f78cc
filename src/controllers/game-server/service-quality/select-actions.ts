// One service quality: previous condition + the probe's reported outcome →
// the new condition and the actions that fire (OKG syncServiceQualities,
// okg.md §2.7).
//
// Actions are evaluated when there is no previous condition, or when status or
// result changed and (no action ever fired or the service quality is not
// permanent). Every action whose `state` matches and whose `result` is unset
// or equal fires, in order; later ones overwrite earlier ones. Decisions:
// - lastActionTransitionTime keeps its previous value when an evaluation
//   fires nothing (OKG zeroes it, which lets a permanent service quality fire
//   again after a result no action matches: "once per GameServer" holds here);
// - a probe that could not run gives status "Unknown" with the error as the
//   result; no action matches it;
// - a rendered opsState, label key/value or annotation key that the API would
//   refuse is skipped with a Warning (one bad value would fail the whole patch).
import { labelKeyProblem, labelValueProblem } from '../label-syntax.js';
import {
  INVALID_DELETION_PRIORITY_REASON,
  INVALID_OPS_STATE_REASON,
  INVALID_SERVICE_QUALITY_LABEL_REASON,
  INVALID_UPDATE_PRIORITY_REASON,
} from '../keys.js';
import { formatTime, toMillis } from '../time.js';
import type { GameServerEvent, GameServerSpecLike, IntOrString, ServiceQualityCondition } from '../types.js';
import { renderOrRaw, renderPriority } from './render-template.js';

export interface ServiceQualityActionLike {
  state: boolean;
  result?: string;
  opsState?: string;
  updatePriority?: IntOrString;
  deletionPriority?: IntOrString;
  networkDisabled?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ServiceQualityLike {
  name: string;
  permanent?: boolean;
  serviceQualityAction?: ServiceQualityActionLike[];
}

/** The outcome a probe currently reports; `at` is when that status/result was first seen. */
export type ProbeObservation =
  | { kind: 'result'; success: boolean; output: string; at: Date }
  | { kind: 'error'; reason: string; message: string; at: Date };

export type SpecChanges = Pick<GameServerSpecLike, 'opsState' | 'networkDisabled'> & {
  updatePriority?: number;
  deletionPriority?: number;
};

/** The GameServer fields the actions work on, after earlier service qualities applied. */
export interface ActionTarget {
  spec: GameServerSpecLike;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ActionSelection {
  condition: ServiceQualityCondition;
  /** True when at least one action fired. */
  fired: boolean;
  /** Spec fields, labels and annotations set by the actions that differ from the target. */
  spec: SpecChanges;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  warnings: GameServerEvent[];
}

/** The probe output as OKG stores it: "|" and line breaks removed. */
export function normalizeResult(output: string): string {
  return output.replace(/[|\r\n]/g, '');
}

export interface SelectActionsInput {
  serviceQuality: ServiceQualityLike;
  previous: ServiceQualityCondition | undefined;
  observation: ProbeObservation;
  target: ActionTarget;
  now: Date;
}

export function selectActions(input: SelectActionsInput): ActionSelection {
  const { serviceQuality: sq, previous, observation } = input;
  const status = observation.kind === 'error' ? 'Unknown' : observation.success ? 'True' : 'False';
  const result = normalizeResult(observation.kind === 'error' ? `${observation.reason}: ${observation.message}` : observation.output);
  const changed = previous === undefined || previous.status !== status || previous.result !== result;
  const mayAct = previous === undefined || !previous.lastActionTransitionTime || sq.permanent !== true;

  const selection: ActionSelection = { condition: { name: sq.name }, fired: false, spec: {}, labels: {}, annotations: {}, warnings: [] };
  if (changed && mayAct && observation.kind === 'result') {
    for (const action of sq.serviceQualityAction ?? []) {
      if (action.state !== observation.success || (action.result && action.result !== result)) continue;
      selection.fired = true;
      applyAction(action, result, input.target, selection);
    }
  }

  const lastProbeTime = formatTime(observation.at);
  const lastActionTransitionTime = selection.fired ? formatTime(input.now) : previous?.lastActionTransitionTime;
  const actionMs = toMillis(lastActionTransitionTime) ?? -Infinity;
  selection.condition = {
    name: sq.name,
    status,
    result,
    lastProbeTime,
    lastTransitionTime: actionMs > observation.at.getTime() ? lastActionTransitionTime : lastProbeTime,
    ...(lastActionTransitionTime ? { lastActionTransitionTime } : {}),
  };
  return selection;
}

function applyAction(action: ServiceQualityActionLike, result: string, target: ActionTarget, out: ActionSelection): void {
  const warn = (reason: string, message: string) => out.warnings.push({ type: 'Warning', reason, message });

  if (action.opsState) {
    const opsState = renderOrRaw(action.opsState, result);
    const problem = opsState === '' ? 'it is empty' : labelValueProblem(opsState);
    if (problem !== undefined) warn(INVALID_OPS_STATE_REASON, `opsState ${JSON.stringify(opsState)} from probe result ${JSON.stringify(result)} is not usable: ${problem}`);
    else setSpec(out, target, 'opsState', opsState);
  }
  for (const [field, reason] of [
    ['updatePriority', INVALID_UPDATE_PRIORITY_REASON],
    ['deletionPriority', INVALID_DELETION_PRIORITY_REASON],
  ] as const) {
    const value = action[field];
    if (value === undefined) continue;
    const rendered = renderPriority(value, result);
    if (rendered.ok) setSpec(out, target, field, rendered.value);
    else warn(reason, `${field}: ${rendered.message}`);
  }
  if (action.networkDisabled !== undefined) setSpec(out, target, 'networkDisabled', action.networkDisabled);

  for (const [key, template] of Object.entries(action.labels ?? {})) {
    const value = renderOrRaw(template, result);
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem !== undefined) warn(INVALID_SERVICE_QUALITY_LABEL_REASON, `label ${key}=${JSON.stringify(value)} is not usable: ${problem}`);
    else setMap(out.labels, target.labels, key, value);
  }
  for (const [key, template] of Object.entries(action.annotations ?? {})) {
    const problem = labelKeyProblem(key);
    if (problem !== undefined) warn(INVALID_SERVICE_QUALITY_LABEL_REASON, `annotation key ${key} is not usable: ${problem}`);
    else setMap(out.annotations, target.annotations, key, renderOrRaw(template, result));
  }
}

function setSpec<K extends keyof SpecChanges>(out: ActionSelection, target: ActionTarget, field: K, value: NonNullable<SpecChanges[K]>): void {
  const current = target.spec[field];
  const same = current !== undefined && current !== null && String(current) === String(value);
  if (same) delete out.spec[field];
  else out.spec[field] = value;
}

function setMap(out: Record<string, string>, current: Record<string, string>, key: string, value: string): void {
  if (current[key] === value) delete out[key];
  else out[key] = value;
}
