// Keeps one scheduled probe per (pod, service quality), feeds each result
// through the kubelet-style thresholds, and tells the controller (onChange)
// when what a probe reports changes. The reconciler asks `observations` for
// what to write; nothing here touches the API besides the probes themselves.
// Per set, it also tells (onBacklog) when the probes fall behind their
// periods and when they catch up again (probe-backlog.ts).
import { ProbeError, probeLane, probeTimings, type ProbeLane, type ProbeResult, type ServiceQualityProbe } from './probe-types.js';
import { ProbeScheduler, type LaneStats, type ProbeTiming } from './probe-scheduler.js';
import {
  BACKLOG_WINDOW_MS,
  INITIAL_BACKLOG_STATE,
  isDelayed,
  planBacklog,
  type BacklogState,
  type BacklogTransition,
  type BacklogWindow,
  type LaneWindow,
  type LateReason,
} from './probe-backlog.js';
import type { ProbeRunner } from './probe-runner.js';
import type { ProbeTarget } from './probe-target.js';
import { INITIAL_THRESHOLD_STATE, observe, sameOutcome, toObservation, type ThresholdState } from './threshold.js';
import type { ProbeObservation } from '../service-quality/select-actions.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';

/** What the prober needs of a pod: where to probe, and since when its containers run. */
export interface ProbedPod extends ProbeTarget {
  readonly uid: string;
  /** The GameServerSet the pod belongs to (backlog reports are per set). */
  readonly setName?: string;
  /** True while the pod is Running and not being deleted: only then do probes run. */
  readonly probeable: boolean;
  /** Epoch ms each running container started (probes wait initialDelaySeconds after it). */
  readonly startedAt: ReadonlyMap<string, number>;
}

export interface ServiceQualityProberOptions {
  /** Most exec probes (pods/exec through the API server) running at once. */
  readonly concurrency: number;
  /** Most httpGet, tcpSocket and grpc probes (straight to the pod) running at once; `concurrency` when unset. */
  readonly directConcurrency?: number;
  readonly runner: ProbeRunner;
  /** The pod as the cache holds it now (`namespace/name`), read at every run. */
  readonly readPod: (podKey: string) => ProbedPod | undefined;
  /** A probe's reported outcome changed: reconcile the pod. */
  readonly onChange: (podKey: string) => void;
  readonly onCallbackError?: (error: unknown, key: string) => void;
  /** Told of every completed probe run with its timing (metrics). */
  readonly onProbed?: (result: ProbeResult, timing: ProbeTiming, lane: ProbeLane) => void;
  /** Told of every late round: skipped (still waiting or running when due again) or started over LATE_AFTER_MS late. */
  readonly onLate?: (lane: ProbeLane, reason: LateReason) => void;
  /** The probes of a set (`namespace/name`) fell behind, or caught up; `window` is the window that decided it. */
  readonly onBacklog?: (setKey: string, transition: BacklogTransition, window: BacklogWindow) => void;
  readonly clock?: Clock;
}

interface ProbeState {
  readonly podKey: string;
  readonly name: string;
  /** `namespace/set` of the pod ('' when the pod names no set). */
  setKey: string;
  probe: ServiceQualityProbe;
  threshold: ThresholdState;
}

/** One set's counts in the current backlog window, and whether it is behind. */
interface SetBacklog {
  served: Map<ProbeLane, number>;
  late: Map<ProbeLane, number>;
  state: BacklogState;
}

interface PodProbes {
  uid: string;
  readonly names: Set<string>;
}

export class ServiceQualityProber {
  private readonly scheduler: ProbeScheduler;
  private readonly probes = new Map<string, ProbeState>();
  private readonly pods = new Map<string, PodProbes>();
  private readonly backlog = new Map<string, SetBacklog>();
  private readonly clock: Clock;
  private windowTimer: TimerHandle | undefined;
  private windowStarted = 0;
  private stopped = false;

  constructor(private readonly options: ServiceQualityProberOptions) {
    this.clock = options.clock ?? systemClock;
    this.scheduler = new ProbeScheduler({
      concurrency: options.concurrency,
      laneConcurrency: { exec: options.concurrency, direct: options.directConcurrency ?? options.concurrency },
      onResult: (key, result, timing) => {
        const state = this.probes.get(key);
        const lane = state ? probeLane(state.probe) : 'exec';
        options.onProbed?.(result, timing, lane);
        if (state) {
          this.count(state.setKey, 'served', lane);
          if (isDelayed(timing.dueDelayMs)) this.late(state.setKey, lane, 'delayed');
        }
        this.record(key, result);
      },
      onSkipped: (key) => {
        const state = this.probes.get(key);
        if (state) this.late(state.setKey, probeLane(state.probe), 'skipped');
      },
      ...(options.onCallbackError ? { onCallbackError: options.onCallbackError } : {}),
      clock: this.clock,
    });
  }

  /** Schedules the set's probes for `pod` (and drops the ones no longer wanted). */
  sync(podKey: string, pod: ProbedPod, serviceQualities: readonly ServiceQualityProbe[]): void {
    let entry = this.pods.get(podKey);
    if (entry && entry.uid !== pod.uid) {
      this.forget(podKey);
      entry = undefined;
    }
    const wanted = pod.probeable ? serviceQualities : [];
    if (!entry) {
      if (wanted.length === 0) return;
      entry = { uid: pod.uid, names: new Set() };
      this.pods.set(podKey, entry);
    }
    const names = new Set(wanted.map((sq) => sq.name));
    for (const name of [...entry.names]) {
      if (names.has(name)) continue;
      this.drop(probeKey(podKey, name));
      entry.names.delete(name);
    }
    const setKey = pod.setName ? `${pod.namespace}/${pod.setName}` : '';
    for (const probe of wanted) {
      const key = probeKey(podKey, probe.name);
      const state = this.probes.get(key) ?? { podKey, name: probe.name, setKey, probe, threshold: INITIAL_THRESHOLD_STATE };
      state.probe = probe;
      state.setKey = setKey;
      this.probes.set(key, state);
      entry.names.add(probe.name);
      const timings = probeTimings(probe);
      const started = pod.startedAt.get(probe.containerName || pod.containers[0]?.name || '') ?? Math.min(...pod.startedAt.values());
      const notBefore = Number.isFinite(started) ? started + timings.initialDelayMs : undefined;
      const spec = { periodMs: timings.periodMs, timeoutMs: timings.timeoutMs, lane: probeLane(probe), ...(notBefore !== undefined ? { notBefore } : {}) };
      this.scheduler.schedule(key, spec, (signal) => this.runProbe(podKey, state, signal));
    }
    if (entry.names.size === 0) this.pods.delete(podKey);
    if (this.probes.size > 0) this.armWindow();
  }

  /** Stops every probe of the pod and forgets its results (the pod is gone). */
  forget(podKey: string): void {
    const entry = this.pods.get(podKey);
    if (!entry) return;
    for (const name of entry.names) this.drop(probeKey(podKey, name));
    this.pods.delete(podKey);
  }

  /** What each probe of the pod reports now, by service-quality name (absent: nothing reported yet). */
  observations(podKey: string): Map<string, ProbeObservation> {
    const result = new Map<string, ProbeObservation>();
    for (const name of this.pods.get(podKey)?.names ?? []) {
      const reported = this.probes.get(probeKey(podKey, name))?.threshold.reported;
      if (reported) result.set(name, toObservation(reported));
    }
    return result;
  }

  stats(): { scheduled: number; running: number; queued: number } {
    return this.scheduler.stats();
  }

  /** Per lane: probes scheduled, running, queued and due per second. */
  laneStats(): Map<string, LaneStats> {
    return this.scheduler.laneStats();
  }

  /** How many sets are behind now. */
  setsBehind(): number {
    let behind = 0;
    for (const set of this.backlog.values()) if (set.state.behind) behind++;
    return behind;
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.windowTimer !== undefined) this.clock.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    return this.scheduler.stop();
  }

  private setBacklog(setKey: string): SetBacklog {
    let set = this.backlog.get(setKey);
    if (!set) {
      set = { served: new Map(), late: new Map(), state: INITIAL_BACKLOG_STATE };
      this.backlog.set(setKey, set);
    }
    return set;
  }

  private count(setKey: string, what: 'served' | 'late', lane: ProbeLane): void {
    const counts = this.setBacklog(setKey)[what];
    counts.set(lane, (counts.get(lane) ?? 0) + 1);
  }

  private late(setKey: string, lane: ProbeLane, reason: LateReason): void {
    this.count(setKey, 'late', lane);
    this.options.onLate?.(lane, reason);
  }

  private armWindow(): void {
    if (this.windowTimer !== undefined || this.stopped) return;
    this.windowStarted = this.clock.now();
    this.windowTimer = this.clock.setTimeout(() => {
      this.windowTimer = undefined;
      this.closeWindow();
    }, BACKLOG_WINDOW_MS);
  }

  /** Closes the backlog window of every set, reports transitions, and starts the next window while anything is probed or behind. */
  private closeWindow(): void {
    const seconds = Math.max(1, this.clock.now() - this.windowStarted) / 1000;
    const due = new Map<string, Map<ProbeLane, number>>();
    for (const state of this.probes.values()) {
      const lanes = due.get(state.setKey) ?? new Map<ProbeLane, number>();
      const lane = probeLane(state.probe);
      lanes.set(lane, (lanes.get(lane) ?? 0) + 1000 / probeTimings(state.probe).periodMs);
      due.set(state.setKey, lanes);
      this.setBacklog(state.setKey);
    }
    for (const [setKey, set] of this.backlog) {
      const lanes = new Map<string, LaneWindow>();
      for (const lane of new Set<ProbeLane>([...(due.get(setKey)?.keys() ?? []), ...set.served.keys(), ...set.late.keys()])) {
        lanes.set(lane, { duePerSecond: due.get(setKey)?.get(lane) ?? 0, served: set.served.get(lane) ?? 0, late: set.late.get(lane) ?? 0 });
      }
      const window: BacklogWindow = { seconds, lanes };
      const planned = planBacklog(set.state, window);
      set.state = planned.state;
      set.served = new Map();
      set.late = new Map();
      if (planned.transition && setKey !== '') {
        try {
          this.options.onBacklog?.(setKey, planned.transition, window);
        } catch (error) {
          this.options.onCallbackError?.(error, setKey);
        }
      }
      if (!set.state.behind && !due.has(setKey)) this.backlog.delete(setKey);
    }
    if (this.probes.size > 0 || this.backlog.size > 0) this.armWindow();
  }

  private runProbe(podKey: string, state: ProbeState, signal: AbortSignal): Promise<ProbeResult> {
    const pod = this.options.readPod(podKey);
    if (!pod) return Promise.resolve({ outcome: 'error', error: new ProbeError('PodNotFound', `pod ${podKey} is gone`) });
    return this.options.runner.run(pod, state.probe, signal);
  }

  private record(key: string, result: ProbeResult): void {
    const state = this.probes.get(key);
    if (!state) return;
    const before = state.threshold.reported;
    const timings = probeTimings(state.probe);
    state.threshold = observe(state.threshold, result, timings, this.clock.now());
    const after = state.threshold.reported;
    if (after && (before === undefined || before.since !== after.since || !sameOutcome(before.result, after.result))) this.options.onChange(state.podKey);
  }

  private drop(key: string): void {
    this.scheduler.unschedule(key);
    this.probes.delete(key);
  }
}

function probeKey(podKey: string, name: string): string {
  return `${podKey}/${name}`;
}
