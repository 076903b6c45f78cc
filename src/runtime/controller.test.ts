import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { Controller, type ReconcileContext, type Reconciler } from './controller.js';
import { apiError, TerminalError } from './errors.js';
import { batched } from './handlers.js';
import type { Request } from './object.js';
import type { ReconcileResult } from './outcome.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';

/** Polls `condition` every 5 ms for up to `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A reconciler driven by a script per key; records calls, times and overlap. */
class ScriptedReconciler implements Reconciler {
  readonly calls: { key: string; at: number; context: ReconcileContext }[] = [];
  readonly running = new Map<string, number>();
  maxOverlapPerKey = 0;
  maxParallel = 0;
  private active = 0;

  constructor(
    private readonly script: (key: string, attempt: number) => Promise<ReconcileResult>,
    private readonly holdMs = 0,
  ) {}

  async reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult> {
    const key = `${request.namespace}/${request.name}`;
    const attempt = this.calls.filter((call) => call.key === key).length + 1;
    this.calls.push({ key, at: Date.now(), context });
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    this.active += 1;
    this.maxOverlapPerKey = Math.max(this.maxOverlapPerKey, this.running.get(key)!);
    this.maxParallel = Math.max(this.maxParallel, this.active);
    try {
      if (this.holdMs) await new Promise((resolve) => setTimeout(resolve, this.holdMs));
      return await this.script(key, attempt);
    } finally {
      this.running.set(key, this.running.get(key)! - 1);
      this.active -= 1;
    }
  }

  count(key: string): number {
    return this.calls.filter((call) => call.key === key).length;
  }
}

function setup(reconciler: Reconciler, workers = 2) {
  const output = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  output.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  const metrics = new Metrics({ defaultMetrics: false });
  const controller = new Controller({
    name: 'test',
    reconciler,
    workers,
    rateLimiter: new ItemExponentialFailureRateLimiter(20, 400),
    logger: createLogger({ level: 'debug', stream: output }),
    metrics,
  });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  return { controller, metrics, lines, abort, running };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function start(reconciler: Reconciler, workers = 2) {
  const env = setup(reconciler, workers);
  stops.push(async () => {
    env.abort.abort();
    await env.running;
  });
  return env;
}

async function metricValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value ?? 0;
}

describe('Controller', () => {
  it('reconciles a key once on success and counts it', async () => {
    const reconciler = new ScriptedReconciler(async () => undefined);
    const { controller, metrics } = start(reconciler);
    controller.enqueue({ namespace: 'ns', name: 'a' });
    await until(() => reconciler.count('ns/a') === 1);
    await until(() => controller.queue.inFlight === 0);
    expect(await metricValue(metrics, 'controller_runtime_reconcile_total', { controller: 'test', result: 'success' })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reconciler.count('ns/a')).toBe(1);
  });

  it('retries a throwing reconciler with growing backoff, never twice at once for a key', async () => {
    const reconciler = new ScriptedReconciler(async (_key, attempt) => {
      if (attempt <= 4) throw new Error(`attempt ${attempt} failed`);
    }, 10);
    const { controller, metrics } = start(reconciler, 4);
    controller.enqueue({ namespace: 'ns', name: 'a' });
    // Events keep arriving for the key while it fails: they must not run it in parallel.
    const spam = setInterval(() => controller.enqueue({ namespace: 'ns', name: 'a' }), 2);
    try {
      await until(() => reconciler.count('ns/a') >= 5, 5000);
    } finally {
      clearInterval(spam);
    }
    expect(reconciler.maxOverlapPerKey).toBe(1);
    expect(await metricValue(metrics, 'controller_runtime_reconcile_errors_total', { controller: 'test' })).toBe(4);
    expect(await metricValue(metrics, 'workqueue_retries_total', { name: 'test' })).toBe(4);
  });

  it('waits longer between each failed attempt', async () => {
    const reconciler = new ScriptedReconciler(async () => {
      throw new Error('always');
    });
    const { controller } = start(reconciler);
    controller.enqueue({ namespace: 'ns', name: 'b' });
    await until(() => reconciler.count('ns/b') >= 4, 5000);
    const times = reconciler.calls.filter((call) => call.key === 'ns/b').map((call) => call.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 20 ms, 40 ms, 80 ms (timers may fire late, never early).
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
  });

  it('does not retry a terminal error', async () => {
    const reconciler = new ScriptedReconciler(async () => {
      throw new TerminalError('spec can never work');
    });
    const { controller, metrics, lines } = start(reconciler);
    controller.enqueue({ namespace: 'ns', name: 'c' });
    await until(() => reconciler.count('ns/c') === 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reconciler.count('ns/c')).toBe(1);
    expect(await metricValue(metrics, 'controller_runtime_terminal_reconcile_errors_total', { controller: 'test' })).toBe(1);
    const line = lines.find((l) => l.level === 'error' && l.name === 'c');
    expect(line).toMatchObject({ controller: 'test', namespace: 'ns', name: 'c', result: 'error', err: { name: 'TerminalError', message: 'spec can never work' } });
  });

  it('requeues a conflict quietly and succeeds on the next try', async () => {
    const conflict = apiError(409, JSON.stringify({ kind: 'Status', reason: 'Conflict', code: 409 }), {});
    const reconciler = new ScriptedReconciler(async (_key, attempt) => {
      if (attempt === 1) throw conflict;
    });
    const { controller, metrics, lines } = start(reconciler);
    controller.enqueue({ namespace: 'ns', name: 'd' });
    await until(() => reconciler.count('ns/d') === 2);
    await until(() => controller.queue.inFlight === 0);
    expect(await metricValue(metrics, 'controller_runtime_reconcile_total', { controller: 'test', result: 'requeue' })).toBe(1);
    expect(await metricValue(metrics, 'controller_runtime_reconcile_errors_total', { controller: 'test' })).toBe(0);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('honours requeueAfter', async () => {
    const reconciler = new ScriptedReconciler(async (_key, attempt) => (attempt === 1 ? { requeueAfter: 100 } : undefined));
    const { controller, metrics } = start(reconciler);
    controller.enqueue({ namespace: 'ns', name: 'e' });
    await until(() => reconciler.count('ns/e') === 2);
    const [first, second] = reconciler.calls.map((call) => call.at);
    expect(second! - first!).toBeGreaterThanOrEqual(99);
    expect(await metricValue(metrics, 'controller_runtime_reconcile_total', { controller: 'test', result: 'requeue_after' })).toBe(1);
  });

  it('gathers a batched source\'s burst of events into one reconcile', async () => {
    const reconciler = new ScriptedReconciler(async () => undefined);
    const { controller } = start(reconciler);
    let emit: (request: { namespace: string; name: string }) => void = () => undefined;
    controller.watch(batched({ description: 'children', subscribe: (enqueue) => (emit = enqueue) }, 100));
    const started = Date.now();
    for (let i = 0; i < 50; i++) emit({ namespace: 'ns', name: 'owner' });
    await until(() => reconciler.count('ns/owner') === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(99);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reconciler.count('ns/owner')).toBe(1);
  });

  it('runs different keys in parallel up to the worker count', async () => {
    const reconciler = new ScriptedReconciler(async () => undefined, 40);
    const { controller } = start(reconciler, 3);
    for (const name of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6']) controller.enqueue({ namespace: 'ns', name });
    await until(() => reconciler.calls.length === 6);
    expect(reconciler.maxParallel).toBe(3);
  });

  it('gives every reconcile its own logger fields and reconcile ID', async () => {
    const reconciler = new ScriptedReconciler(async () => undefined);
    const { controller } = start(reconciler);
    controller.enqueue({ namespace: 'ns', name: 'f' });
    controller.enqueue({ namespace: 'ns', name: 'g' });
    await until(() => reconciler.calls.length === 2);
    const [one, two] = reconciler.calls.map((call) => call.context);
    expect(one!.reconcileID).not.toBe(two!.reconcileID);
    expect(one!.controller).toBe('test');
  });

  it('on stop, finishes the reconcile in flight and takes no new keys', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reconciler = new ScriptedReconciler(async () => {
      await gate;
    });
    const { controller, abort, running } = setup(reconciler, 1);
    controller.enqueue({ namespace: 'ns', name: 'slow' });
    controller.enqueue({ namespace: 'ns', name: 'queued' });
    await until(() => reconciler.count('ns/slow') === 1);
    abort.abort();
    let stopped = false;
    void running.then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    release();
    await running;
    expect(reconciler.count('ns/queued')).toBe(0);
    expect(reconciler.calls[0]!.context.signal.aborted).toBe(true);
  });
});
