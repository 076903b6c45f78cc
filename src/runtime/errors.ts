// Error types of the runtime and the one place that classifies API errors.
//
// client-node throws `ApiException` with `.code` and `.body` as a raw JSON
// string (a metav1.Status); 409 alone does not tell Conflict from
// AlreadyExists, the Status `reason` does. Everything that asks "what kind of
// API failure was this" goes through `apiErrorInfo`.
import { ApiException } from '@kubernetes/client-node';

/** A reconcile failure that retrying cannot fix: logged and counted, never requeued. */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** What we know about a failed API call. */
export interface ApiErrorInfo {
  /** HTTP status code. */
  readonly code: number;
  /** metav1.Status reason (Conflict, AlreadyExists, NotFound, Expired, ...), when the body had one. */
  readonly reason?: string;
  /** metav1.Status message, when the body had one. */
  readonly message?: string;
  /** Seconds from a Retry-After header or Status details.retryAfterSeconds. */
  readonly retryAfterSeconds?: number;
}

interface StatusBody {
  kind?: unknown;
  reason?: unknown;
  message?: unknown;
  code?: unknown;
  details?: { retryAfterSeconds?: unknown };
}

function parseStatusBody(body: unknown): StatusBody | undefined {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof body === 'object' && body !== null) return body;
  return undefined;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/** Status code, reason and message of an API error; undefined for anything that is not one. */
export function apiErrorInfo(error: unknown): ApiErrorInfo | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const code = (error as ApiException<unknown>).code;
  if (typeof code !== 'number') return undefined;
  const status = parseStatusBody((error as ApiException<unknown>).body);
  const retryHeader = Number(headerValue((error as ApiException<unknown>).headers, 'retry-after'));
  const retryDetail = status?.details?.retryAfterSeconds;
  const retryAfterSeconds =
    Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : typeof retryDetail === 'number' && retryDetail > 0 ? retryDetail : undefined;
  return {
    code,
    ...(typeof status?.reason === 'string' && status.reason ? { reason: status.reason } : {}),
    ...(typeof status?.message === 'string' && status.message ? { message: status.message } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/**
 * A write lost to a concurrent one: 409 Conflict (stale resourceVersion on an
 * update), or 422 from a failed JSON-patch `test` op (the guard of a guarded
 * patch: "testing value /metadata/resourceVersion failed: test failed").
 */
export function isConflict(error: unknown): boolean {
  const info = apiErrorInfo(error);
  if (info?.code === 409) return info.reason !== 'AlreadyExists';
  return isPatchTestFailed(error);
}

/** 422 whose message says a JSON-patch `test` operation failed. */
export function isPatchTestFailed(error: unknown): boolean {
  const info = apiErrorInfo(error);
  return info?.code === 422 && /testing value .* failed/.test(info.message ?? '');
}

/** 409 AlreadyExists: a create hit an object of the same name. */
export function isAlreadyExists(error: unknown): boolean {
  const info = apiErrorInfo(error);
  return info?.code === 409 && info.reason === 'AlreadyExists';
}

export function isNotFound(error: unknown): boolean {
  return apiErrorInfo(error)?.code === 404;
}

/** 410 Gone: a watch or list resourceVersion (or continue token) too old to serve. */
export function isGone(error: unknown): boolean {
  return apiErrorInfo(error)?.code === 410;
}

/** 422 Invalid (also returned for a failed JSON-patch `test` op; see isPatchTestFailed). */
export function isInvalid(error: unknown): boolean {
  return apiErrorInfo(error)?.code === 422;
}

export function isTooManyRequests(error: unknown): boolean {
  return apiErrorInfo(error)?.code === 429;
}

/** Builds the same exception client-node throws, for requests the runtime makes itself. */
export function apiException(code: number, body: string, headers: Record<string, string>): ApiException<string> {
  const status = parseStatusBody(body);
  const message = typeof status?.message === 'string' ? status.message : `HTTP ${code}`;
  return new ApiException<string>(code, message, body, headers);
}
