// One in-process Manager (leader election on, HTTP served) with a test-only
// ConfigMap reconciler: failures are retried with exponential backoff, one
// key is never reconciled twice at once, Warning events aggregate into one
// Event whose count grows, and /metrics, /healthz and /readyz answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setHeaderOptions } from '@kubernetes/client-node';
import { PatchStrategy } from '../../src/runtime/patch.js';
import { pause } from '../../src/runtime/backoff.js';
import { enqueueSelf, watch } from '../../src/runtime/handlers.js';
import type { SharedInformer } from '../../src/runtime/informer.js';
import { ItemExponentialFailureRateLimiter } from '../../src/runtime/rate-limiter.js';
import { CONFIG_MAPS } from '../../src/runtime/resource.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { coreApi, freePort, startTestManager, type ConfigMap, type RunningManager } from './support.js';

const LABEL = 'e2e.gamekeeper.dev/runtime-test';
const CONTROLLER = 'runtime-test';
const BASE_DELAY_MS = 100;
const FAILURES = 4;
const WARNING_REASON = 'TestWarning';
const WARNING_MESSAGE = 'the test reconciler was asked for a warning';

let namespace: string;
let port: number;
let running: RunningManager;
let informer: SharedInformer<ConfigMap>;

/** Start and end times (ms) of every reconcile, per name. */
const attempts = new Map<string, { start: number; end?: number }[]>();
const inFlight = new Map<string, number>();
let maxInFlightPerKey = 0;
let inFlightTotal = 0;
let maxInFlightTotal = 0;

async function reconcileTestObject(name: string, signal: AbortSignal): Promise<void> {
  const history = attempts.get(name) ?? [];
  attempts.set(name, history);
  const attempt: { start: number; end?: number } = { start: Date.now() };
  history.push(attempt);
  inFlight.set(name, (inFlight.get(name) ?? 0) + 1);
  maxInFlightPerKey = Math.max(maxInFlightPerKey, inFlight.get(name)!);
  maxInFlightTotal = Math.max(maxInFlightTotal, ++inFlightTotal);
  try {
    const cm = informer.store.getByName(namespace, name);
    if (!cm) return;
    if (name === 'flaky' && history.length <= FAILURES) throw new Error(`planned failure ${history.length} of ${FAILURES}`);
    if (name.startsWith('busy')) {
      await pause(150, signal);
      if (history.length % 2 === 1) throw new Error('busy objects fail every other time');
    }
    if (name === 'warn') running.manager.eventRecorder('gamekeeper-e2e').warning(cm, WARNING_REASON, WARNING_MESSAGE);
  } finally {
    attempt.end = Date.now();
    inFlight.set(name, inFlight.get(name)! - 1);
    inFlightTotal -= 1;
  }
}

const labelled = (name: string): ConfigMap => ({ metadata: { name, labels: { [LABEL]: 'true' } }, data: { v: '0' } });

async function patchData(name: string, v: string): Promise<void> {
  await coreApi().patchNamespacedConfigMap({ namespace, name, body: { data: { v } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

beforeAll(async () => {
  namespace = await createTestNamespace('rt-reconcile');
  port = await freePort();
  running = startTestManager({
    namespaces: [namespace],
    flags: [
      `--metrics-bind-address=127.0.0.1:${port}`,
      `--health-probe-bind-address=127.0.0.1:${port}`,
      '--leader-elect=true',
      `--leader-elect-resource-namespace=${namespace}`,
      '--leader-elect-resource-name=rt-manager',
      '--leader-elect-lease-duration=6s',
      '--leader-elect-renew-deadline=4s',
      '--leader-elect-retry-period=500ms',
    ],
    manager: { serveHttp: true },
    setUp(manager) {
      informer = manager.informer<ConfigMap>(CONFIG_MAPS, { labelSelector: `${LABEL}=true` });
      manager.addController({
        name: CONTROLLER,
        workers: 4,
        rateLimiter: new ItemExponentialFailureRateLimiter(BASE_DELAY_MS, 5_000),
        watches: [watch(informer, enqueueSelf)],
        reconciler: { reconcile: (request, context) => reconcileTestObject(request.name, context.signal) },
      });
    },
  });
  await eventually(() => running.manager.isLeader() && running.manager.readinessProblems().length === 0, {
    timeoutMs: 20_000,
    description: `the manager leading with synced caches (${running.manager.readinessProblems().join('; ')})`,
  });
});

afterAll(async () => {
  await running?.stop();
  await deleteTestNamespace(namespace);
});

describe('reconcile loop', () => {
  it('retries a reconciler that throws with exponential backoff until it succeeds', async () => {
    await coreApi().createNamespacedConfigMap({ namespace, body: labelled('flaky') });
    const history = await eventually(() => (attempts.get('flaky')?.length ?? 0) > FAILURES && attempts.get('flaky')!.at(-1)!.end !== undefined && attempts.get('flaky')!, {
      timeoutMs: 15_000,
      description: 'the flaky object reconciled successfully after its failures',
    });
    expect(history).toHaveLength(FAILURES + 1);
    const gaps = history.slice(1).map((attempt, i) => attempt.start - history[i]!.end!);
    // base·2^n after the n-th consecutive failure (timers may fire a millisecond early).
    gaps.forEach((gap, n) => expect(gap).toBeGreaterThanOrEqual(BASE_DELAY_MS * 2 ** n - 2));
    expect(gaps[3]!).toBeGreaterThan(gaps[0]!);
    // Success forgets the failures: no further attempt.
    await pause(BASE_DELAY_MS * 2 ** FAILURES);
    expect(attempts.get('flaky')).toHaveLength(FAILURES + 1);
  });

  it('never reconciles one key twice at once, while keys run in parallel', async () => {
    const names = ['busy-0', 'busy-1', 'busy-2'];
    for (const name of names) await coreApi().createNamespacedConfigMap({ namespace, body: labelled(name) });
    // Changes keep arriving while each key is in flight or waiting for a retry.
    for (let round = 1; round <= 8; round++) {
      await Promise.all(names.map((name) => patchData(name, String(round))));
      await pause(60);
    }
    await eventually(
      () => names.every((name) => (attempts.get(name)?.length ?? 0) >= 4) && names.every((name) => (inFlight.get(name) ?? 0) === 0),
      { timeoutMs: 20_000, description: 'several reconciles of every busy object' },
    );
    expect(maxInFlightPerKey).toBe(1);
    expect(maxInFlightTotal).toBeGreaterThan(1);
    for (const name of names) {
      const history = attempts.get(name)!;
      for (let i = 1; i < history.length; i++) expect(history[i]!.start).toBeGreaterThanOrEqual(history[i - 1]!.end!);
    }
  });

  it('writes Warning events that kubectl lists, aggregating repeats into a growing count', async () => {
    await coreApi().createNamespacedConfigMap({ namespace, body: labelled('warn') });
    const warnings = async () => {
      const list = JSON.parse(await kubectl(['-n', namespace, 'get', 'events', '--field-selector', 'type=Warning', '-o', 'json'])) as {
        items: { reason?: string; count?: number; [key: string]: unknown }[];
      };
      return list.items.filter((event) => event.reason === WARNING_REASON);
    };
    const [first] = await eventually(async () => ((await warnings()).length === 1 ? await warnings() : false), {
      timeoutMs: 15_000,
      description: 'the first Warning event',
    });
    expect(first).toMatchObject({
      type: 'Warning',
      reason: WARNING_REASON,
      message: WARNING_MESSAGE,
      count: 1,
      involvedObject: { kind: 'ConfigMap', name: 'warn', namespace, uid: informer.store.getByName(namespace, 'warn')!.metadata!.uid },
      source: { component: 'gamekeeper-e2e' },
    });
    for (const [round, expected] of [[1, 2], [2, 3]] as const) {
      await patchData('warn', String(round));
      const events = await eventually(async () => {
        const current = await warnings();
        return current.length === 1 && (current[0]!.count ?? 0) >= expected ? current : false;
      }, { timeoutMs: 15_000, description: `the Warning event counted ${expected} times` });
      expect(events[0]!.metadata).toEqual(expect.objectContaining({ name: (first!.metadata as { name: string }).name }));
    }
    const table = await kubectl(['-n', namespace, 'get', 'events', '--field-selector', 'type=Warning', '-o', 'custom-columns=REASON:.reason,COUNT:.count']);
    expect(table).toMatch(new RegExp(`^${WARNING_REASON}\\s+[3-9]\\d*$`, 'm'));
  });

  it('serves /metrics under controller-runtime names, /healthz and /readyz', async () => {
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
      return { status: response.status, text: await response.text() };
    };
    expect(await get('/healthz')).toEqual({ status: 200, text: 'ok' });
    expect(await get('/readyz')).toEqual({ status: 200, text: 'ok' });
    expect((await get('/readyz?verbose')).text).toContain('[+]manager ok');
    const { status, text } = await get('/metrics');
    expect(status).toBe(200);
    const sample = (name: string, labels: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((label) => l.includes(label)));
      if (!line) throw new Error(`no sample ${name}{${labels}} in\n${text}`);
      return Number(line.split(' ').at(-1));
    };
    const controller = `controller="${CONTROLLER}"`;
    expect(sample('controller_runtime_reconcile_total', `${controller},result="error"`)).toBeGreaterThanOrEqual(FAILURES);
    expect(sample('controller_runtime_reconcile_total', `${controller},result="success"`)).toBeGreaterThanOrEqual(1);
    expect(sample('controller_runtime_reconcile_errors_total', controller)).toBeGreaterThanOrEqual(FAILURES);
    expect(sample('controller_runtime_reconcile_time_seconds_count', controller)).toBeGreaterThan(FAILURES);
    expect(sample('controller_runtime_max_concurrent_reconciles', controller)).toBe(4);
    expect(sample('workqueue_depth', `name="${CONTROLLER}"`)).toBeGreaterThanOrEqual(0);
    expect(sample('workqueue_adds_total', `name="${CONTROLLER}"`)).toBeGreaterThan(FAILURES);
    expect(sample('workqueue_retries_total', `name="${CONTROLLER}"`)).toBeGreaterThanOrEqual(FAILURES);
    expect(sample('workqueue_queue_duration_seconds_count', `name="${CONTROLLER}"`)).toBeGreaterThan(0);
    expect(sample('rest_client_requests_total', 'code="200",method="GET"')).toBeGreaterThan(0);
    expect(sample('leader_election_master_status', 'name="rt-manager"')).toBe(1);
  });
});
