// The one place that turns what a reconcile returned or threw into a queue
// action, a metric result label and a log line (controller-runtime's
// reconcileHandler). Pure: the controller loop applies the plan.
import { apiErrorInfo, isConflict, isNotFound, TerminalError } from './errors.js';
import { isDependencyNotFound } from './write-errors.js';

/** What a reconciler may return: nothing (done) or a requeue after some milliseconds. */
export type ReconcileResult = { readonly requeueAfter?: number } | void;

export type ReconcileOutcome = { readonly ok: true; readonly value: ReconcileResult } | { readonly ok: false; readonly error: unknown };

/** controller_runtime_reconcile_total's `result` label values. */
export type ResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

export type QueueAction =
  /** Done: clear the key's failure history. */
  | { readonly kind: 'forget' }
  /** Done for now, look again after `delayMs` (failure history cleared). */
  | { readonly kind: 'forget-and-add-after'; readonly delayMs: number }
  /** Failed: retry after the rate limiter's delay, but not before `minDelayMs`. */
  | { readonly kind: 'add-rate-limited'; readonly minDelayMs: number };

export interface OutcomePlan {
  readonly result: ResultLabel;
  /** Counted in controller_runtime_reconcile_errors_total. */
  readonly countsAsError: boolean;
  /** Counted in controller_runtime_terminal_reconcile_errors_total. */
  readonly terminal: boolean;
  readonly queue: QueueAction;
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string };
}

/** True if `error` or any error in its `cause` chain is a TerminalError. */
export function isTerminal(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    if (current instanceof TerminalError) return true;
  }
  return false;
}

export function planOutcome(outcome: ReconcileOutcome): OutcomePlan {
  if (outcome.ok) {
    const delay = outcome.value?.requeueAfter;
    if (delay !== undefined && Number.isFinite(delay) && delay > 0) {
      return {
        result: 'requeue_after',
        countsAsError: false,
        terminal: false,
        queue: { kind: 'forget-and-add-after', delayMs: delay },
        log: { level: 'debug', message: 'reconciled, requeue scheduled' },
      };
    }
    return { result: 'success', countsAsError: false, terminal: false, queue: { kind: 'forget' }, log: { level: 'debug', message: 'reconciled' } };
  }
  const { error } = outcome;
  if (isTerminal(error)) {
    return {
      result: 'error',
      countsAsError: true,
      terminal: true,
      queue: { kind: 'forget' },
      log: { level: 'error', message: 'reconcile failed with a terminal error, not retrying' },
    };
  }
  if (isConflict(error)) {
    return {
      result: 'requeue',
      countsAsError: false,
      terminal: false,
      queue: { kind: 'add-rate-limited', minDelayMs: 0 },
      log: { level: 'debug', message: 'conflict (stale object), requeueing' },
    };
  }
  // A 404 naming the object written (or a read's): it is gone, done. A 404 about
  // something else (a create's namespace, an unserved path) is a failure.
  if (isNotFound(error) && !isDependencyNotFound(error)) {
    return { result: 'success', countsAsError: false, terminal: false, queue: { kind: 'forget' }, log: { level: 'debug', message: 'object gone, done' } };
  }
  const retryAfterSeconds = apiErrorInfo(error)?.retryAfterSeconds;
  return {
    result: 'error',
    countsAsError: true,
    terminal: false,
    queue: { kind: 'add-rate-limited', minDelayMs: retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : 0 },
    log: { level: 'error', message: 'reconcile failed, retrying with backoff' },
  };
}
