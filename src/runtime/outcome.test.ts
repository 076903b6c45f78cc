import { describe, expect, it } from '@jest/globals';
import { apiError, TerminalError } from './errors.js';
import { planOutcome, type ReconcileOutcome } from './outcome.js';
import { PODS } from './resource.js';
import { writeError } from './write-errors.js';

const status = (code: number, reason: string, message = 'x') => JSON.stringify({ kind: 'Status', code, reason, message });
const fail = (error: unknown): ReconcileOutcome => ({ ok: false, error });

describe('planOutcome', () => {
  it.each([
    { name: 'success', outcome: { ok: true, value: undefined }, result: 'success', queue: { kind: 'forget' }, error: false, level: 'debug' },
    { name: 'empty result', outcome: { ok: true, value: {} }, result: 'success', queue: { kind: 'forget' }, error: false, level: 'debug' },
    { name: 'requeueAfter 0 is plain success', outcome: { ok: true, value: { requeueAfter: 0 } }, result: 'success', queue: { kind: 'forget' }, error: false, level: 'debug' },
    {
      name: 'requeueAfter',
      outcome: { ok: true, value: { requeueAfter: 1500 } },
      result: 'requeue_after',
      queue: { kind: 'forget-and-add-after', delayMs: 1500 },
      error: false,
      level: 'debug',
    },
    { name: 'plain error', outcome: fail(new Error('boom')), result: 'error', queue: { kind: 'add-rate-limited', minDelayMs: 0 }, error: true, level: 'error' },
    { name: 'terminal error', outcome: fail(new TerminalError('bad spec')), result: 'error', queue: { kind: 'forget' }, error: true, level: 'error' },
    {
      name: 'terminal error as a cause',
      outcome: fail(new Error('wrapped', { cause: new TerminalError('bad spec') })),
      result: 'error',
      queue: { kind: 'forget' },
      error: true,
      level: 'error',
    },
    {
      name: '409 Conflict requeues quietly',
      outcome: fail(apiError(409, status(409, 'Conflict'), {})),
      result: 'requeue',
      queue: { kind: 'add-rate-limited', minDelayMs: 0 },
      error: false,
      level: 'debug',
    },
    {
      name: 'failed resourceVersion test requeues quietly',
      outcome: fail(apiError(422, status(422, 'Invalid', 'testing value /metadata/resourceVersion failed: test failed'), {})),
      result: 'requeue',
      queue: { kind: 'add-rate-limited', minDelayMs: 0 },
      error: false,
      level: 'debug',
    },
    {
      name: '409 AlreadyExists is an error',
      outcome: fail(apiError(409, status(409, 'AlreadyExists'), {})),
      result: 'error',
      queue: { kind: 'add-rate-limited', minDelayMs: 0 },
      error: true,
      level: 'error',
    },
    { name: '404 means done', outcome: fail(apiError(404, status(404, 'NotFound'), {})), result: 'success', queue: { kind: 'forget' }, error: false, level: 'debug' },
    {
      name: 'a 404 naming the object written means done',
      outcome: fail(writeError({ verb: 'patch', resource: PODS, namespace: 'ns', name: 'p' }, { kind: 'objectNotFound' }, apiError(404, status(404, 'NotFound'), {}))),
      result: 'success',
      queue: { kind: 'forget' },
      error: false,
      level: 'debug',
    },
    {
      name: "a 404 about something else (a create's namespace) is an error",
      outcome: fail(
        writeError({ verb: 'create', resource: PODS, namespace: 'ns', name: 'p' }, { kind: 'dependencyNotFound', missing: { kind: 'namespaces', name: 'ns' } }, apiError(404, status(404, 'NotFound'), {})),
      ),
      result: 'error',
      queue: { kind: 'add-rate-limited', minDelayMs: 0 },
      error: true,
      level: 'error',
    },
    {
      name: '429 honours Retry-After',
      outcome: fail(apiError(429, status(429, 'TooManyRequests'), { 'retry-after': '3' })),
      result: 'error',
      queue: { kind: 'add-rate-limited', minDelayMs: 3000 },
      error: true,
      level: 'error',
    },
    {
      name: 'invalid (422) is retried',
      outcome: fail(apiError(422, status(422, 'Invalid', 'spec.replicas: Invalid value'), {})),
      result: 'error',
      queue: { kind: 'add-rate-limited', minDelayMs: 0 },
      error: true,
      level: 'error',
    },
  ] as const)('$name', ({ outcome, result, queue, error, level }) => {
    const plan = planOutcome(outcome);
    expect(plan.result).toBe(result);
    expect(plan.queue).toEqual(queue);
    expect(plan.countsAsError).toBe(error);
    expect(plan.log.level).toBe(level);
  });

  it('marks only terminal errors as terminal', () => {
    expect(planOutcome(fail(new TerminalError('x'))).terminal).toBe(true);
    expect(planOutcome(fail(new Error('x'))).terminal).toBe(false);
  });
});
