import { describe, expect, it } from '@jest/globals';
import type { KubeClient } from '../../runtime/kube-client.js';
import type { ActionDeps, SetTarget } from './actions/deps.js';
import type { SetStatus, SetView } from './plan/index.js';
import { applyStatus } from './status.js';

const status = (readyReplicas: number): SetStatus => ({
  observedGeneration: 1,
  replicas: 2,
  currentReplicas: 2,
  readyReplicas,
  availableReplicas: readyReplicas,
  updatedReplicas: 2,
  updatedReadyReplicas: readyReplicas,
  maintainingReplicas: 0,
  waitToBeDeletedReplicas: 0,
  preDeleteReplicas: 0,
  labelSelector: 'game.kruise.io/owner-gss=web',
  currentRevision: 'web-1',
  updateRevision: 'web-1',
  conditions: [],
});

function setup(resourceVersion: string | undefined) {
  const bodies: unknown[] = [];
  const client = {
    request: (_method: string, _path: string, options: { body?: unknown }) => {
      bodies.push(options.body);
      return Promise.resolve({ metadata: { namespace: 'ns', name: 'web', resourceVersion: '12' } });
    },
  } as unknown as KubeClient;
  const deps = { client } as unknown as ActionDeps;
  const target = {
    key: 'ns/web',
    object: { metadata: { namespace: 'ns', name: 'web', ...(resourceVersion ? { resourceVersion } : {}) } },
    view: { namespace: 'ns', name: 'web' } as SetView,
  } as SetTarget;
  return { deps, target, bodies };
}

describe('applyStatus', () => {
  it('writes a changed status as of the resourceVersion it was computed from', async () => {
    const { deps, target, bodies } = setup('11');
    const result = await applyStatus(deps, target, status(1), status(2), { nowMs: 5_000, lastWriteMs: undefined });
    expect(bodies).toEqual([{ metadata: { resourceVersion: '11' }, status: status(2) }]);
    expect(result).toMatchObject({ writtenAtMs: 5_000, written: { metadata: { resourceVersion: '12' } } });
  });

  it('writes nothing when nothing changed', async () => {
    const { deps, target, bodies } = setup('11');
    expect(await applyStatus(deps, target, status(2), status(2), { nowMs: 5_000, lastWriteMs: undefined })).toEqual({});
    expect(bodies).toEqual([]);
  });
});
