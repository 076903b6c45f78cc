// Leader election on a coordination.k8s.io Lease (client-go's LeaderElector):
// campaign every retryPeriod until the Lease is ours, then renew every
// retryPeriod. A leader that has not renewed within renewDeadline of its last
// renewal has lost: it aborts its leader signal and `run` rejects with
// LeadershipLostError (the process must exit; the lead's workers already
// stopped). Aborting `run`'s signal releases the Lease (holder cleared) so a
// standby takes over at its next retry instead of waiting for expiry.
//
// Since renewDeadline < leaseDuration, a leader stops acting before any
// standby can consider the Lease expired. A leader that reads the Lease and
// finds another holder (a standby that took an expired Lease, or an admin who
// edited it) has lost at once: it does not retry until its renew deadline.
//
// The elector must be given a client of its own (no shared rate limit, no
// shared connection pool): a renewal that queues behind the process's own
// work misses its deadline under load, which is how a busy leader loses.
// `onStoppedLeading` runs synchronously when leadership ends, before anything
// else: the manager fences its work client there, so nothing is written after
// the loss is detected. What stays open is the window of a paused process (a
// long GC pause or SIGSTOP between a check and a write), as in client-go.
import type { Logger } from 'winston';
import type { Metrics } from '../observability/metrics.js';
import { pause } from './backoff.js';
import { decideLease, observe, releasedRecord, type LeaseClient, type LeaseObservation } from './lease.js';

export class LeadershipLostError extends Error {
  constructor(identity: string, lastRenewAgoMs: number, holder?: string) {
    super(
      holder
        ? `${identity} found the lease held by ${holder} and is no longer the leader`
        : `${identity} could not renew its lease for ${lastRenewAgoMs} ms and is no longer the leader`,
    );
    this.name = 'LeadershipLostError';
  }
}

export interface LeaderElectorOptions {
  readonly client: LeaseClient;
  readonly identity: string;
  /** Lease name, for logs and leader_election_master_status{name}. */
  readonly name: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** Clear the holder when `run` is aborted (default true). */
  readonly releaseOnCancel?: boolean;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => number;
}

export interface LeaderCallbacks {
  /** Called once when the Lease is acquired; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /**
   * Called once, synchronously, when leadership ends (lost or given up),
   * before the leader signal aborts: fence writes here.
   */
  onStoppedLeading?(reason: unknown): void;
}

const JITTER_FACTOR = 1.2;

/** One round's result: the Lease is ours, another candidate holds it, or the round failed (error, timeout, conflict). */
type Round = { readonly kind: 'ours' } | { readonly kind: 'other'; readonly holder: string } | { readonly kind: 'failed' };

export class LeaderElector {
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  private readonly client: LeaseClient;
  private readonly logger: Logger;
  private readonly now: () => number;
  private observation: LeaseObservation | undefined;
  private leading = false;

  constructor(private readonly options: LeaderElectorOptions) {
    this.client = options.client;
    this.identity = options.identity;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.logger = options.logger.child({ lease: options.name, identity: options.identity });
    this.now = options.now ?? Date.now;
    if (!(this.leaseDurationMs > this.renewDeadlineMs)) throw new RangeError('leaseDuration must be greater than renewDeadline');
    if (!(this.renewDeadlineMs > JITTER_FACTOR * this.retryPeriodMs)) throw new RangeError('renewDeadline must be greater than retryPeriod*1.2');
    this.setStatus(false);
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns, leads, and renews until `signal` aborts (resolves, after
   * releasing the Lease) or leadership is lost (rejects with LeadershipLostError).
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    this.logger.info('campaigning for leadership');
    while (!signal.aborted) {
      if ((await this.tryAcquireOrRenew(this.retryPeriodMs)).kind === 'ours') break;
      await pause(this.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR), signal);
    }
    if (signal.aborted) return;
    const leadership = new AbortController();
    this.setStatus(true);
    this.logger.info('became the leader');
    callbacks.onStartedLeading(leadership.signal);
    let lastRenew = this.now();
    try {
      while (!signal.aborted) {
        await pause(this.retryPeriodMs, signal);
        if (signal.aborted) break;
        const round = await this.renewBefore(lastRenew + this.renewDeadlineMs, signal);
        if (round.kind === 'ours') {
          lastRenew = this.now();
          continue;
        }
        if (signal.aborted && round.kind !== 'other') break;
        const error = new LeadershipLostError(this.identity, this.now() - lastRenew, round.kind === 'other' ? round.holder : undefined);
        this.stopLeading(leadership, callbacks, error);
        throw error;
      }
      this.stopLeading(leadership, callbacks, signal.reason);
      if (this.options.releaseOnCancel ?? true) await this.release();
    } finally {
      this.setStatus(false);
    }
  }

  /**
   * Retries renewing every retryPeriod until it works or `deadline` (local ms)
   * passes; stops at once when another candidate holds the Lease.
   */
  private async renewBefore(deadline: number, signal: AbortSignal): Promise<Round> {
    for (;;) {
      const remaining = deadline - this.now();
      if (remaining <= 0) return { kind: 'failed' };
      const started = performance.now();
      const round = await this.tryAcquireOrRenew(remaining);
      if (round.kind === 'ours') this.options.metrics?.leaderElectionRenewDuration.observe({ name: this.options.name }, (performance.now() - started) / 1000);
      if (round.kind !== 'failed') return round;
      if (deadline - this.now() <= 0 || signal.aborted) return round;
      await pause(Math.min(this.retryPeriodMs, Math.max(0, deadline - this.now())), signal);
    }
  }

  /** One round of read → decide → write, bounded by `timeoutMs`. */
  private async tryAcquireOrRenew(timeoutMs: number): Promise<Round> {
    const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
    try {
      const stored = await this.client.get(signal);
      const { decision, observation } = decideLease({
        current: stored?.record,
        observation: this.observation,
        identity: this.identity,
        now: this.now(),
        leaseDurationMs: this.leaseDurationMs,
      });
      this.observation = observation;
      if (decision.action === 'wait') {
        this.logger.debug('lease held by another candidate', { holder: decision.holder, expiresInMs: decision.expiresAt - this.now() });
        return { kind: 'other', holder: decision.holder };
      }
      const written =
        decision.action === 'create'
          ? await this.client.create(decision.record, signal)
          : await this.client.update(decision.record, stored!.resourceVersion, signal);
      if (!written) return { kind: 'failed' };
      this.observation = observe(decision.record, undefined, this.now());
      if (decision.action === 'create' || decision.acquiring) this.logger.info('acquired the lease', { transitions: decision.record.leaseTransitions });
      return { kind: 'ours' };
    } catch (error) {
      this.logger.warn('lease read or write failed', { err: error });
      return { kind: 'failed' };
    }
  }

  private stopLeading(leadership: AbortController, callbacks: LeaderCallbacks, reason: unknown): void {
    this.setStatus(false);
    callbacks.onStoppedLeading?.(reason);
    leadership.abort(reason);
    if (reason instanceof LeadershipLostError) this.logger.error('lost leadership', { err: reason });
  }

  /** Clears the holder if the Lease is still ours, so a standby need not wait for expiry. */
  private async release(): Promise<void> {
    try {
      const stored = await this.client.get(AbortSignal.timeout(this.renewDeadlineMs));
      if (!stored || stored.record.holderIdentity !== this.identity) return;
      const ok = await this.client.update(releasedRecord(stored.record, this.now()), stored.resourceVersion, AbortSignal.timeout(this.renewDeadlineMs));
      this.logger.info(ok ? 'released the lease' : 'lease changed hands before release');
    } catch (error) {
      this.logger.warn('failed to release the lease', { err: error });
    }
  }

  private setStatus(leading: boolean): void {
    this.leading = leading;
    this.options.metrics?.leaderElectionMasterStatus.set({ name: this.options.name }, leading ? 1 : 0);
  }
}
