import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './clock.js';
import { firstDue, ProbeScheduler, stableHash, type ProbeRun, type ProbeTiming } from './probe-scheduler.js';
import { probeSuccess, type ProbeResult } from './probe-types.js';

interface Call {
  signal: AbortSignal;
  resolve: (result: ProbeResult) => void;
  reject: (error: unknown) => void;
}

/** A probe whose runs stay pending until the test settles them. */
function controlledProbe(): { run: ProbeRun; calls: Call[] } {
  const calls: Call[] = [];
  const run: ProbeRun = (signal) =>
    new Promise<ProbeResult>((resolve, reject) => {
      calls.push({ signal, resolve, reject });
    });
  return { run, calls };
}

/** A probe that answers at once. */
function instantProbe(output = 'ok'): { run: ProbeRun; count: () => number } {
  let n = 0;
  return {
    run: async () => {
      n++;
      return probeSuccess(output);
    },
    count: () => n,
  };
}

function harness(concurrency = 10, start = 0) {
  const clock = new FakeClock(start);
  const results: { key: string; result: ProbeResult; timing: ProbeTiming }[] = [];
  const callbackErrors: unknown[] = [];
  const scheduler = new ProbeScheduler({
    concurrency,
    clock,
    onResult: (key, result, timing) => results.push({ key, result, timing }),
    onCallbackError: (error) => callbackErrors.push(error),
  });
  return { clock, results, scheduler, callbackErrors };
}

const SPEC = { periodMs: 3000, timeoutMs: 1000 };

describe('phase and jitter', () => {
  it('spreads many probes scheduled at once over the period', () => {
    const dues = Array.from({ length: 600 }, (_, i) => firstDue(`default/gs-${i}/idle`, 3000, 0));
    expect(dues.every((d) => d >= 0 && d < 3000)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const d of dues) buckets[Math.floor(d / 300)]! += 1;
    // 60 expected per 300 ms bucket; a clumping hash would leave some near 0.
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(35);
    expect(Math.max(...buckets)).toBeLessThanOrEqual(85);
  });

  it('keeps a stable phase per key, whenever it is scheduled', () => {
    const phase = stableHash('default/gs-1/idle') % 3000;
    expect(firstDue('default/gs-1/idle', 3000, 0)).toBe(phase);
    expect(firstDue('default/gs-1/idle', 3000, 10_000) % 3000).toBe(phase);
    expect(firstDue('default/gs-1/idle', 3000, 10_000)).toBeGreaterThanOrEqual(10_000);
    expect(firstDue('default/gs-1/idle', 3000, 10_000)).toBeLessThan(13_000);
  });
});

describe('ProbeScheduler', () => {
  it('runs a probe at its phase, then once per period', async () => {
    const { clock, results, scheduler } = harness();
    const probe = instantProbe('idle');
    scheduler.schedule('k', SPEC, probe.run);
    const first = firstDue('k', 3000, 0);
    await clock.advance(first - 1);
    expect(probe.count()).toBe(0);
    await clock.advance(1);
    expect(probe.count()).toBe(1);
    await clock.advance(3000 * 3);
    expect(probe.count()).toBe(4);
    expect(results.map((r) => r.timing.dueAt)).toEqual([first, first + 3000, first + 6000, first + 9000]);
    expect(results.every((r) => r.key === 'k' && r.result.outcome === 'success' && r.timing.dueDelayMs === 0)).toBe(true);
  });

  it('waits for notBefore (container start + initial delay)', async () => {
    const { clock, scheduler } = harness();
    const probe = instantProbe();
    scheduler.schedule('k', { ...SPEC, notBefore: 10_000 }, probe.run);
    await clock.advance(9_999);
    expect(probe.count()).toBe(0);
    await clock.advance(3_000);
    expect(probe.count()).toBe(1);
  });

  it('never runs more than `concurrency` probes; the rest queue and report their delay', async () => {
    const { clock, results, scheduler } = harness(2);
    const probes = Array.from({ length: 5 }, () => controlledProbe());
    probes.forEach((p, i) => scheduler.schedule(`k${i}`, { periodMs: 3000, timeoutMs: 60_000 }, p.run));
    await clock.advance(3000);
    expect(scheduler.stats()).toEqual({ scheduled: 5, running: 2, queued: 3 });
    expect(probes.filter((p) => p.calls.length === 1)).toHaveLength(2);

    let finishedAt = 3000;
    for (let round = 0; round < 3; round++) {
      const active = probes.find((p) => p.calls.length === 1 && !p.calls[0]!.signal.aborted && !results.some((r) => r.key === `k${probes.indexOf(p)}`));
      await clock.advance(100);
      finishedAt += 100;
      active!.calls[0]!.resolve(probeSuccess(''));
      await clock.advance(0);
      expect(scheduler.stats().running).toBe(2);
    }
    expect(probes.filter((p) => p.calls.length >= 1)).toHaveLength(5);
    const delayed = results.length > 0 ? Math.max(...results.map((r) => r.timing.dueDelayMs)) : 0;
    expect(delayed).toBeGreaterThan(0);
    expect(finishedAt).toBe(3300);
  });

  it('times a probe out: aborts it, reports a failure and frees the slot', async () => {
    const { clock, results, scheduler } = harness(1);
    const slow = controlledProbe();
    const fast = instantProbe();
    scheduler.schedule('slow', { periodMs: 10_000, timeoutMs: 1000 }, slow.run);
    const due = firstDue('slow', 10_000, 0);
    await clock.advance(due);
    expect(slow.calls).toHaveLength(1);
    scheduler.schedule('fast', { periodMs: 10_000, timeoutMs: 1000, notBefore: clock.now() }, fast.run);
    await clock.advance(1000);
    expect(slow.calls[0]!.signal.aborted).toBe(true);
    expect(results[0]).toMatchObject({ key: 'slow', result: { outcome: 'failure', output: '', message: 'probe timed out after 1s' } });
    // A run that ignores the abort and answers late is not reported twice.
    slow.calls[0]!.resolve(probeSuccess('late'));
    await clock.advance(10_000);
    // The next round (due + 10 s) runs again and times out too; the late 'success' never shows.
    expect(slow.calls).toHaveLength(2);
    expect(results.filter((r) => r.key === 'slow').map((r) => r.result.outcome)).toEqual(['failure', 'failure']);
    expect(fast.count()).toBeGreaterThanOrEqual(1);
  });

  it('skips a round while the previous run of the same probe is still going', async () => {
    const { clock, scheduler } = harness();
    const probe = controlledProbe();
    scheduler.schedule('k', { periodMs: 1000, timeoutMs: 5000 }, probe.run);
    await clock.advance(firstDue('k', 1000, 0) + 3500);
    expect(probe.calls).toHaveLength(1);
    probe.calls[0]!.resolve(probeSuccess(''));
    await clock.advance(1000);
    expect(probe.calls).toHaveLength(2);
  });

  it('unschedule stops the timer, aborts a running probe and drops its result', async () => {
    const { clock, results, scheduler } = harness();
    const probe = controlledProbe();
    scheduler.schedule('k', { periodMs: 1000, timeoutMs: 5000 }, probe.run);
    await clock.advance(1000);
    expect(probe.calls).toHaveLength(1);
    scheduler.unschedule('k');
    expect(probe.calls[0]!.signal.aborted).toBe(true);
    probe.calls[0]!.resolve(probeSuccess(''));
    await clock.advance(10_000);
    expect(probe.calls).toHaveLength(1);
    expect(results).toEqual([]);
    expect(scheduler.has('k')).toBe(false);
    expect(scheduler.stats()).toEqual({ scheduled: 0, running: 0, queued: 0 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('unschedule drops a queued probe', async () => {
    const { clock, scheduler } = harness(1);
    const blocker = controlledProbe();
    const queued = controlledProbe();
    scheduler.schedule('a', { periodMs: 1000, timeoutMs: 60_000 }, blocker.run);
    scheduler.schedule('b', { periodMs: 1000, timeoutMs: 60_000 }, queued.run);
    await clock.advance(1000);
    expect(scheduler.stats()).toMatchObject({ running: 1, queued: 1 });
    const waiting = blocker.calls.length === 1 ? 'b' : 'a';
    scheduler.unschedule(waiting);
    expect(scheduler.stats()).toMatchObject({ running: 1, queued: 0, scheduled: 1 });
  });

  it('re-scheduling with the same timings keeps the phase and uses the new run', async () => {
    const { clock, results, scheduler } = harness();
    scheduler.schedule('k', SPEC, instantProbe('old').run);
    await clock.advance(3000);
    scheduler.schedule('k', SPEC, instantProbe('new').run);
    await clock.advance(3000);
    expect(results.map((r) => (r.result.outcome === 'success' ? r.result.output : '?'))).toEqual(['old', 'new']);
    expect(results[1]!.timing.dueAt - results[0]!.timing.dueAt).toBe(3000);
  });

  it('new timings re-phase the probe', async () => {
    const { clock, results, scheduler } = harness();
    scheduler.schedule('k', SPEC, instantProbe().run);
    scheduler.schedule('k', { periodMs: 10_000, timeoutMs: 1000 }, instantProbe().run);
    await clock.advance(10_000);
    expect(results.map((r) => r.timing.dueAt)).toEqual([firstDue('k', 10_000, 0)]);
  });

  it('a run that throws or rejects is reported as ProbeCrashed', async () => {
    const { clock, results, scheduler } = harness();
    scheduler.schedule('sync', SPEC, () => {
      throw new Error('boom');
    });
    scheduler.schedule('async', SPEC, () => Promise.reject(new Error('bang')));
    await clock.advance(3000);
    const byKey = Object.fromEntries(results.map((r) => [r.key, r.result]));
    expect(byKey['sync']).toMatchObject({ outcome: 'error', error: { reason: 'ProbeCrashed', message: 'boom' } });
    expect(byKey['async']).toMatchObject({ outcome: 'error', error: { reason: 'ProbeCrashed', message: 'bang' } });
  });

  it('keeps going when onResult throws', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = new ProbeScheduler({
      concurrency: 1,
      clock,
      onResult: () => {
        calls++;
        throw new Error('callback failed');
      },
      onCallbackError: (error) => errors.push(error),
    });
    scheduler.schedule('k', { periodMs: 1000, timeoutMs: 500 }, instantProbe().run);
    await clock.advance(3000);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(3);
  });

  it('stop aborts running probes, waits for them and ignores later schedules', async () => {
    const { clock, results, scheduler } = harness();
    const probe = controlledProbe();
    scheduler.schedule('k', { periodMs: 1000, timeoutMs: 60_000 }, probe.run);
    await clock.advance(1000);
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await clock.advance(0);
    expect(probe.calls[0]!.signal.aborted).toBe(true);
    expect(stopped).toBe(false);
    probe.calls[0]!.reject(new Error('aborted'));
    await stopping;
    expect(stopped).toBe(true);
    scheduler.schedule('late', SPEC, instantProbe().run);
    await clock.advance(10_000);
    expect(results).toEqual([]);
    expect(scheduler.stats().scheduled).toBe(0);
  });

  it('refuses a concurrency below 1', () => {
    expect(() => new ProbeScheduler({ concurrency: 0, onResult: () => undefined })).toThrow(RangeError);
    expect(() => new ProbeScheduler({ concurrency: 1, laneConcurrency: { direct: 0 }, onResult: () => undefined })).toThrow(RangeError);
  });
});

describe('lanes and late rounds', () => {
  it('each lane has its own limit: a full exec lane does not hold up direct probes', async () => {
    const clock = new FakeClock(0);
    const results: string[] = [];
    const scheduler = new ProbeScheduler({ concurrency: 1, laneConcurrency: { exec: 1, direct: 3 }, clock, onResult: (key) => results.push(key) });
    const execs = Array.from({ length: 3 }, () => controlledProbe());
    execs.forEach((p, i) => scheduler.schedule(`exec-${i}`, { periodMs: 1000, timeoutMs: 60_000, lane: 'exec' }, p.run));
    const direct = Array.from({ length: 3 }, () => instantProbe());
    direct.forEach((p, i) => scheduler.schedule(`direct-${i}`, { periodMs: 1000, timeoutMs: 60_000, lane: 'direct' }, p.run));
    await clock.advance(1000);
    expect(execs.filter((p) => p.calls.length > 0)).toHaveLength(1);
    expect(direct.map((p) => p.count())).toEqual([1, 1, 1]);
    const lanes = scheduler.laneStats();
    expect(lanes.get('exec')).toEqual({ scheduled: 3, running: 1, queued: 2, duePerSecond: 3 });
    expect(lanes.get('direct')).toEqual({ scheduled: 3, running: 0, queued: 0, duePerSecond: 3 });
    expect(scheduler.concurrencyOf('direct')).toBe(3);
  });

  it.each<[string, number, number, number, number]>([
    // name, probes (1 s period), lane concurrency, run time (ms), rounds skipped in 10 s
    ['capacity to spare', 4, 4, 200, 0],
    ['exactly at capacity', 2, 1, 500, 0],
    ['twice what one slot serves', 4, 1, 500, 20],
    ['far over capacity', 10, 1, 1000, 90],
  ])('%s: %d probes, %d at once, %d ms each → %d skipped', async (_name, probes, concurrency, runMs, skippedExpected) => {
    const clock = new FakeClock(0);
    let skipped = 0;
    let served = 0;
    const scheduler = new ProbeScheduler({ concurrency, clock, onResult: () => served++, onSkipped: () => skipped++ });
    const slow: ProbeRun = () => new Promise((resolve) => clock.setTimeout(() => resolve(probeSuccess('')), runMs));
    for (let i = 0; i < probes; i++) scheduler.schedule(`k${i}`, { periodMs: 1000, timeoutMs: 60_000, notBefore: 0 }, slow);
    await clock.advance(10_000);
    // every due round is served (or running), queued, or skipped; the edges of the window blur a few
    expect(Math.abs(skipped - skippedExpected)).toBeLessThanOrEqual(probes);
    if (skippedExpected === 0) expect(skipped).toBe(0);
    // served: what the lane can serve, or what is due when that is less
    const servable = Math.min((10_000 / runMs) * concurrency, probes * 10);
    expect(served).toBeLessThanOrEqual(servable);
    expect(served).toBeGreaterThanOrEqual(servable - probes);
  });
});
