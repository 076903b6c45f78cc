import { describe, expect, it } from '@jest/globals';
import {
  describeBacklog,
  INITIAL_BACKLOG_STATE,
  isDelayed,
  planBacklog,
  RECOVERY_WINDOWS,
  type BacklogState,
  type BacklogWindow,
  type LaneWindow,
} from './probe-backlog.js';

const window = (lanes: Record<string, LaneWindow>, seconds = 10): BacklogWindow => ({ seconds, lanes: new Map(Object.entries(lanes)) });
const behind = (cleanWindows = 0): BacklogState => ({ behind: true, cleanWindows });

describe('planBacklog', () => {
  it.each<[string, BacklogState, BacklogWindow, BacklogState, string | undefined]>([
    ['keeps up: nothing late', INITIAL_BACKLOG_STATE, window({ exec: { duePerSecond: 10, served: 100, late: 0 } }), INITIAL_BACKLOG_STATE, undefined],
    ['a stray late round is not falling behind', INITIAL_BACKLOG_STATE, window({ exec: { duePerSecond: 10, served: 100, late: 2 } }), INITIAL_BACKLOG_STATE, undefined],
    ['3 late of 1000 due is under 5%', INITIAL_BACKLOG_STATE, window({ exec: { duePerSecond: 100, served: 997, late: 3 } }), INITIAL_BACKLOG_STATE, undefined],
    ['49 late of 1000 due is under 5%', INITIAL_BACKLOG_STATE, window({ exec: { duePerSecond: 100, served: 951, late: 49 } }), INITIAL_BACKLOG_STATE, undefined],
    ['50 late of 1000 due falls behind', INITIAL_BACKLOG_STATE, window({ exec: { duePerSecond: 100, served: 950, late: 50 } }), behind(), 'fellBehind'],
    ['3 late of 10 due falls behind', INITIAL_BACKLOG_STATE, window({ direct: { duePerSecond: 1, served: 7, late: 3 } }), behind(), 'fellBehind'],
    [
      'late rounds of both lanes add up',
      INITIAL_BACKLOG_STATE,
      window({ exec: { duePerSecond: 2, served: 18, late: 2 }, direct: { duePerSecond: 2, served: 18, late: 2 } }),
      behind(),
      'fellBehind',
    ],
    ['no probes at all keeps up', INITIAL_BACKLOG_STATE, window({}), INITIAL_BACKLOG_STATE, undefined],
    ['behind: a late round restarts the count of clean windows', behind(2), window({ exec: { duePerSecond: 100, served: 999, late: 1 } }), behind(0), undefined],
    ['behind: one clean window is not enough', behind(0), window({ exec: { duePerSecond: 100, served: 1000, late: 0 } }), behind(1), undefined],
    ['behind: the last clean window catches up', behind(RECOVERY_WINDOWS - 1), window({ exec: { duePerSecond: 100, served: 1000, late: 0 } }), INITIAL_BACKLOG_STATE, 'caughtUp'],
    ['behind: probes removed count as clean', behind(RECOVERY_WINDOWS - 1), window({}), INITIAL_BACKLOG_STATE, 'caughtUp'],
  ])('%s', (_name, state, input, expected, transition) => {
    const planned = planBacklog(state, input);
    expect(planned.state).toEqual(expected);
    expect(planned.transition).toBe(transition);
  });

  it('reports falling behind once, and again only after catching up', () => {
    const late = window({ exec: { duePerSecond: 100, served: 600, late: 400 } });
    const clean = window({ exec: { duePerSecond: 30, served: 300, late: 0 } });
    const transitions: (string | undefined)[] = [];
    let state = INITIAL_BACKLOG_STATE;
    for (const w of [late, late, late, clean, late, clean, clean, clean, clean, late]) {
      const planned = planBacklog(state, w);
      state = planned.state;
      transitions.push(planned.transition);
    }
    expect(transitions).toEqual(['fellBehind', undefined, undefined, undefined, undefined, undefined, undefined, 'caughtUp', undefined, 'fellBehind']);
  });
});

describe('isDelayed', () => {
  it.each([
    [0, false],
    [2000, false],
    [2001, true],
  ])('%d ms after due: %s', (ms, delayed) => expect(isDelayed(ms)).toBe(delayed));
});

describe('describeBacklog', () => {
  it('says, per lane, what is due, what was served, how many were late and the limit', () => {
    const text = describeBacklog(
      'fellBehind',
      window({ exec: { duePerSecond: 100, served: 619, late: 381 }, direct: { duePerSecond: 0, served: 0, late: 0 } }),
      new Map([['exec', 'at most 64 at once, --probe-concurrency']]),
    );
    expect(text).toBe(
      'service-quality probes are falling behind their periods: exec probes 100.0/s due, 61.9/s served, 381 late (at most 64 at once, --probe-concurrency) in the last 10 s ' +
        '(late: skipped, or started more than 2 s after due). Probe results lag until the due rate fits: raise the concurrency, lengthen periodSeconds, or probe fewer servers.',
    );
  });

  it('says when the probes keep up again', () => {
    expect(describeBacklog('caughtUp', window({ direct: { duePerSecond: 5, served: 50, late: 0 } }), new Map())).toBe(
      'service-quality probes keep up again: direct probes 5.0/s due, 5.0/s served, 0 late in the last 10 s.',
    );
  });
});
