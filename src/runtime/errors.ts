// Error types of the runtime and the one place that classifies API errors.
//
// The client throws `ApiError` with `.code` and `.body` as the raw JSON text
// (a metav1.Status); 409 alone does not tell Conflict from AlreadyExists, the
// Status `reason` does. Everything that asks "what kind of API failure was
// this" goes through `apiErrorInfo`, which also reads client-node's
// `ApiException` (same members) thrown by tests' typed clients.

/** The API server answered with a non-2xx status. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The response body as text (usually a metav1.Status). */
    readonly body: string,
    readonly headers: Readonly<Record<string, string | string[] | undefined>>,
  ) {
    super(`HTTP ${code}: ${message}`);
    this.name = 'ApiError';
  }
}

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
  /** Status details: what the failure is about (`kind` is the resource, e.g. `pods`, `namespaces`) and its causes. */
  readonly details?: StatusDetails;
}

/** metav1.StatusDetails as far as we read it. */
export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  /** The resource (plural), e.g. `pods`, `namespaces`, `gameservers`. */
  readonly kind?: string;
  readonly causes: readonly StatusCause[];
}

/** metav1.StatusCause: for 422 Invalid, the field and what is wrong with it. */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

interface StatusBody {
  kind?: unknown;
  reason?: unknown;
  message?: unknown;
  code?: unknown;
  details?: { retryAfterSeconds?: unknown; name?: unknown; group?: unknown; kind?: unknown; causes?: unknown };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function statusDetails(details: StatusBody['details']): StatusDetails | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const causes = (Array.isArray(details.causes) ? (details.causes as unknown[]) : []).flatMap((cause): StatusCause[] => {
    if (typeof cause !== 'object' || cause === null) return [];
    const { reason, message, field } = cause as Record<string, unknown>;
    return [{ reason: optionalString(reason), message: optionalString(message), field: optionalString(field) }];
  });
  const name = optionalString(details.name);
  const group = optionalString(details.group);
  const kind = optionalString(details.kind);
  return { ...(name ? { name } : {}), ...(group ? { group } : {}), ...(kind ? { kind } : {}), causes };
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
  if (!(error instanceof Error) || !('code' in error) || !('body' in error)) return undefined;
  const { code, body, headers } = error as Error & { code: unknown; body: unknown; headers?: unknown };
  if (typeof code !== 'number' || code < 100 || code > 599) return undefined;
  const status = parseStatusBody(body);
  const retryHeader = Number(headerValue(headers, 'retry-after'));
  const retryDetail = status?.details?.retryAfterSeconds;
  const details = statusDetails(status?.details);
  const retryAfterSeconds =
    Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : typeof retryDetail === 'number' && retryDetail > 0 ? retryDetail : undefined;
  return {
    code,
    ...(typeof status?.reason === 'string' && status.reason ? { reason: status.reason } : {}),
    ...(typeof status?.message === 'string' && status.message ? { message: status.message } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(details ? { details } : {}),
  };
}

/**
 * A write lost to a concurrent one: 409 Conflict (a stale resourceVersion or
 * uid precondition), or a JSON patch that did not apply (a failed `test` op;
 * see classifyWriteFailure).
 */
export function isConflict(error: unknown): boolean {
  // The write layer's errors carry their classification (write-errors.ts): it
  // knows when a bare 422 came from a JSON patch that did not apply.
  const failure = error instanceof Error && 'failure' in error ? (error.failure as { kind?: unknown } | undefined) : undefined;
  if (typeof failure?.kind === 'string') return failure.kind === 'conflict';
  const info = apiErrorInfo(error);
  if (info?.code === 409) return info.reason !== 'AlreadyExists';
  return info?.code === 422 && patchTestFailed(info);
}

/** The Status of a failed JSON-patch `test` op: "testing value /spec/x failed" (in the message or, by server version, a cause). */
export function patchTestFailed(info: ApiErrorInfo): boolean {
  const texts = [info.message ?? '', ...(info.details?.causes ?? []).map((cause) => cause.message ?? '')];
  return texts.some((text) => /testing value .* failed|test operation .* failed/i.test(text));
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

/** 422 Invalid (also returned for a JSON patch that did not apply; see classifyWriteFailure). */
export function isInvalid(error: unknown): boolean {
  return apiErrorInfo(error)?.code === 422;
}

/** The ApiError of a response with status `code` and body text `body`. */
export function apiError(code: number, body: string, headers: Readonly<Record<string, string | string[] | undefined>>): ApiError {
  const status = parseStatusBody(body);
  const message = typeof status?.message === 'string' ? status.message : body.slice(0, 200) || 'no body';
  return new ApiError(code, message, body, headers);
}
