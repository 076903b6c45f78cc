import { describe, expect, it } from '@jest/globals';
import { parseGameServerSet } from '../../api/parse.js';
import type { CachedNode, CachedObject, CachedPod } from '../shared/informers.js';
import { ordinalOf, toNodeView, toPodView, toRevision, toSetView } from './views.js';

function parsedSet(spec: Record<string, unknown>) {
  const result = parseGameServerSet({
    apiVersion: 'game.kruise.io/v1alpha1',
    kind: 'GameServerSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', generation: 3 },
    spec: { replicas: 2, gameServerTemplate: { spec: { containers: [{ name: 'game', image: 'g:1' }] } }, ...spec },
  });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('toSetView', () => {
  it('resolves every default', () => {
    const view = toSetView(parsedSet({}));
    expect(view).toMatchObject({
      name: 'web',
      namespace: 'ns',
      uid: 'u1',
      generation: 3,
      replicas: 2,
      reserveGameServerIds: [],
      podManagementPolicy: 'Parallel',
      scaleStrategy: { scaleDownStrategyType: 'General' },
      updateStrategy: { type: 'RollingUpdate', partition: 0, maxUnavailable: 1, podUpdatePolicy: 'ReCreate', paused: false, minReadySeconds: 0, gracePeriodSeconds: 0 },
      volumeClaimTemplates: [],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 10,
    });
    expect(view.template).toEqual({ spec: { containers: [{ name: 'game', image: 'g:1' }] } });
  });

  it('flattens rollingUpdate and leaves claims and reclaimPolicy out of the template', () => {
    const view = toSetView(
      parsedSet({
        updateStrategy: { rollingUpdate: { partition: 2, maxUnavailable: '50%', podUpdatePolicy: 'InPlaceIfPossible', inPlaceUpdateStrategy: { gracePeriodSeconds: 5 } } },
        gameServerTemplate: {
          spec: { containers: [{ name: 'game', image: 'g:1' }] },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }],
          reclaimPolicy: 'Delete',
        },
      }),
    );
    expect(view.updateStrategy).toMatchObject({ partition: 2, maxUnavailable: '50%', podUpdatePolicy: 'InPlaceIfPossible', gracePeriodSeconds: 5 });
    expect(view.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: {} }]);
    expect(view.template).not.toHaveProperty('volumeClaimTemplates');
    expect(view.template).not.toHaveProperty('reclaimPolicy');
  });
});

describe('ordinalOf', () => {
  it.each([
    ['web-0', 0],
    ['web-12', 12],
    ['web-01', undefined],
    ['web-x', undefined],
    ['webb-1', undefined],
    ['web-1-2', undefined],
  ])('%s → %s', (name, ordinal) => expect(ordinalOf('web', name)).toBe(ordinal));
});

const pod = (labels: Record<string, string> = {}, extra: Partial<CachedPod> = {}): CachedPod => ({
  metadata: { name: 'web-1', uid: 'p1', labels: { 'controller-revision-hash': 'web-abc', ...labels } },
  spec: { containers: [], nodeName: 'n1' },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'InPlaceUpdateReady', status: 'False' },
    ],
  },
  ...extra,
});

describe('toPodView', () => {
  it('reads pod facts and the ops labels the GameServer controller mirrors', () => {
    const view = toPodView('web', pod({ 'game.kruise.io/gs-opsState': 'WaitToBeDeleted', 'game.kruise.io/gs-delete-priority': '7', 'game.kruise.io/gs-update-priority': 'x' }), undefined);
    expect(view).toMatchObject({
      name: 'web-1',
      ordinal: 1,
      uid: 'p1',
      revision: 'web-abc',
      opsState: 'WaitToBeDeleted',
      deletionPriority: 7,
      updatePriority: 0,
      phase: 'Running',
      ready: true,
      readySince: '2026-01-01T00:00:00Z',
      deleting: false,
      inPlaceUpdating: true,
      nodeName: 'n1',
    });
  });

  it('prefers the GameServer spec over pod labels', () => {
    const gs: CachedObject = {
      metadata: { name: 'web-1' },
      spec: { opsState: 'Maintaining', deletionPriority: 3, updatePriority: '9', containers: [{ name: 'sidecar', image: 's:2' }] },
      status: { currentState: 'PreDelete' },
    };
    const view = toPodView('web', pod({ 'game.kruise.io/gs-opsState': 'None' }), gs);
    expect(view).toMatchObject({ opsState: 'Maintaining', deletionPriority: 3, updatePriority: 9, imageOverrides: { sidecar: 's:2' }, gsState: 'PreDelete' });
  });

  it('skips a pod whose name has no ordinal of the set', () => {
    expect(toPodView('web', pod({}, { metadata: { name: 'other-1' } }), undefined)).toBeUndefined();
  });
});

describe('toNodeView', () => {
  const node = (status: string, taints: { key: string; effect: string; timeAdded?: string }[] = []): CachedNode => ({
    metadata: { name: 'n1' },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status, lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  });
  it('is healthy while Ready', () => expect(toNodeView(node('True')).lostSince).toBeUndefined());
  it('is lost since Ready left True', () => expect(toNodeView(node('Unknown')).lostSince).toBe('2026-01-01T00:00:00Z'));
  it('is lost while tainted unreachable', () =>
    expect(toNodeView(node('True', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-02T00:00:00Z' }])).lostSince).toBe(
      '2026-01-02T00:00:00Z',
    ));
});

describe('toRevision', () => {
  it('reads the number and the stored template', () => {
    const template = { spec: { containers: [{ name: 'game', image: 'g:1' }] } };
    expect(toRevision({ metadata: { name: 'web-abc' }, revision: 4, data: template })).toEqual({ record: { name: 'web-abc', revision: 4 }, template });
  });
  it('ignores data that is not a pod template', () => {
    expect(toRevision({ metadata: { name: 'web-abc' }, revision: 1, data: { foo: 1 } }).template).toBeUndefined();
  });
});
