// Leader election between operator processes on a coordination.k8s.io Lease:
// exactly one replica reconciles; kill -9 of the leader hands over within the
// lease duration plus a margin; SIGTERM releases the Lease so a standby takes
// over at its next retry, long before the Lease would have expired.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { repoRoot } from '../cluster/paths.js';
import { adminKubeConfig, createTestNamespace, deleteTestNamespace, e2eEnvironment, eventually } from '../support/index.js';
import { LEADER_TEST_LABEL, RECONCILED_BY } from './fixtures/leader-labels.js';
import { coreApi } from './support.js';

const LEASE_NAME = 'rt-leader';
const LEASE_DURATION_MS = 6_000;
const RENEW_DEADLINE_MS = 4_000;
const RETRY_PERIOD_MS = 500;
/** A standby campaigns every retryPeriod·[1, 2.2): the longest gap between its tries. */
const MAX_RETRY_GAP_MS = RETRY_PERIOD_MS * 2.2;
const MARGIN_MS = 3_000;

interface LogLine {
  readonly message?: string;
  readonly level?: string;
}

class Candidate {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(
    readonly identity: string,
    namespace: string,
  ) {
    const flags = [
      `--kubeconfig=${e2eEnvironment().kubeconfigPath}`,
      `--namespaces=${namespace}`,
      '--leader-elect=true',
      `--leader-elect-resource-namespace=${namespace}`,
      `--leader-elect-resource-name=${LEASE_NAME}`,
      `--leader-elect-identity=${identity}`,
      `--leader-elect-lease-duration=${LEASE_DURATION_MS}ms`,
      `--leader-elect-renew-deadline=${RENEW_DEADLINE_MS}ms`,
      `--leader-elect-retry-period=${RETRY_PERIOD_MS}ms`,
      '--metrics-bind-address=127.0.0.1:0',
      '--health-probe-bind-address=127.0.0.1:0',
    ];
    this.child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'e2e/runtime/fixtures/leader-candidate.ts'), ...flags], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ message: line });
        }
        if (process.env.E2E_OPERATOR_LOG === 'true') process.stderr.write(`[${identity}] ${line}\n`);
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  logged(message: string): boolean {
    return this.lines.some((line) => line.message === message);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  describe(): string {
    return `${this.identity}: ${this.lines.map((line) => line.message).join(' | ')} ${this.stderr}`;
  }
}

let namespace: string;
const candidates: Candidate[] = [];
let leader: Candidate;
let standby: Candidate;

function start(identity: string): Candidate {
  const candidate = new Candidate(identity, namespace);
  candidates.push(candidate);
  return candidate;
}

async function leaseHolder(): Promise<{ holder: string | undefined; transitions: number }> {
  const lease = await adminKubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace, name: LEASE_NAME });
  return { holder: lease.spec?.holderIdentity || undefined, transitions: lease.spec?.leaseTransitions ?? 0 };
}

/** Creates a labelled ConfigMap and returns who reconciled it and how long that took. */
async function reconciledBy(name: string, timeoutMs: number): Promise<{ by: string; elapsedMs: number }> {
  const started = Date.now();
  await coreApi().createNamespacedConfigMap({ namespace, body: { metadata: { name, labels: { [LEADER_TEST_LABEL]: 'true' } } } });
  const by = await eventually(
    async () => (await coreApi().readNamespacedConfigMap({ namespace, name })).metadata?.annotations?.[RECONCILED_BY] ?? false,
    { timeoutMs, intervalMs: 100, description: `ConfigMap ${name} reconciled (${candidates.map((c) => c.describe()).join('\n')})` },
  );
  return { by, elapsedMs: Date.now() - started };
}

beforeAll(async () => {
  namespace = await createTestNamespace('rt-leader');
});

afterAll(async () => {
  for (const candidate of candidates) candidate.kill('SIGKILL');
  await Promise.all(candidates.map((candidate) => candidate.exited));
  await deleteTestNamespace(namespace);
});

describe('leader election between operator processes', () => {
  it('elects exactly one leader of two, and only the leader reconciles', async () => {
    const [a, b] = [start('replica-a'), start('replica-b')];
    const { holder } = await eventually(
      async () => {
        const current = await leaseHolder();
        return current.holder ? current : false;
      },
      { timeoutMs: 30_000, description: 'a holder of the lease' },
    );
    leader = holder === a.identity ? a : b;
    standby = leader === a ? b : a;
    const first = await reconciledBy('first', 20_000);
    expect(first.by).toBe(leader.identity);
    // The standby is up, its caches synced, and it keeps campaigning without winning.
    await eventually(() => standby.logged('campaigning for leadership') && leader.logged('caches synced, starting controllers'), {
      timeoutMs: 20_000,
      description: 'both replicas running',
    });
    await eventually(async () => (await leaseHolder()).holder === leader.identity && standby.alive, { timeoutMs: RETRY_PERIOD_MS * 4 });
    expect(candidates.filter((c) => c.logged('became the leader')).map((c) => c.identity)).toEqual([leader.identity]);
    expect(standby.logged('caches synced, starting controllers')).toBe(false);
  });

  it('hands over within the lease duration plus a margin when the leader is killed with SIGKILL', async () => {
    const { transitions } = await leaseHolder();
    leader.kill('SIGKILL');
    await leader.exited;
    const second = await reconciledBy('after-kill', LEASE_DURATION_MS + MAX_RETRY_GAP_MS + MARGIN_MS);
    expect(second.by).toBe(standby.identity);
    expect(second.elapsedMs).toBeLessThan(LEASE_DURATION_MS + MAX_RETRY_GAP_MS + MARGIN_MS);
    expect(await leaseHolder()).toEqual({ holder: standby.identity, transitions: transitions + 1 });
    [leader, standby] = [standby, leader];
  });

  it('hands over at once on SIGTERM: the lease is released, the old leader exits 0', async () => {
    const next = start('replica-c');
    await eventually(() => next.logged('campaigning for leadership'), { timeoutMs: 20_000, description: `${next.identity} campaigning` });
    // Let its caches sync: a lease that is held keeps it a standby meanwhile.
    await eventually(async () => (await reconciledBy(`before-term-${Date.now()}`, 10_000)).by === leader.identity, { timeoutMs: 15_000 });
    const signalled = Date.now();
    leader.kill('SIGTERM');
    const third = await reconciledBy('after-term', LEASE_DURATION_MS);
    expect(third.by).toBe(next.identity);
    // Without the release the standby would wait for expiry: > leaseDuration - retryPeriod after the signal.
    expect(Date.now() - signalled).toBeLessThan(LEASE_DURATION_MS - RETRY_PERIOD_MS - 1_000);
    expect(await leader.exited).toBe(0);
    expect(leader.logged('released the lease')).toBe(true);
    expect((await leaseHolder()).holder).toBe(next.identity);
  });
});
