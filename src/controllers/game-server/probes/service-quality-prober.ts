// Keeps one scheduled probe per (pod, service quality), feeds each result
// through the kubelet-style thresholds, and tells the controller (onChange)
// when what a probe reports changes. The reconciler asks `observations` for
// what to write; nothing here touches the API besides the probes themselves.
import { ProbeError, probeTimings, type ProbeResult, type ServiceQualityProbe } from './probe-types.js';
import { ProbeScheduler, type ProbeTiming } from './probe-scheduler.js';
import type { ProbeRunner } from './probe-runner.js';
import type { ProbeTarget } from './probe-target.js';
import { INITIAL_THRESHOLD_STATE, observe, sameOutcome, toObservation, type ThresholdState } from './threshold.js';
import type { ProbeObservation } from '../service-quality/select-actions.js';
import type { Clock } from './clock.js';

/** What the prober needs of a pod: where to probe, and since when its containers run. */
export interface ProbedPod extends ProbeTarget {
  readonly uid: string;
  /** True while the pod is Running and not being deleted: only then do probes run. */
  readonly probeable: boolean;
  /** Epoch ms each running container started (probes wait initialDelaySeconds after it). */
  readonly startedAt: ReadonlyMap<string, number>;
}

export interface ServiceQualityProberOptions {
  readonly concurrency: number;
  readonly runner: ProbeRunner;
  /** The pod as the cache holds it now (`namespace/name`), read at every run. */
  readonly readPod: (podKey: string) => ProbedPod | undefined;
  /** A probe's reported outcome changed: reconcile the pod. */
  readonly onChange: (podKey: string) => void;
  readonly onCallbackError?: (error: unknown, key: string) => void;
  /** Told of every completed probe run with its timing (metrics). */
  readonly onProbed?: (result: ProbeResult, timing: ProbeTiming) => void;
  readonly clock?: Clock;
}

interface ProbeState {
  readonly podKey: string;
  readonly name: string;
  probe: ServiceQualityProbe;
  threshold: ThresholdState;
}

interface PodProbes {
  uid: string;
  readonly names: Set<string>;
}

export class ServiceQualityProber {
  private readonly scheduler: ProbeScheduler;
  private readonly probes = new Map<string, ProbeState>();
  private readonly pods = new Map<string, PodProbes>();
  private readonly clock: Clock | undefined;

  constructor(private readonly options: ServiceQualityProberOptions) {
    this.clock = options.clock;
    this.scheduler = new ProbeScheduler({
      concurrency: options.concurrency,
      onResult: (key, result, timing) => {
        options.onProbed?.(result, timing);
        this.record(key, result);
      },
      ...(options.onCallbackError ? { onCallbackError: options.onCallbackError } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
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
    for (const probe of wanted) {
      const key = probeKey(podKey, probe.name);
      const state = this.probes.get(key) ?? { podKey, name: probe.name, probe, threshold: INITIAL_THRESHOLD_STATE };
      state.probe = probe;
      this.probes.set(key, state);
      entry.names.add(probe.name);
      const timings = probeTimings(probe);
      const started = pod.startedAt.get(probe.containerName || pod.containers[0]?.name || '') ?? Math.min(...pod.startedAt.values());
      const notBefore = Number.isFinite(started) ? started + timings.initialDelayMs : undefined;
      this.scheduler.schedule(key, { periodMs: timings.periodMs, timeoutMs: timings.timeoutMs, ...(notBefore !== undefined ? { notBefore } : {}) }, (signal) =>
        this.runProbe(podKey, state, signal),
      );
    }
    if (entry.names.size === 0) this.pods.delete(podKey);
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

  stop(): Promise<void> {
    return this.scheduler.stop();
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
    state.threshold = observe(state.threshold, result, timings, this.clock ? this.clock.now() : Date.now());
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
