import { describe, expect, it } from '@jest/globals';
import { apiError } from './errors.js';
import { RequestFailedError, type RawRequestOptions } from './kube-client.js';
import { MissingResourceVersionError } from './patch.js';
import { PODS } from './resource.js';
import { ConflictError, DependencyNotFoundError, ObjectNotFoundError, TooManyRequestsError } from './write-errors.js';
import { jsonPatch, mergePatch, strategicPatch, THROTTLE_ATTEMPTS, writer, type WriteClient } from './writes.js';

interface Call {
  readonly method: string;
  readonly path: string;
  readonly options: RawRequestOptions;
}

/** A client that records each request and answers from `answers` in turn (an Error is thrown). */
function scriptedClient(answers: unknown[] = [], { fieldManager }: { fieldManager?: string } = { fieldManager: 'gamekeeper' }): { client: WriteClient; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    fieldManager,
    request: (method: string, path: string, options: RawRequestOptions = {}) => {
      calls.push({ method, path, options });
      const answer = answers.shift() ?? { metadata: { resourceVersion: '9' } };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as WriteClient;
  return { client, calls };
}

const status = (code: number, reason: string, message: string, details?: object) => JSON.stringify({ kind: 'Status', code, reason, message, ...(details ? { details } : {}) });

describe('ResourceWriter requests', () => {
  it('create: POST to the collection of the object namespace, with the fieldManager', async () => {
    const { client, calls } = scriptedClient();
    await writer(client, PODS).create({ metadata: { namespace: 'ns', name: 'p' } });
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/namespaces/ns/pods', options: { body: { metadata: { namespace: 'ns', name: 'p' } }, query: { fieldManager: 'gamekeeper' } } }]);
  });

  it('no fieldManager when the client names none (the server derives it from the User-Agent)', async () => {
    const { client, calls } = scriptedClient([], {});
    await writer(client, PODS).patch('ns', 'p', mergePatch({ metadata: { labels: { a: 'b' } } }), { dryRun: true });
    expect(calls[0]?.options.query).toEqual({ dryRun: 'All' });
  });

  it.each([
    {
      name: 'merge patch: the precondition in metadata',
      patch: mergePatch({ spec: { opsState: 'Kill' }, metadata: { labels: { a: 'b' } } }),
      contentType: 'application/merge-patch+json',
      body: { spec: { opsState: 'Kill' }, metadata: { labels: { a: 'b' }, uid: 'u', resourceVersion: '7' } },
    },
    {
      name: 'strategic merge patch: the precondition in metadata',
      patch: strategicPatch({ spec: { containers: [{ name: 'c', image: 'i' }] } }),
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { containers: [{ name: 'c', image: 'i' }] }, metadata: { uid: 'u', resourceVersion: '7' } },
    },
    {
      name: 'JSON patch: the precondition as leading replace ops',
      patch: jsonPatch([{ op: 'test', path: '/spec/replicas', value: 2 }, { op: 'replace', path: '/spec/replicas', value: 1 }]),
      contentType: 'application/json-patch+json',
      body: [
        { op: 'replace', path: '/metadata/uid', value: 'u' },
        { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'replace', path: '/spec/replicas', value: 1 },
      ],
    },
  ])('$name', async ({ patch, contentType, body }) => {
    const { client, calls } = scriptedClient();
    await writer(client, PODS).patchStatus('ns', 'p', patch, { precondition: { uid: 'u', resourceVersion: '7' } });
    expect(calls).toEqual([{ method: 'PATCH', path: '/api/v1/namespaces/ns/pods/p/status', options: { body, contentType, query: { fieldManager: 'gamekeeper' } } }]);
  });

  it('a patch without precondition is sent as given', async () => {
    const { client, calls } = scriptedClient();
    await writer(client, PODS).patch('ns', 'p', mergePatch({ metadata: { labels: { a: null } } }));
    expect(calls[0]?.options.body).toEqual({ metadata: { labels: { a: null } } });
  });

  it('refuses a resourceVersion precondition without a version, sending nothing', async () => {
    const { client, calls } = scriptedClient();
    await expect(writer(client, PODS).patch('ns', 'p', mergePatch({}), { precondition: { resourceVersion: undefined } })).rejects.toBeInstanceOf(MissingResourceVersionError);
    expect(calls).toEqual([]);
  });

  it('replace: PUT with the precondition in metadata', async () => {
    const { client, calls } = scriptedClient();
    await writer(client, PODS).replace('ns', 'p', { metadata: { name: 'p' } }, { precondition: { resourceVersion: '3' } });
    expect(calls[0]).toEqual({ method: 'PUT', path: '/api/v1/namespaces/ns/pods/p', options: { body: { metadata: { name: 'p', resourceVersion: '3' } }, query: { fieldManager: 'gamekeeper' } } });
  });

  it('delete: DeleteOptions with preconditions, propagation and grace period; no fieldManager', async () => {
    const { client, calls } = scriptedClient();
    const stillWanted = () => true;
    await writer(client, PODS).delete('ns', 'p', { precondition: { uid: 'u' }, propagationPolicy: 'Background', gracePeriodSeconds: 0, stillWanted });
    expect(calls).toEqual([
      {
        method: 'DELETE',
        path: '/api/v1/namespaces/ns/pods/p',
        options: {
          body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'u' }, propagationPolicy: 'Background', gracePeriodSeconds: 0 },
          query: {},
          stillWanted,
        },
      },
    ]);
  });
});

describe('ResourceWriter errors', () => {
  it('a 404 naming the object is ObjectNotFoundError, with the ApiError as cause', async () => {
    const cause = apiError(404, status(404, 'NotFound', 'pods "p" not found', { name: 'p', kind: 'pods' }), {});
    const { client } = scriptedClient([cause]);
    const error = await writer(client, PODS)
      .patch('ns', 'p', mergePatch({}))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectNotFoundError);
    expect((error as Error).cause).toBe(cause);
  });

  it("a 404 of a create about its namespace is DependencyNotFoundError", async () => {
    const { client } = scriptedClient([apiError(404, status(404, 'NotFound', 'namespaces "ns" not found', { name: 'ns', kind: 'namespaces' }), {})]);
    await expect(writer(client, PODS).create({ metadata: { namespace: 'ns', name: 'p' } })).rejects.toBeInstanceOf(DependencyNotFoundError);
  });

  it('a 409 Conflict is ConflictError', async () => {
    const { client } = scriptedClient([apiError(409, status(409, 'Conflict', 'the object has been modified'), {})]);
    await expect(writer(client, PODS).patch('ns', 'p', mergePatch({}), { precondition: { resourceVersion: '1' } })).rejects.toBeInstanceOf(ConflictError);
  });

  it('errors without an HTTP status pass through untouched', async () => {
    const failed = new RequestFailedError('PATCH', '/x', { cause: new Error('ECONNRESET') });
    const { client } = scriptedClient([failed]);
    await expect(writer(client, PODS).patch('ns', 'p', mergePatch({}))).rejects.toBe(failed);
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    const throttled = apiError(429, status(429, 'TooManyRequests', 'Too many requests'), { 'retry-after': '1' });
    const { client, calls } = scriptedClient([throttled, { metadata: { name: 'p' } }]);
    const started = Date.now();
    await expect(writer(client, PODS).patch('ns', 'p', mergePatch({}))).resolves.toEqual({ metadata: { name: 'p' } });
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it(`gives up after ${THROTTLE_ATTEMPTS} tries with TooManyRequestsError carrying the Retry-After`, async () => {
    const throttled = () => apiError(429, status(429, 'TooManyRequests', 'Too many requests'), { 'retry-after': '1' });
    const { client, calls } = scriptedClient(Array.from({ length: THROTTLE_ATTEMPTS }, throttled));
    const error = await writer(client, PODS)
      .patch('ns', 'p', mergePatch({}))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).failure).toEqual({ kind: 'tooManyRequests', retryAfterSeconds: 1 });
    expect(calls).toHaveLength(THROTTLE_ATTEMPTS);
  }, 10_000);

  it('does not wait itself for a Retry-After longer than it may', async () => {
    const { client, calls } = scriptedClient([apiError(429, status(429, 'TooManyRequests', 'Too many requests'), { 'retry-after': '60' })]);
    await expect(writer(client, PODS).patch('ns', 'p', mergePatch({}))).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(calls).toHaveLength(1);
  });
});
