import type { Timestamp } from './types.js';

/** Epoch milliseconds of a Date or RFC3339 string; undefined when absent or unparsable. */
export function toMillis(value: Timestamp | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** RFC3339 at second precision in UTC, as metav1.Time serializes ("2024-05-01T10:00:00Z"). */
export function formatTime(value: Date): string {
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A timestamp as an RFC3339 string (second precision), or undefined. */
export function formatTimestamp(value: Timestamp | null | undefined): string | undefined {
  const ms = toMillis(value);
  return ms === undefined ? undefined : formatTime(new Date(ms));
}
