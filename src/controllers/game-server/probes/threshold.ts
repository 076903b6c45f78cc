// Consecutive successes/failures → the outcome a probe reports, as the kubelet
// does: nothing is reported until `successThreshold` successes or
// `failureThreshold` non-successes in a row; from then on the latest result
// of the reported kind is reported. A probe that could not run counts as a
// non-success (as in the kubelet), and is reported as the error it is.
import type { ProbeObservation } from '../service-quality/select-actions.js';
import type { ProbeResult, ProbeTimings } from './probe-types.js';

export interface ReportedOutcome {
  result: ProbeResult;
  /** Epoch ms when this outcome (kind and output) was first reported. */
  since: number;
}

export interface ThresholdState {
  lastPassed?: boolean;
  run: number;
  reported?: ReportedOutcome;
}

export const INITIAL_THRESHOLD_STATE: ThresholdState = { run: 0 };

export function observe(
  state: ThresholdState,
  result: ProbeResult,
  thresholds: Pick<ProbeTimings, 'successThreshold' | 'failureThreshold'>,
  now: number,
): ThresholdState {
  const passed = result.outcome === 'success';
  const run = state.lastPassed === passed ? state.run + 1 : 1;
  const needed = passed ? thresholds.successThreshold : thresholds.failureThreshold;
  if (run < needed) return { lastPassed: passed, run, ...(state.reported ? { reported: state.reported } : {}) };
  const since = state.reported && sameOutcome(state.reported.result, result) ? state.reported.since : now;
  return { lastPassed: passed, run, reported: { result, since } };
}

/** Same kind and same result text: the service-quality condition would not change. */
export function sameOutcome(a: ProbeResult, b: ProbeResult): boolean {
  if (a.outcome === 'error' || b.outcome === 'error') {
    return a.outcome === 'error' && b.outcome === 'error' && a.error.reason === b.error.reason && a.error.message === b.error.message;
  }
  return a.outcome === b.outcome && a.output === b.output;
}

/** The reported outcome as the service-quality planner takes it. */
export function toObservation(reported: ReportedOutcome): ProbeObservation {
  const at = new Date(reported.since);
  const { result } = reported;
  if (result.outcome === 'error') return { kind: 'error', reason: result.error.reason, message: result.error.message, at };
  return { kind: 'result', success: result.outcome === 'success', output: result.output, at };
}
