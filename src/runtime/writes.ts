// The one write path: every create, replace, patch and delete the process
// sends goes through a ResourceWriter, on top of the process's KubeClient
// (its rate limiter, proxy-aware agents, fence and request metrics).
//
// What the layer owns:
// - fieldManager: every create, replace and patch carries the client's
//   `fieldManager` (one name for the whole operator, `gamekeeper`), so
//   managedFields say which fields the operator wrote.
// - The concurrency policy, one for every writer: a write DECIDED FROM A READ
//   (the cache or a GET) names the version it read as a precondition
//   (`precondition: { resourceVersion }`, and `uid` where a recreated object
//   of the same name must not be hit). The layer puts it where each verb
//   wants it: metadata of a merge/strategic patch or a replace, a leading
//   `replace /metadata/resourceVersion` of a JSON patch, DeleteOptions
//   preconditions of a delete. A stale write then answers 409 Conflict
//   (ConflictError) and the reconcile starts over from a fresh read, never
//   overwriting what another writer changed meanwhile. Writes that do not
//   depend on what was read (a create; a label or annotation only the
//   operator owns; events) go without. JSON-patch `test` ops remain for
//   field-level test-and-set, where a write must survive unrelated changes
//   (the CLI's edits) or pin an array index (a container's name before its
//   image); their failure is a ConflictError too.
// - Status handling: a refused write throws the typed error of
//   write-errors.ts (ObjectNotFoundError vs DependencyNotFoundError for 404,
//   AlreadyExistsError vs ConflictError for 409, 410, InvalidError naming the
//   fields for 422, TooManyRequestsError, 5xx) with the ApiError as `cause`.
//   A JSON patch that did not apply (a failed `test`, a path gone) is a
//   ConflictError: the API server answers it with a bare 422 (no causes) that
//   only the layer, knowing the patch was a JSON patch, can tell from Invalid.
//   429 with a Retry-After (API Priority and Fairness refused it before doing
//   anything) is retried here after the time it asks, up to
//   THROTTLE_ATTEMPTS times, as client-go does.
import { sleep } from './backoff.js';
import { ApiError, apiErrorInfo } from './errors.js';
import { HttpMethod, type KubeClient, type RawRequestOptions } from './kube-client.js';
import type { KubeObject } from './object.js';
import { MissingResourceVersionError, PatchStrategy, requireResourceVersion, type JsonPatchOperation } from './patch.js';
import { resourcePath, type ResourceDescriptor } from './resource.js';
import { classifyWriteFailure, writeError, type WriteTarget } from './write-errors.js';

/** A patch and its strategy (the Content-Type the API server applies it with). */
export type Patch =
  | { readonly strategy: 'merge'; readonly body: object }
  | { readonly strategy: 'strategic'; readonly body: object }
  | { readonly strategy: 'json'; readonly operations: readonly JsonPatchOperation[] };

/** application/merge-patch+json: maps merge, lists are replaced, null removes a key. */
export function mergePatch(body: object): Patch {
  return { strategy: 'merge', body };
}

/** application/strategic-merge-patch+json (built-in kinds only): lists merge by their key (containers by name, conditions by type). */
export function strategicPatch(body: object): Patch {
  return { strategy: 'strategic', body };
}

/** application/json-patch+json: operations applied in order, `test` ops refuse the whole patch. */
export function jsonPatch(operations: readonly JsonPatchOperation[]): Patch {
  return { strategy: 'json', operations };
}

/** The version a write was decided from: the write fails with ConflictError if the stored object is another. */
export interface Precondition {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export interface WriteOptions {
  /** Server-side dry run: validated and admitted, not stored. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** See RawRequestOptions.stillWanted: asked after the wait for a rate-limit token. */
  readonly stillWanted?: () => boolean;
}

export interface PatchOptions extends WriteOptions {
  readonly precondition?: Precondition;
  /** `status` (or another subresource) instead of the object. */
  readonly subresource?: string;
}

export interface DeleteOptions extends WriteOptions {
  readonly precondition?: Precondition;
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
}

/** The part of KubeClient the layer uses. */
export type WriteClient = Pick<KubeClient, 'request' | 'fieldManager'>;

/** Tries of a request the API server answered 429 with a Retry-After (the first included). */
export const THROTTLE_ATTEMPTS = 3;
/** Longest Retry-After the layer waits itself; a longer one is the caller's (TooManyRequestsError.retryAfterSeconds). */
export const MAX_THROTTLE_WAIT_SECONDS = 10;

const CONTENT_TYPE = {
  merge: PatchStrategy.MergePatch,
  strategic: PatchStrategy.StrategicMergePatch,
  json: PatchStrategy.JsonPatch,
} as const;

/** Writes to one resource; `T` is what the API server answers with. */
export class ResourceWriter<T extends KubeObject = KubeObject> {
  constructor(
    private readonly client: WriteClient,
    readonly resource: ResourceDescriptor,
  ) {}

  /** POST: creates `body` in `namespace` (its metadata.namespace when omitted). */
  async create<B extends KubeObject>(body: B, options: WriteOptions = {}, namespace = body.metadata?.namespace): Promise<T> {
    const target: WriteTarget = { verb: 'create', resource: this.resource, namespace, name: body.metadata?.name };
    return this.send(target, HttpMethod.POST, resourcePath(this.resource, namespace), { body, query: this.query(options, true) }, options);
  }

  /** PUT: replaces the object; the precondition goes into its metadata (a replace without resourceVersion overwrites). */
  async replace<B extends KubeObject>(namespace: string | undefined, name: string, body: B, options: PatchOptions = {}): Promise<T> {
    const target: WriteTarget = { verb: 'replace', resource: this.resource, namespace, name, subresource: options.subresource };
    const withPrecondition = { ...body, metadata: { ...body.metadata, ...preconditionFields(options.precondition) } };
    const path = resourcePath(this.resource, namespace, name, options.subresource);
    return this.send(target, HttpMethod.PUT, path, { body: withPrecondition, query: this.query(options, true) }, options);
  }

  /** PATCH by `patch`'s strategy, with the precondition (if any) put where that strategy takes it. */
  async patch(namespace: string | undefined, name: string, patch: Patch, options: PatchOptions = {}): Promise<T> {
    const target: WriteTarget = { verb: 'patch', resource: this.resource, namespace, name, subresource: options.subresource, strategy: patch.strategy };
    const path = resourcePath(this.resource, namespace, name, options.subresource);
    const request: RawRequestOptions = { body: patchBody(patch, options.precondition), contentType: CONTENT_TYPE[patch.strategy], query: this.query(options, true) };
    return this.send(target, HttpMethod.PATCH, path, request, options);
  }

  /** PATCH of the status subresource. */
  async patchStatus(namespace: string | undefined, name: string, patch: Patch, options: Omit<PatchOptions, 'subresource'> = {}): Promise<T> {
    return this.patch(namespace, name, patch, { ...options, subresource: 'status' });
  }

  /** DELETE with preconditions, propagation policy and grace period. */
  async delete(namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    const target: WriteTarget = { verb: 'delete', resource: this.resource, namespace, name };
    const preconditions = preconditionFields(options.precondition);
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(Object.keys(preconditions).length > 0 ? { preconditions } : {}),
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    };
    await this.send(target, HttpMethod.DELETE, resourcePath(this.resource, namespace, name), { body, query: this.query(options, false) }, options);
  }

  /** DELETE of the collection: every object of the resource in `namespace` (deletecollection). */
  async deleteCollection(namespace: string | undefined, options: Omit<DeleteOptions, 'precondition'> = {}): Promise<void> {
    const target: WriteTarget = { verb: 'delete', resource: this.resource, namespace };
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    };
    await this.send(target, HttpMethod.DELETE, resourcePath(this.resource, namespace), { body, query: this.query(options, false) }, options);
  }

  private query(options: WriteOptions, withFieldManager: boolean): Record<string, string> {
    return {
      ...(withFieldManager && this.client.fieldManager ? { fieldManager: this.client.fieldManager } : {}),
      ...(options.dryRun ? { dryRun: 'All' } : {}),
    };
  }

  private async send(target: WriteTarget, method: HttpMethod, path: string, request: RawRequestOptions, options: WriteOptions): Promise<T> {
    const full: RawRequestOptions = {
      ...request,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.stillWanted ? { stillWanted: options.stillWanted } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.request<T>(method, path, full);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const info = apiErrorInfo(error) ?? { code: error.code };
        const failure = classifyWriteFailure(target, info);
        const wait = failure.kind === 'tooManyRequests' ? failure.retryAfterSeconds : undefined;
        if (wait !== undefined && wait <= MAX_THROTTLE_WAIT_SECONDS && attempt < THROTTLE_ATTEMPTS) {
          await sleep(wait * 1000, options.signal);
          continue;
        }
        throw writeError(target, failure, error);
      }
    }
  }
}

/** The writer of `resource` through `client`. */
export function writer<T extends KubeObject = KubeObject>(client: WriteClient, resource: ResourceDescriptor): ResourceWriter<T> {
  return new ResourceWriter<T>(client, resource);
}

/** The precondition as metadata fields (also the shape of DeleteOptions.preconditions). */
function preconditionFields(precondition: Precondition | undefined): { uid?: string; resourceVersion?: string } {
  if (precondition === undefined) return {};
  if ('resourceVersion' in precondition && !precondition.resourceVersion) throw new MissingResourceVersionError();
  return {
    ...(precondition.uid ? { uid: precondition.uid } : {}),
    ...(precondition.resourceVersion ? { resourceVersion: precondition.resourceVersion } : {}),
  };
}

/** The body of `patch` with the precondition where its strategy takes it. */
function patchBody(patch: Patch, precondition: Precondition | undefined): unknown {
  const fields = preconditionFields(precondition);
  if (patch.strategy === 'json') {
    const guards: JsonPatchOperation[] = [
      ...(fields.uid ? [{ op: 'replace' as const, path: '/metadata/uid', value: fields.uid }] : []),
      ...(fields.resourceVersion ? [requireResourceVersion(fields.resourceVersion)] : []),
    ];
    return [...guards, ...patch.operations];
  }
  if (Object.keys(fields).length === 0) return patch.body;
  const body = patch.body as { metadata?: object };
  return { ...body, metadata: { ...body.metadata, ...fields } };
}
