import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './clock.js';
import type { ExecFunction } from './exec-probe.js';
import { ProbeRunner } from './probe-runner.js';
import { probeFailure, probeSuccess, type ProbeResult, type ServiceQualityProbe } from './probe-types.js';
import { ServiceQualityProber, type ProbedPod } from './service-quality-prober.js';

const unusedExec: ExecFunction = () => Promise.reject(new Error('no exec in this test'));

/** A runner whose next result the test sets. */
class ScriptedRunner extends ProbeRunner {
  next: ProbeResult = probeSuccess('idle');
  runs = 0;
  constructor() {
    super(unusedExec);
  }
  override run(): Promise<ProbeResult> {
    this.runs++;
    return Promise.resolve(this.next);
  }
}

function probedPod(overrides: Partial<ProbedPod> = {}): ProbedPod {
  return {
    namespace: 'ns',
    podName: 'p-0',
    uid: 'u1',
    containers: [{ name: 'game' }],
    podIP: '10.0.0.1',
    probeable: true,
    startedAt: new Map([['game', 0]]),
    ...overrides,
  };
}

const idle: ServiceQualityProbe = { name: 'idle', exec: { command: ['cat', 'x'] }, initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 2 };

function setUp(pod: ProbedPod = probedPod()) {
  const clock = new FakeClock(0);
  const runner = new ScriptedRunner();
  const changes: string[] = [];
  let current: ProbedPod | undefined = pod;
  const prober = new ServiceQualityProber({
    concurrency: 2,
    runner,
    readPod: () => current,
    onChange: (key) => changes.push(key),
    clock,
  });
  return { clock, runner, changes, prober, setPod: (p: ProbedPod | undefined) => (current = p) };
}

describe('ServiceQualityProber', () => {
  it('reports the first result and then only changes, after the failure threshold', async () => {
    const { clock, runner, changes, prober } = setUp();
    prober.sync('ns/p-0', probedPod(), [idle]);
    await clock.advance(1_000);
    expect(changes).toEqual(['ns/p-0']);
    expect(prober.observations('ns/p-0').get('idle')).toMatchObject({ kind: 'result', success: true, output: 'idle' });

    await clock.advance(3_000);
    expect(changes).toHaveLength(1);

    runner.next = probeFailure('', 'exit status 1');
    await clock.advance(1_000);
    expect(changes).toHaveLength(1);
    await clock.advance(1_000);
    expect(changes).toHaveLength(2);
    expect(prober.observations('ns/p-0').get('idle')).toMatchObject({ kind: 'result', success: false });
  });

  it('waits initialDelaySeconds after the container started', async () => {
    const { clock, runner, prober } = setUp();
    prober.sync('ns/p-0', probedPod({ startedAt: new Map([['game', 0]]) }), [{ ...idle, initialDelaySeconds: 10 }]);
    await clock.advance(9_000);
    expect(runner.runs).toBe(0);
    await clock.advance(2_000);
    expect(runner.runs).toBe(1);
  });

  it('stops probing a pod that is no longer running, and forgets a pod that is gone', async () => {
    const { clock, runner, prober } = setUp();
    prober.sync('ns/p-0', probedPod(), [idle]);
    await clock.advance(1_000);
    prober.sync('ns/p-0', probedPod({ probeable: false }), [idle]);
    const runs = runner.runs;
    await clock.advance(5_000);
    expect(runner.runs).toBe(runs);
    expect(prober.observations('ns/p-0').size).toBe(0);
    prober.sync('ns/p-0', probedPod(), [idle]);
    prober.forget('ns/p-0');
    expect(prober.stats().scheduled).toBe(0);
  });

  it('starts over for a new pod of the same name', async () => {
    const { clock, changes, prober } = setUp();
    prober.sync('ns/p-0', probedPod(), [idle]);
    await clock.advance(1_000);
    prober.sync('ns/p-0', probedPod({ uid: 'u2' }), [idle]);
    expect(prober.observations('ns/p-0').size).toBe(0);
    await clock.advance(1_000);
    expect(changes).toEqual(['ns/p-0', 'ns/p-0']);
  });

  it('drops the probes of service qualities removed from the set', async () => {
    const { prober } = setUp();
    prober.sync('ns/p-0', probedPod(), [idle, { ...idle, name: 'health' }]);
    expect(prober.stats().scheduled).toBe(2);
    prober.sync('ns/p-0', probedPod(), [idle]);
    expect(prober.stats().scheduled).toBe(1);
  });
});

describe('ServiceQualityProber backlog', () => {
  /** A runner whose runs take `ms` of fake time. */
  class SlowRunner extends ProbeRunner {
    ms = 1000;
    constructor(private readonly clock: FakeClock) {
      super(unusedExec);
    }
    override run(_target: unknown, _probe: unknown, signal: AbortSignal): Promise<ProbeResult> {
      return new Promise((resolve) => {
        const timer = this.clock.setTimeout(() => resolve(probeSuccess('')), this.ms);
        signal.addEventListener('abort', () => {
          this.clock.clearTimeout(timer);
          resolve(probeFailure('', 'aborted'));
        });
      });
    }
  }

  const web: ServiceQualityProbe = { name: 'web', httpGet: { port: 80 }, initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 5 };

  it('tells once when a set falls behind, once when it caught up, and counts late rounds by lane', async () => {
    const clock = new FakeClock(0);
    const runner = new SlowRunner(clock);
    const backlog: [string, string, string][] = [];
    const late: string[] = [];
    const prober = new ServiceQualityProber({
      concurrency: 4,
      directConcurrency: 1,
      runner,
      readPod: (key) => probedPod({ podName: key.split('/')[1]! }),
      onChange: () => undefined,
      onLate: (lane, reason) => late.push(`${lane}/${reason}`),
      onBacklog: (setKey, transition, window) => backlog.push([setKey, transition, [...window.lanes.keys()].join()]),
      clock,
    });
    // 5 pods × 1 probe/s due, one slot, 1 s per probe: 1/s served.
    for (let i = 0; i < 5; i++) prober.sync(`ns/p-${i}`, probedPod({ podName: `p-${i}`, setName: 'gss' }), [web]);
    expect(prober.laneStats().get('direct')).toMatchObject({ scheduled: 5, duePerSecond: 5 });
    await clock.advance(10_000);
    expect(backlog).toEqual([['ns/gss', 'fellBehind', 'direct']]);
    expect(prober.setsBehind()).toBe(1);
    expect(late.length).toBeGreaterThan(20);
    expect(late.every((entry) => entry.startsWith('direct/'))).toBe(true);
    await clock.advance(30_000);
    expect(backlog).toHaveLength(1);

    // the probes answer at once now: the queue drains, and three clean windows later it has caught up
    runner.ms = 1;
    await clock.advance(50_000);
    expect(backlog).toEqual([
      ['ns/gss', 'fellBehind', 'direct'],
      ['ns/gss', 'caughtUp', 'direct'],
    ]);
    expect(prober.setsBehind()).toBe(0);

    // and falls behind again: told again
    runner.ms = 1000;
    await clock.advance(20_000);
    expect(backlog.map(([, transition]) => transition)).toEqual(['fellBehind', 'caughtUp', 'fellBehind']);
    await prober.stop();
  });

  it('never tells of a set that keeps up', async () => {
    const clock = new FakeClock(0);
    const runner = new SlowRunner(clock);
    runner.ms = 50;
    const backlog: string[] = [];
    const prober = new ServiceQualityProber({
      concurrency: 1,
      directConcurrency: 4,
      runner,
      readPod: (key) => probedPod({ podName: key.split('/')[1]! }),
      onChange: () => undefined,
      onBacklog: (setKey, transition) => backlog.push(`${setKey} ${transition}`),
      clock,
    });
    for (let i = 0; i < 20; i++) prober.sync(`ns/p-${i}`, probedPod({ podName: `p-${i}`, setName: 'gss' }), [web]);
    await clock.advance(60_000);
    expect(backlog).toEqual([]);
    await prober.stop();
  });
});
