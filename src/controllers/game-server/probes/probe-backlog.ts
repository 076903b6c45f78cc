// Whether the probes of each GameServerSet keep up with their due times.
// Every BACKLOG_WINDOW_MS the prober closes a window per set: how many
// rounds were due, how many probes completed, and how many rounds were late
// (skipped because the previous round was still waiting or running, or
// started more than LATE_AFTER_MS after their due time). A set falls behind
// when a window has at least MIN_LATE late rounds and LATE_FRACTION of its
// due rounds late; it has caught up after RECOVERY_WINDOWS windows in a row
// without a late round. Each transition is reported once (a Warning event on
// the set when it falls behind, a Normal one when it catches up).

export const BACKLOG_WINDOW_MS = 10_000;
/** A probe that starts later than this after its due time is late (the p99 target is 2 s). */
export const LATE_AFTER_MS = 2_000;
export const LATE_FRACTION = 0.05;
export const MIN_LATE = 3;
export const RECOVERY_WINDOWS = 3;

/** Why a round counts as late. */
export type LateReason = 'skipped' | 'delayed';

export function isDelayed(dueDelayMs: number): boolean {
  return dueDelayMs > LATE_AFTER_MS;
}

export interface LaneWindow {
  /** Rounds due per second now (sum of 1 / period over the set's probes in the lane). */
  readonly duePerSecond: number;
  readonly served: number;
  readonly late: number;
}

export interface BacklogWindow {
  readonly seconds: number;
  /** By lane (`exec`, `direct`). */
  readonly lanes: ReadonlyMap<string, LaneWindow>;
}

export interface BacklogState {
  readonly behind: boolean;
  /** Windows in a row without a late round while behind. */
  readonly cleanWindows: number;
}

export const INITIAL_BACKLOG_STATE: BacklogState = { behind: false, cleanWindows: 0 };

export type BacklogTransition = 'fellBehind' | 'caughtUp';

export function planBacklog(state: BacklogState, window: BacklogWindow): { state: BacklogState; transition?: BacklogTransition } {
  let late = 0;
  let due = 0;
  for (const lane of window.lanes.values()) {
    late += lane.late;
    due += lane.duePerSecond * window.seconds;
  }
  if (!state.behind) {
    if (late >= MIN_LATE && late >= LATE_FRACTION * due) return { state: { behind: true, cleanWindows: 0 }, transition: 'fellBehind' };
    return { state };
  }
  if (late > 0) return { state: { behind: true, cleanWindows: 0 } };
  const cleanWindows = state.cleanWindows + 1;
  if (cleanWindows >= RECOVERY_WINDOWS) return { state: INITIAL_BACKLOG_STATE, transition: 'caughtUp' };
  return { state: { behind: true, cleanWindows } };
}

/** How each lane is limited, for the message (e.g. `exec` → `at most 64 at once (--probe-concurrency)`). */
export type LaneLimits = ReadonlyMap<string, string>;

/** The event message of a transition: per lane, due and served rates over the window and late rounds. */
export function describeBacklog(transition: BacklogTransition, window: BacklogWindow, limits: LaneLimits): string {
  const lanes = [...window.lanes]
    .filter(([, lane]) => lane.duePerSecond > 0 || lane.served > 0 || lane.late > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, lane]) => {
      const limit = limits.get(name);
      const served = lane.served / window.seconds;
      return `${name} probes ${lane.duePerSecond.toFixed(1)}/s due, ${served.toFixed(1)}/s served, ${lane.late} late${limit ? ` (${limit})` : ''}`;
    });
  const seconds = Math.round(window.seconds);
  if (transition === 'fellBehind') {
    return (
      `service-quality probes are falling behind their periods: ${lanes.join('; ')} in the last ${seconds} s ` +
      `(late: skipped, or started more than ${LATE_AFTER_MS / 1000} s after due). Probe results lag until the due rate fits: ` +
      'raise the concurrency, lengthen periodSeconds, or probe fewer servers.'
    );
  }
  return `service-quality probes keep up again: ${lanes.join('; ')} in the last ${seconds} s.`;
}
