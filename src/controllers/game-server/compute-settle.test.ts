import { describe, expect, it } from '@jest/globals';
import { computeSettleMs, lastProgressMs, SETTLE_MS, UPDATE_STALL_MS } from './compute-settle.js';
import { computeStatus, statusChange } from './compute-status.js';
import { gameServer, node, pod, T0 } from './fixtures.js';
import { IN_PLACE_UPDATE_READY_CONDITION } from './keys.js';
import { formatTime } from './time.js';
import type { GameServerStatus, PodLike } from './types.js';

const MIN = 60_000;
/** The images are patched at START (the gate closed a second before); the update lasts ten minutes. */
const START = Date.parse(T0) + 60 * MIN;
const iso = (ms: number): string => formatTime(new Date(ms));

/**
 * A ten-minute in-place update of one container, as the kubelet (and kwok's
 * pod-container-restart stage) shows it: the gate closes, the image is
 * patched, the container restarts at +4 min (ContainersReady False, the old
 * run Completed, the new one ContainerCreating), runs at +8 min, and the
 * gate opens at +10 min.
 */
function podAt(t: number): PodLike {
  const b = pod().containers({ name: 'game', image: 'game:v2' }).running().ready().readinessGate(IN_PLACE_UPDATE_READY_CONDITION);
  b.inPlaceUpdate(iso(START - 1000), iso(START)).condition('Ready', 'False', { reason: 'ReadinessGatesNotReady', lastTransitionTime: iso(START - 1000) });
  if (t < 4 * MIN) return b.containerStatus('game', { image: 'game:v1' }).build();
  if (t < 8 * MIN) {
    return b
      .containerStatus('game', { ready: false, restartCount: 1, state: { waiting: { reason: 'ContainerCreating' } }, lastState: { terminated: { exitCode: 0, reason: 'Completed' } } })
      .condition('ContainersReady', 'False', { reason: 'ContainersNotReady', message: 'containers with unready status: [game]', lastTransitionTime: iso(START + 4 * MIN) })
      .build();
  }
  b.containerStatus('game', { state: { running: { startedAt: iso(START + 8 * MIN) } }, restartCount: 1 });
  b.condition('ContainersReady', 'True', { lastTransitionTime: iso(START + 8 * MIN) });
  if (t < 10 * MIN) return b.build();
  const open = iso(START + 10 * MIN);
  return b.condition(IN_PLACE_UPDATE_READY_CONDITION, 'True', { lastTransitionTime: open }).condition('Ready', 'True', { lastTransitionTime: open }).build();
}

function statusOf(p: PodLike, previous: GameServerStatus | undefined, nowMs: number): GameServerStatus {
  return computeStatus({ gs: gameServer(previous ? { status: previous } : {}), pod: p, node: node(), pvcs: new Map(), serviceQualitiesConditions: [], now: new Date(nowMs) });
}

interface Simulation {
  /** The status writes, in order: when (ms after START) and the state written. */
  readonly writes: { t: number; state: string | undefined }[];
  /** The status as last written. */
  readonly written: GameServerStatus;
}

/** What the reconciler does with a pod seen every `stepMs`, starting from the Updating status written at START. */
function simulate(podAtTime: (t: number) => PodLike, untilMs: number, stepMs = 5_000): Simulation {
  let written = statusOf(podAtTime(0), undefined, START);
  let since: number | undefined;
  const writes: { t: number; state: string | undefined }[] = [];
  for (let t = stepMs; t <= untilMs; t += stepMs) {
    const nowMs = START + t;
    const p = podAtTime(t);
    const next = statusOf(p, written, nowMs);
    const change = statusChange(written, next);
    if (change === 'none') {
      since = undefined;
      continue;
    }
    since ??= nowMs;
    if (computeSettleMs({ change, previous: written, next, pod: p, unwrittenSinceMs: since, nowMs }) > 0) continue;
    writes.push({ t, state: next.currentState });
    written = next;
    since = undefined;
  }
  return { writes, written };
}

describe('computeSettleMs', () => {
  const written = statusOf(podAt(0), undefined, START);
  const cases: [string, PodLike, number, number, number][] = [
    // [name, pod, unwritten since (ms after START), now (ms after START), expected wait]
    ['the mirror of a restart 4 min into the update waits a quiet spell after it', podAt(4 * MIN), 4 * MIN, 4 * MIN, UPDATE_STALL_MS],
    ['... and still waits at 8 min', podAt(4 * MIN + 1), 4 * MIN, 8 * MIN - 1, UPDATE_STALL_MS - 4 * MIN + 1],
    ['a container started at 8 min pushes the wait on', podAt(8 * MIN), 4 * MIN, 8 * MIN, UPDATE_STALL_MS],
    ['an update with no progress for the stall time is written', podAt(4 * MIN), 4 * MIN, 4 * MIN + UPDATE_STALL_MS, 0],
    ['... even while the settle of the change itself has not passed', podAt(4 * MIN), 9 * MIN + 59_000, 9 * MIN + 59_000 + 1000, SETTLE_MS.conditions - 1000],
  ];
  it.each(cases)('%s', (_name, p, since, now, expected) => {
    const next = statusOf(p, written, START + now);
    const change = statusChange(written, next);
    expect(change).not.toBe('none');
    expect(computeSettleMs({ change, previous: written, next, pod: p, unwrittenSinceMs: START + since, nowMs: START + now })).toBe(expected);
  });

  it('writes a new state at once, in an update or not', () => {
    const next = statusOf(podAt(10 * MIN), written, START + 10 * MIN);
    expect(statusChange(written, next)).toBe('state');
    expect(computeSettleMs({ change: 'state', previous: written, next, pod: podAt(10 * MIN), unwrittenSinceMs: START, nowMs: START })).toBe(0);
  });

  it('writes a condition that turns into a Warning during the update as outside it', () => {
    const p = pod()
      .containers({ name: 'game', image: 'game:v2' })
      .running()
      .readinessGate(IN_PLACE_UPDATE_READY_CONDITION)
      .inPlaceUpdate(iso(START - 1000), iso(START))
      .waiting('game', 'ErrImagePull', 'pull access denied')
      .condition('ContainersReady', 'False', { reason: 'ContainersNotReady', lastTransitionTime: iso(START + MIN) })
      .build();
    const next = statusOf(p, written, START + MIN);
    expect(next.currentState).toBe('Updating');
    expect(statusChange(written, next)).toBe('conditions');
    expect(computeSettleMs({ change: 'conditions', previous: written, next, pod: p, unwrittenSinceMs: START + MIN, nowMs: START + MIN })).toBe(SETTLE_MS.conditions);
  });

  it('outside an update, waits the change settle from the oldest unwritten change', () => {
    const ready = pod().running().ready().build();
    const before = statusOf(ready, undefined, START);
    const restarted = pod().running().ready().containerStatus('game', { restartCount: 1 }).build();
    const next = statusOf(restarted, before, START);
    expect(statusChange(before, next)).toBe('podStatus');
    expect(computeSettleMs({ change: 'podStatus', previous: before, next, pod: restarted, unwrittenSinceMs: START, nowMs: START + 10_000 })).toBe(SETTLE_MS.podStatus - 10_000);
  });

  it('nothing to write waits nothing', () => {
    expect(computeSettleMs({ change: 'none', previous: written, next: written, pod: podAt(0), unwrittenSinceMs: START, nowMs: START })).toBe(0);
  });
});

describe('a ten-minute in-place update', () => {
  it('writes the status once more, when the update ends, whatever moved meanwhile', () => {
    const { writes, written } = simulate(podAt, 12 * MIN);
    expect(writes).toEqual([{ t: 10 * MIN, state: 'Ready' }]);
    expect(written.podStatus?.containerStatuses?.[0]).toMatchObject({ image: 'game:v2', restartCount: 1, ready: true });
  });

  it('a stuck update (the container never runs) still gets its mirror written after a quiet spell, and once only', () => {
    const stuck = (t: number): PodLike => podAt(Math.min(t, 4 * MIN));
    expect(simulate(stuck, 20 * MIN).writes).toEqual([{ t: 4 * MIN + UPDATE_STALL_MS, state: 'Updating' }]);
  });
});

describe('lastProgressMs', () => {
  it('takes the latest condition transition, image patch or container start', () => {
    expect(lastProgressMs(podAt(0))).toBe(START);
    expect(lastProgressMs(podAt(4 * MIN))).toBe(START + 4 * MIN);
    expect(lastProgressMs(podAt(8 * MIN))).toBe(START + 8 * MIN);
  });

  it('is undefined for a pod that shows no time', () => {
    expect(lastProgressMs(pod().build())).toBeUndefined();
  });
});
