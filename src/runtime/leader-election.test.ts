import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../observability/logger.js';
import { LeaderElector, LeadershipLostError } from './leader-election.js';
import type { LeaseClient, LeaseRecord } from './lease.js';
import { PassThrough } from 'node:stream';

/** One Lease in memory, with resourceVersion checks like the API server's. */
class MemoryLease implements LeaseClient {
  record: LeaseRecord | undefined;
  version = 0;
  /** Renewals fail (time out) while true. */
  unreachable = false;

  get(): Promise<{ record: LeaseRecord; resourceVersion: string } | undefined> {
    if (this.unreachable) return Promise.reject(new Error('timeout'));
    return Promise.resolve(this.record ? { record: this.record, resourceVersion: String(this.version) } : undefined);
  }

  create(record: LeaseRecord): Promise<boolean> {
    if (this.record) return Promise.resolve(false);
    this.record = record;
    this.version += 1;
    return Promise.resolve(true);
  }

  update(record: LeaseRecord, resourceVersion: string): Promise<boolean> {
    if (resourceVersion !== String(this.version)) return Promise.resolve(false);
    this.record = record;
    this.version += 1;
    return Promise.resolve(true);
  }

  /** An admin or another candidate writes itself in as the holder. */
  steal(holder: string): void {
    this.record = { ...this.record, holderIdentity: holder, renewTime: new Date().toISOString() };
    this.version += 1;
  }
}

const quiet = createLogger({ level: 'error', stream: new PassThrough() });

function elector(lease: MemoryLease): LeaderElector {
  return new LeaderElector({ client: lease, identity: 'me', name: 'test', leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 50, logger: quiet });
}

describe('LeaderElector', () => {
  it('loses at once when the Lease names another holder, fencing before the leader signal aborts', async () => {
    const lease = new MemoryLease();
    const order: string[] = [];
    let leaderSignal: AbortSignal | undefined;
    const run = elector(lease).run(new AbortController().signal, {
      onStartedLeading: (signal) => {
        leaderSignal = signal;
        signal.addEventListener('abort', () => order.push('leader signal aborted'));
      },
      onStoppedLeading: () => order.push('stopped leading'),
    });
    while (!leaderSignal) await new Promise((resolve) => setTimeout(resolve, 10));
    const stolenAt = Date.now();
    lease.steal('thief');
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeadershipLostError);
    expect((error as Error).message).toContain('held by thief');
    // Detected at the next renewal (50 ms), not after the 2 s renew deadline.
    expect(Date.now() - stolenAt).toBeLessThan(1_000);
    expect(order).toEqual(['stopped leading', 'leader signal aborted']);
  });

  it('loses after the renew deadline when the API server cannot be reached', async () => {
    const lease = new MemoryLease();
    let started = false;
    const run = elector(lease).run(new AbortController().signal, { onStartedLeading: () => (started = true) });
    while (!started) await new Promise((resolve) => setTimeout(resolve, 10));
    lease.unreachable = true;
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeadershipLostError);
    expect((error as Error).message).toContain('could not renew');
  });

  it('releases the Lease when stopped gracefully', async () => {
    const lease = new MemoryLease();
    const abort = new AbortController();
    let stopped = 0;
    let started = false;
    const run = elector(lease).run(abort.signal, { onStartedLeading: () => (started = true), onStoppedLeading: () => (stopped += 1) });
    while (!started) await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    await run;
    expect(stopped).toBe(1);
    expect(lease.record?.holderIdentity).toBe('');
  });
});
