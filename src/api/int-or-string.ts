// Kubernetes IntOrString fields. Written as a zod union of an integer and a
// string; the CRD post-processor turns that into `x-kubernetes-int-or-string`
// and hoists the branch limits (minimum, pattern, ...) onto the field, where
// OpenAPI applies numeric limits to numbers only and string limits to strings
// only.
import { z } from 'zod';

export type IntOrString = number | string;

/** A label value: at most 63 characters, alphanumeric at both ends. */
export const LABEL_VALUE_PATTERN = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** A whole percentage from 0% to 100%. */
export const PERCENT_PATTERN = /^(100|[1-9]?[0-9])%$/;

export interface IntOrStringLimits {
  /** Smallest integer accepted. */
  readonly minimum?: number;
  /** Largest integer accepted. */
  readonly maximum?: number;
  /** Pattern every string must match. */
  readonly pattern?: RegExp;
  /** Longest string accepted. */
  readonly maxLength?: number;
}

/** An int-or-string schema; `description` is required so the CRD explains the field. */
export function intOrString(description: string, limits: IntOrStringLimits = {}) {
  let int = z.int32();
  if (limits.minimum !== undefined) int = int.min(limits.minimum);
  if (limits.maximum !== undefined) int = int.max(limits.maximum);
  let str = z.string();
  if (limits.maxLength !== undefined) str = str.max(limits.maxLength);
  if (limits.pattern !== undefined) str = str.regex(limits.pattern);
  return z.union([int, str]).describe(description);
}

/** A non-negative count or a whole percentage ("25%"), e.g. maxUnavailable. */
export function intOrPercent(description: string) {
  return intOrString(description, { minimum: 0, pattern: PERCENT_PATTERN, maxLength: 4 });
}

/** A non-negative integer written as a string: "0", "10". */
export const PRIORITY_STRING_PATTERN = /^[0-9]{1,10}$/;

/**
 * A priority (GameServer spec): a non-negative 32-bit integer, or such an
 * integer as a string. The planners order by its number, so a word such as
 * "high" (which OKG read as 0) is refused; "-5" could not go onto the pod
 * label anyway.
 */
export function priority(description: string) {
  return intOrString(description, { minimum: 0, pattern: PRIORITY_STRING_PATTERN, maxLength: 10 });
}

/**
 * A priority as read back from a pod label (GameServer status): any label
 * value, since the label may have been written by hand.
 */
export function labelPriority(description: string) {
  return intOrString(description, { minimum: 0, pattern: LABEL_VALUE_PATTERN, maxLength: 63 });
}

export class IntOrPercentError extends Error {
  constructor(readonly value: IntOrString) {
    super(`${JSON.stringify(value)} is neither a non-negative integer nor a percentage from 0% to 100%`);
    this.name = 'IntOrPercentError';
  }
}

/**
 * The number an int-or-percent stands for out of `total`, as Kubernetes'
 * intstr.GetScaledValueFromIntOrPercent: an integer as is, a percentage of
 * `total` rounded up or down.
 */
export function scaledIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new IntOrPercentError(value);
    return value;
  }
  if (!PERCENT_PATTERN.test(value)) throw new IntOrPercentError(value);
  const scaled = (Number(value.slice(0, -1)) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
