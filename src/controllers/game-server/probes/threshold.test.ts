import { describe, expect, it } from '@jest/globals';
import { probeError, probeFailure, probeSuccess, probeTimings, type ProbeResult } from './probe-types.js';
import { INITIAL_THRESHOLD_STATE, observe, toObservation, type ThresholdState } from './threshold.js';

const S = (output = '') => probeSuccess(output);
const F = (output = '') => probeFailure(output, 'exit code 1');
const E = () => probeError('ExecForbidden', 'forbidden');

/** Feeds results one per second; returns what is reported after each (s/f/e or - for nothing). */
function run(results: ProbeResult[], successThreshold: number, failureThreshold: number): string {
  let state: ThresholdState = INITIAL_THRESHOLD_STATE;
  return results
    .map((result, i) => {
      state = observe(state, result, { successThreshold, failureThreshold }, i * 1000);
      const reported = state.reported?.result.outcome;
      return reported === undefined ? '-' : reported[0];
    })
    .join('');
}

describe('observe', () => {
  const cases: [string, ProbeResult[], number, number, string][] = [
    ['first success reports at once with successThreshold 1', [S()], 1, 3, 's'],
    ['failures need failureThreshold in a row', [F(), F(), F()], 1, 3, '--f'],
    ['a success in between resets the failure run', [F(), F(), S(), F(), F(), F()], 1, 3, '--sssf'],
    ['successThreshold 2: a single success after a failure is not enough', [S(), S(), F(), S(), S()], 2, 1, '-sffs'],
    ['one failure does not flip a reported success', [S(), F(), S(), F(), F()], 1, 3, 'sssss'],
    ['errors count as failures and are reported as errors', [S(), E(), E(), E()], 1, 3, 'ssse'],
    ['mixed failure and error run: the latest is reported', [F(), E(), F()], 1, 3, '--f'],
    ['failureThreshold 1 reports the first failure', [F()], 1, 1, 'f'],
  ];
  it.each(cases)('%s', (_name, results, successThreshold, failureThreshold, expected) => {
    expect(run(results, successThreshold, failureThreshold)).toBe(expected);
  });

  it('keeps `since` while the outcome and output stay the same, moves it on a change', () => {
    const t = { successThreshold: 1, failureThreshold: 1 };
    let state = observe(INITIAL_THRESHOLD_STATE, S('0'), t, 1000);
    state = observe(state, S('0'), t, 2000);
    expect(state.reported?.since).toBe(1000);
    state = observe(state, S('1'), t, 3000);
    expect(state.reported?.since).toBe(3000);
    state = observe(state, F('1'), t, 4000);
    expect(state.reported?.since).toBe(4000);
    state = observe(state, E(), t, 5000);
    state = observe(state, E(), t, 6000);
    expect(state.reported?.since).toBe(5000);
  });

  it('reports the latest output of a kept success', () => {
    const t = { successThreshold: 1, failureThreshold: 3 };
    let state = observe(INITIAL_THRESHOLD_STATE, S('3 players'), t, 0);
    state = observe(state, S('4 players'), t, 1000);
    expect(state.reported?.result).toEqual(S('4 players'));
  });
});

describe('toObservation', () => {
  it.each([
    ['success', S('idle'), { kind: 'result', success: true, output: 'idle' }],
    ['failure', F('busy'), { kind: 'result', success: false, output: 'busy' }],
    ['error', E(), { kind: 'error', reason: 'ExecForbidden', message: 'forbidden' }],
  ] as const)('%s', (_name, result, expected) => {
    expect(toObservation({ result, since: 5000 })).toEqual({ ...expected, at: new Date(5000) });
  });
});

describe('probeTimings', () => {
  it.each([
    ['OKG defaults when unset', {}, { initialDelayMs: 10000, timeoutMs: 5000, periodMs: 3000, successThreshold: 1, failureThreshold: 3 }],
    ['explicit values', { initialDelaySeconds: 2, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 2, failureThreshold: 5 }, { initialDelayMs: 2000, timeoutMs: 1000, periodMs: 10000, successThreshold: 2, failureThreshold: 5 }],
    ['explicit zero initial delay is kept, zero period/timeout/thresholds are defaulted', { initialDelaySeconds: 0, timeoutSeconds: 0, periodSeconds: 0, successThreshold: 0, failureThreshold: 0 }, { initialDelayMs: 0, timeoutMs: 5000, periodMs: 3000, successThreshold: 1, failureThreshold: 3 }],
  ] as const)('%s', (_name, spec, expected) => {
    expect(probeTimings(spec)).toEqual(expected);
  });
});
