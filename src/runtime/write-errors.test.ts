import { describe, expect, it } from '@jest/globals';
import { apiError, apiErrorInfo, isConflict, isNotFound } from './errors.js';
import { PODS, type ResourceDescriptor } from './resource.js';
import { classifyWriteFailure, isDependencyNotFound, isObjectNotFound, writeError, type WriteFailure, type WriteTarget } from './write-errors.js';

const GAME_SERVERS: ResourceDescriptor = { group: 'game.kruise.io', version: 'v1alpha1', plural: 'gameservers', kind: 'GameServer', namespaced: true };

const status = (code: number, reason: string, message: string, details?: object) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, ...(details ? { details } : {}) });

const patchPod: WriteTarget = { verb: 'patch', resource: PODS, namespace: 'ns', name: 'set-0' };
const patchPodStatus: WriteTarget = { ...patchPod, subresource: 'status' };
const createPod: WriteTarget = { verb: 'create', resource: PODS, namespace: 'ns', name: 'set-0' };
const patchGameServerStatus: WriteTarget = { verb: 'patch', resource: GAME_SERVERS, namespace: 'ns', name: 'set-0', subresource: 'status' };

interface Row {
  readonly name: string;
  readonly target: WriteTarget;
  readonly code: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly failure: WriteFailure;
}

// Bodies as kube-apiserver 1.3x writes them.
const rows: Row[] = [
  {
    name: '404 naming the pod patched: the object is gone',
    target: patchPod,
    code: 404,
    body: status(404, 'NotFound', 'pods "set-0" not found', { name: 'set-0', kind: 'pods' }),
    failure: { kind: 'objectNotFound' },
  },
  {
    name: '404 of a status write naming the object: the object is gone',
    target: patchPodStatus,
    code: 404,
    body: status(404, 'NotFound', 'pods "set-0" not found', { name: 'set-0', kind: 'pods' }),
    failure: { kind: 'objectNotFound' },
  },
  {
    name: '404 naming a custom resource (group and plural)',
    target: patchGameServerStatus,
    code: 404,
    body: status(404, 'NotFound', 'gameservers.game.kruise.io "set-0" not found', { name: 'set-0', group: 'game.kruise.io', kind: 'gameservers' }),
    failure: { kind: 'objectNotFound' },
  },
  {
    name: '404 of a create: its namespace is missing',
    target: createPod,
    code: 404,
    body: status(404, 'NotFound', 'namespaces "ns" not found', { name: 'ns', kind: 'namespaces' }),
    failure: { kind: 'dependencyNotFound', missing: { kind: 'namespaces', name: 'ns' } },
  },
  {
    name: '404 of a create naming its own name (never the created object)',
    target: createPod,
    code: 404,
    body: status(404, 'NotFound', 'pods "set-0" not found', { name: 'set-0', kind: 'pods' }),
    failure: { kind: 'dependencyNotFound', missing: { kind: 'pods', name: 'set-0' } },
  },
  {
    name: '404 naming another object of the same resource',
    target: patchPod,
    code: 404,
    body: status(404, 'NotFound', 'pods "other" not found', { name: 'other', kind: 'pods' }),
    failure: { kind: 'dependencyNotFound', missing: { kind: 'pods', name: 'other' } },
  },
  {
    name: '404 without details: the path is not served (a subresource the CRD lacks)',
    target: patchGameServerStatus,
    code: 404,
    body: status(404, 'NotFound', 'the server could not find the requested resource'),
    failure: { kind: 'dependencyNotFound', missing: { kind: 'gameservers.game.kruise.io/status' } },
  },
  {
    name: '404 with a plain-text body (an unknown API group)',
    target: patchPod,
    code: 404,
    body: '404 page not found',
    failure: { kind: 'dependencyNotFound', missing: { kind: 'pods' } },
  },
  {
    name: '409 AlreadyExists',
    target: createPod,
    code: 409,
    body: status(409, 'AlreadyExists', 'pods "set-0" already exists', { name: 'set-0', kind: 'pods' }),
    failure: { kind: 'alreadyExists' },
  },
  {
    name: '409 Conflict (stale resourceVersion)',
    target: patchPod,
    code: 409,
    body: status(409, 'Conflict', 'Operation cannot be fulfilled on pods "set-0": the object has been modified; please apply your changes to the latest version and try again', {
      name: 'set-0',
      kind: 'pods',
    }),
    failure: { kind: 'conflict', precondition: 'resourceVersion' },
  },
  {
    name: '409 from a uid precondition of a delete',
    target: { verb: 'delete', resource: PODS, namespace: 'ns', name: 'set-0' },
    code: 409,
    body: status(409, 'Conflict', 'Operation cannot be fulfilled on Pod "set-0": Precondition failed: UID in precondition: a, UID in object meta: b', {
      name: 'set-0',
      kind: 'Pod',
    }),
    failure: { kind: 'conflict', precondition: 'resourceVersion' },
  },
  {
    name: 'bare 422 of a JSON patch (kube-apiserver 1.36 for a failed test op): the object is not as read',
    target: { ...patchPod, strategy: 'json' },
    code: 422,
    body: status(422, 'Invalid', 'the server rejected our request due to an error in our request', {}),
    failure: { kind: 'conflict', precondition: 'test' },
  },
  {
    name: 'bare 422 of a merge patch stays Invalid',
    target: { ...patchPod, strategy: 'merge' },
    code: 422,
    body: status(422, 'Invalid', 'the server rejected our request due to an error in our request', {}),
    failure: { kind: 'invalid', causes: [] },
  },
  {
    name: '422 of a JSON patch that names the object is Invalid (the patched object failed validation)',
    target: { ...patchPod, strategy: 'json' },
    code: 422,
    body: status(422, 'Invalid', 'Pod "set-0" is invalid: spec: Forbidden: pod updates may not change fields other than ...', {
      name: 'set-0',
      kind: 'Pod',
      causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: pod updates may not change fields other than ...', field: 'spec' }],
    }),
    failure: { kind: 'invalid', causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: pod updates may not change fields other than ...', field: 'spec' }] },
  },
  {
    name: '422 from a failed JSON-patch test (message)',
    target: patchPod,
    code: 422,
    body: status(422, 'Invalid', 'the server rejected our request due to an error in our request', {
      causes: [{ reason: 'FieldValueInvalid', message: 'testing value /spec/containers/0/name failed: test failed' }],
    }),
    failure: { kind: 'conflict', precondition: 'test' },
  },
  {
    name: '422 Invalid keeps the causes',
    target: patchPod,
    code: 422,
    body: status(422, 'Invalid', 'GameServer.game.kruise.io "set-0" is invalid: spec.opsState: Unsupported value: "Nope"', {
      name: 'set-0',
      kind: 'GameServer',
      causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Nope"', field: 'spec.opsState' }],
    }),
    failure: { kind: 'invalid', causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Nope"', field: 'spec.opsState' }] },
  },
  {
    name: '410 Gone',
    target: patchPod,
    code: 410,
    body: status(410, 'Expired', 'too old resource version: 1 (2)'),
    failure: { kind: 'expired' },
  },
  {
    name: '403 of a create in a namespace being deleted',
    target: createPod,
    code: 403,
    body: status(403, 'Forbidden', 'pods "set-0" is forbidden: unable to create new content in namespace ns because it is being terminated', {
      name: 'set-0',
      kind: 'pods',
      causes: [{ reason: 'NamespaceTerminating', message: 'namespace ns is being terminated', field: 'metadata.namespace' }],
    }),
    failure: { kind: 'namespaceTerminating' },
  },
  {
    name: '403 Forbidden (RBAC)',
    target: patchPod,
    code: 403,
    body: status(403, 'Forbidden', 'pods "set-0" is forbidden: User "x" cannot patch resource "pods"', { name: 'set-0', kind: 'pods' }),
    failure: { kind: 'forbidden' },
  },
  {
    name: '429 with Retry-After',
    target: patchPod,
    code: 429,
    body: status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 }),
    headers: { 'Retry-After': '2' },
    failure: { kind: 'tooManyRequests', retryAfterSeconds: 2 },
  },
  {
    name: '429 without Retry-After',
    target: patchPod,
    code: 429,
    body: status(429, 'TooManyRequests', 'Too many requests'),
    failure: { kind: 'tooManyRequests' },
  },
  { name: '500', target: patchPod, code: 500, body: status(500, 'InternalError', 'etcdserver: request timed out'), failure: { kind: 'serverError' } },
  { name: '503', target: patchPod, code: 503, body: 'service unavailable', failure: { kind: 'serverError' } },
  { name: '400 BadRequest', target: patchPod, code: 400, body: status(400, 'BadRequest', 'the body of the request was in an unknown format'), failure: { kind: 'other' } },
];

describe('classifyWriteFailure', () => {
  it.each(rows)('$name', ({ target, code, body, headers, failure }) => {
    const info = apiErrorInfo(apiError(code, body, headers ?? {}))!;
    expect(classifyWriteFailure(target, info)).toEqual(failure);
  });
});

describe('writeError', () => {
  it('keeps code, body and cause, so the is* predicates still read it', () => {
    const cause = apiError(404, status(404, 'NotFound', 'pods "set-0" not found', { name: 'set-0', kind: 'pods' }), {});
    const error = writeError(patchPod, { kind: 'objectNotFound' }, cause);
    expect(error.name).toBe('ObjectNotFoundError');
    expect(error.cause).toBe(cause);
    expect(isNotFound(error)).toBe(true);
    expect(isObjectNotFound(error)).toBe(true);
    expect(isDependencyNotFound(error)).toBe(false);
    expect(error.message).toBe('patch pods ns/set-0: HTTP 404: the object is gone: pods "set-0" not found');
  });

  it('names the missing namespace of a create', () => {
    const cause = apiError(404, status(404, 'NotFound', 'namespaces "ns" not found', { name: 'ns', kind: 'namespaces' }), {});
    const error = writeError(createPod, { kind: 'dependencyNotFound', missing: { kind: 'namespaces', name: 'ns' } }, cause);
    expect(error.name).toBe('DependencyNotFoundError');
    expect(isDependencyNotFound(error)).toBe(true);
    expect(isObjectNotFound(error)).toBe(false);
    expect(error.message).toBe('create pods ns/set-0: HTTP 404: namespaces ns not found: namespaces "ns" not found');
  });

  it('a failed test op is a conflict for the queue', () => {
    const cause = apiError(422, status(422, 'Invalid', 'testing value /spec/replicas failed: test failed'), {});
    const error = writeError(patchPod, { kind: 'conflict', precondition: 'test' }, cause);
    expect(error.name).toBe('ConflictError');
    expect(isConflict(error)).toBe(true);
  });

  it('a 422 names the fields of its causes when the message does not', () => {
    const body = status(422, 'Invalid', 'GameServer.game.kruise.io "gs" is invalid', {
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' }],
    });
    const info = apiErrorInfo(apiError(422, body, {}))!;
    const error = writeError(patchPod, classifyWriteFailure(patchPod, info), apiError(422, body, {}));
    expect(error.name).toBe('InvalidError');
    expect(error.message).toContain('spec.ports[0].name: Required value');
  });
});
