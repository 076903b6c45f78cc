import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../../runtime/errors.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { SetView } from '../plan/index.js';
import type { ActionDeps, SetTarget } from './deps.js';
import { resolveExistingPod } from './existing-pod.js';

const SET_UID = 'set-uid';
const controllerRef = (uid: string, kind = 'GameServerSet') => ({ apiVersion: 'game.kruise.io/v1alpha1', kind, name: 'web', uid, controller: true });
const notFound = () => new ApiError(404, 'not found', JSON.stringify({ kind: 'Status', reason: 'NotFound', code: 404 }), {});

function setup(found: object | (() => Error)) {
  const calls: { method: string; body?: unknown }[] = [];
  const events: string[] = [];
  const client = {
    request: (method: string, _path: string, options: { body?: unknown } = {}) => {
      calls.push({ method, ...(options.body === undefined ? {} : { body: options.body }) });
      if (method === 'GET') {
        if (typeof found !== 'function') return Promise.resolve(found);
        const error: Error = (found as () => Error)();
        return Promise.reject(error);
      }
      return Promise.resolve({});
    },
  } as unknown as KubeClient;
  const recorder = {
    normal: (_object: unknown, reason: string) => events.push(`Normal ${reason}`),
    warning: (_object: unknown, reason: string) => events.push(`Warning ${reason}`),
  };
  const deps = { client, recorder } as unknown as ActionDeps;
  const target = { key: 'ns/web', object: { metadata: { name: 'web', namespace: 'ns' } }, view: { name: 'web', namespace: 'ns', uid: SET_UID } as SetView } as SetTarget;
  return { deps, target, calls, events };
}

describe('resolveExistingPod', () => {
  it('the set’s own pod without its owner label: the label is put back, guarded by the resourceVersion read', async () => {
    const { deps, target, calls, events } = setup({ metadata: { name: 'web-1', resourceVersion: '42', labels: { app: 'web' }, ownerReferences: [controllerRef(SET_UID)] } });
    expect(await resolveExistingPod(deps, target, 'web-1')).toBe('owned');
    expect(calls[1]).toEqual({
      method: 'PATCH',
      body: [
        { op: 'replace', path: '/metadata/resourceVersion', value: '42' },
        { op: 'add', path: '/metadata/labels/game.kruise.io~1owner-gss', value: 'web' },
      ],
    });
    expect(events).toEqual(['Normal PodRelabelled']);
  });

  it('the set’s own pod with its label (the cache lagged): nothing to do', async () => {
    const { deps, target, calls, events } = setup({ metadata: { name: 'web-1', resourceVersion: '42', labels: { 'game.kruise.io/owner-gss': 'web' }, ownerReferences: [controllerRef(SET_UID)] } });
    expect(await resolveExistingPod(deps, target, 'web-1')).toBe('owned');
    expect(calls.map((c) => c.method)).toEqual(['GET']);
    expect(events).toEqual([]);
  });

  it.each([
    { name: 'no owner at all', ownerReferences: [] },
    { name: 'another set of the same name (a different UID)', ownerReferences: [controllerRef('old-uid')] },
    { name: 'another controller', ownerReferences: [controllerRef('rs-uid', 'ReplicaSet')] },
  ])('a pod with $name is never adopted nor touched', async ({ ownerReferences }) => {
    const { deps, target, calls, events } = setup({ metadata: { name: 'web-1', resourceVersion: '42', ownerReferences } });
    expect(await resolveExistingPod(deps, target, 'web-1')).toBe('foreign');
    expect(calls.map((c) => c.method)).toEqual(['GET']);
    expect(events).toEqual(['Warning PodExists']);
  });

  it('a pod gone by the time it is read: retried', async () => {
    const { deps, target } = setup(notFound);
    expect(await resolveExistingPod(deps, target, 'web-1')).toBe('retry');
  });
});
