// Instants given to the planners as epoch milliseconds or RFC 3339 strings.
import type { Instant } from './types.js';

export class InvalidInstantError extends Error {
  constructor(readonly value: Instant) {
    super(`${JSON.stringify(value)} is not a time (epoch milliseconds or RFC 3339)`);
    this.name = 'InvalidInstantError';
  }
}

/** Epoch milliseconds of an instant; throws InvalidInstantError on garbage. */
export function toMillis(value: Instant): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new InvalidInstantError(value);
  return ms;
}

/** Whole seconds from `now` until `later`, at least 1 (a requeue delay). */
export function secondsUntil(later: number, now: number): number {
  return Math.max(1, Math.ceil((later - now) / 1000));
}
