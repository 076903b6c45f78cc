// What a failed write means, decided once from the status code and the
// metav1.Status body (classifyWriteFailure, pure), and the typed error the
// write layer (writes.ts) throws for it. Every class extends ApiError, so
// code, body and headers stay readable by apiErrorInfo and the is* predicates
// of errors.ts; `cause` is the ApiError the client threw.
//
// 404 is two different facts:
// - ObjectNotFoundError: the object the write was about is not there (deleted,
//   or never created): the Status names it (details.kind is its resource,
//   details.name its name). "Gone, nothing to do."
// - DependencyNotFoundError: something else is missing: the namespace of a
//   create (details.kind `namespaces`), another object, or the path itself (a
//   subresource or a resource the server does not serve: no details). Not
//   "done": the write did not happen and retrying later may succeed.
import { ApiError, apiErrorInfo, patchTestFailed, type ApiErrorInfo, type StatusCause } from './errors.js';
import { resourceName, type ResourceDescriptor } from './resource.js';

export type WriteVerb = 'create' | 'replace' | 'patch' | 'delete';

/** The object a write is about. `name` is the created object's for a create (may be absent with generateName). */
export interface WriteTarget {
  readonly verb: WriteVerb;
  readonly resource: ResourceDescriptor;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  /** The patch's strategy, for a patch. */
  readonly strategy?: 'merge' | 'strategic' | 'json';
}

export type WriteFailure =
  /** 404 naming the object written. */
  | { readonly kind: 'objectNotFound' }
  /** 404 naming something else (`missing`), or no object at all (the path is not served). */
  | { readonly kind: 'dependencyNotFound'; readonly missing?: { readonly kind: string; readonly name?: string } }
  /** 409 AlreadyExists: a create met an object of the same name. */
  | { readonly kind: 'alreadyExists' }
  /**
   * 409 Conflict (a uid or resourceVersion precondition failed), or a JSON
   * patch that did not apply (a failed `test` op, a path no longer there): 422
   * without causes, which servers of 1.3x send as the bare "the server
   * rejected our request due to an error in our request".
   */
  | { readonly kind: 'conflict'; readonly precondition: 'resourceVersion' | 'test' }
  /** 410 Gone: a resourceVersion too old to serve. */
  | { readonly kind: 'expired' }
  /** 422 Invalid: the object was refused (schema, CEL, immutable field); `causes` say which fields. */
  | { readonly kind: 'invalid'; readonly causes: readonly StatusCause[] }
  /** 403 for a create in a namespace being deleted. */
  | { readonly kind: 'namespaceTerminating' }
  /** 403 Forbidden (RBAC, admission). */
  | { readonly kind: 'forbidden' }
  /** 429 TooManyRequests (API Priority and Fairness), after the layer's own retries. */
  | { readonly kind: 'tooManyRequests'; readonly retryAfterSeconds?: number }
  /** 5xx. */
  | { readonly kind: 'serverError' }
  /** Anything else (400 BadRequest, 401, 415, ...). */
  | { readonly kind: 'other' };

/** Whether Status details name `target`'s resource: `pods`, or `gameservers` with group `game.kruise.io`. */
function namesResource(info: ApiErrorInfo, resource: ResourceDescriptor): boolean {
  const kind = info.details?.kind;
  if (kind === undefined) return false;
  if (kind === resource.plural || kind === resourceName(resource)) return info.details?.group === undefined || info.details.group === resource.group;
  return kind.toLowerCase() === resource.kind.toLowerCase();
}

/** What a failed write means (pure): from its target and the API error's status code and Status body. */
export function classifyWriteFailure(target: WriteTarget, info: ApiErrorInfo): WriteFailure {
  const { code } = info;
  if (code === 404) {
    const named = info.details?.name;
    const aboutTarget = target.verb !== 'create' && named !== undefined && named === target.name && namesResource(info, target.resource);
    if (aboutTarget) return { kind: 'objectNotFound' };
    if (info.details?.kind !== undefined) return { kind: 'dependencyNotFound', missing: { kind: info.details.kind, ...(named ? { name: named } : {}) } };
    const path = `${resourceName(target.resource)}${target.subresource ? `/${target.subresource}` : ''}`;
    return { kind: 'dependencyNotFound', missing: { kind: path } };
  }
  if (code === 409) return info.reason === 'AlreadyExists' ? { kind: 'alreadyExists' } : { kind: 'conflict', precondition: 'resourceVersion' };
  if (code === 410) return { kind: 'expired' };
  if (code === 422) {
    const causes = info.details?.causes ?? [];
    const jsonPatchNotApplied = target.strategy === 'json' && causes.length === 0 && info.details?.kind === undefined;
    return jsonPatchNotApplied || patchTestFailed(info) ? { kind: 'conflict', precondition: 'test' } : { kind: 'invalid', causes };
  }
  if (code === 403) {
    const terminating =
      (info.details?.causes ?? []).some((cause) => cause.reason === 'NamespaceTerminating') || /because it is being terminated/.test(info.message ?? '');
    return terminating ? { kind: 'namespaceTerminating' } : { kind: 'forbidden' };
  }
  if (code === 429) return { kind: 'tooManyRequests', ...(info.retryAfterSeconds !== undefined ? { retryAfterSeconds: info.retryAfterSeconds } : {}) };
  if (code >= 500) return { kind: 'serverError' };
  return { kind: 'other' };
}

/** `create pods ns/name`, `patch gameservers.game.kruise.io/status ns/name`. */
function describeTarget(target: WriteTarget): string {
  const resource = `${resourceName(target.resource)}${target.subresource ? `/${target.subresource}` : ''}`;
  const object = [target.namespace, target.name].filter(Boolean).join('/');
  return `${target.verb} ${resource}${object ? ` ${object}` : ''}`;
}

/** What the message says after the target, per failure. */
function describeFailure(failure: WriteFailure, info: ApiErrorInfo): string {
  const server = info.message ?? `HTTP ${info.code}`;
  switch (failure.kind) {
    case 'objectNotFound':
      return `the object is gone: ${server}`;
    case 'dependencyNotFound':
      return `${failure.missing?.name ? `${failure.missing.kind} ${failure.missing.name}` : (failure.missing?.kind ?? 'the path')} not found: ${server}`;
    case 'conflict':
      return `${failure.precondition === 'test' ? 'a test-and-set patch' : 'a precondition'} failed (changed since read): ${server}`;
    case 'invalid': {
      const causes = failure.causes.map((cause) => `${cause.field ?? '(object)'}: ${cause.message ?? cause.reason ?? 'invalid'}`);
      return `invalid: ${server}${causes.length > 0 && !causes.every((c) => server.includes(c)) ? ` [${causes.join('; ')}]` : ''}`;
    }
    case 'tooManyRequests':
      return `too many requests${failure.retryAfterSeconds !== undefined ? ` (retry after ${failure.retryAfterSeconds} s)` : ''}: ${server}`;
    default:
      return server;
  }
}

/** A write the API server refused; `failure` says why, `target` what it was about. */
export class WriteError extends ApiError {
  constructor(
    readonly target: WriteTarget,
    readonly failure: WriteFailure,
    cause: ApiError,
  ) {
    super(cause.code, '', cause.body, cause.headers);
    const info = apiErrorInfo(cause) ?? { code: cause.code };
    this.message = `${describeTarget(target)}: HTTP ${cause.code}: ${describeFailure(failure, info)}`;
    this.cause = cause;
    this.name = 'WriteError';
  }
}

/** 404: the object written is not there. */
export class ObjectNotFoundError extends WriteError {
  override readonly name = 'ObjectNotFoundError';
}

/** 404: something the write needs is missing (a namespace, another object, a subresource the server does not serve). */
export class DependencyNotFoundError extends WriteError {
  override readonly name = 'DependencyNotFoundError';
}

/** 409 AlreadyExists. */
export class AlreadyExistsError extends WriteError {
  override readonly name = 'AlreadyExistsError';
}

/** 409 Conflict or a failed JSON-patch `test`: the object changed since it was read. */
export class ConflictError extends WriteError {
  override readonly name = 'ConflictError';
}

/** 422 Invalid; the message names the fields. */
export class InvalidError extends WriteError {
  override readonly name = 'InvalidError';
}

/** 403: a create in a namespace being deleted (NamespaceLifecycle refuses new content there). */
export class NamespaceTerminatingError extends WriteError {
  override readonly name = 'NamespaceTerminatingError';
}

/** 429 after the layer's retries. */
export class TooManyRequestsError extends WriteError {
  override readonly name = 'TooManyRequestsError';
}

/** The typed error of `failure`. */
export function writeError(target: WriteTarget, failure: WriteFailure, cause: ApiError): WriteError {
  switch (failure.kind) {
    case 'objectNotFound':
      return new ObjectNotFoundError(target, failure, cause);
    case 'dependencyNotFound':
      return new DependencyNotFoundError(target, failure, cause);
    case 'alreadyExists':
      return new AlreadyExistsError(target, failure, cause);
    case 'conflict':
      return new ConflictError(target, failure, cause);
    case 'invalid':
      return new InvalidError(target, failure, cause);
    case 'namespaceTerminating':
      return new NamespaceTerminatingError(target, failure, cause);
    case 'tooManyRequests':
      return new TooManyRequestsError(target, failure, cause);
    default:
      return new WriteError(target, failure, cause);
  }
}

/** The object written is not there (404 naming it): "gone, nothing to do". */
export function isObjectNotFound(error: unknown): boolean {
  return error instanceof ObjectNotFoundError;
}

/** A 404 about something else than the object written (namespace, parent, unserved path). */
export function isDependencyNotFound(error: unknown): boolean {
  return error instanceof DependencyNotFoundError;
}
