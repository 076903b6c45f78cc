import { describe, expect, it } from '@jest/globals';
import { parseGameServerSet, type GameServerSet } from '../../api/index.js';
import { buildGameServer, ownedByAnotherPod, wantsGameServer, withNodeNameLabel } from './build-game-server.js';
import { templateMetadataHash } from './compute-template-metadata.js';
import { CREATED_UNSEEN_WAIT_MS, createdUnseenWaitMs, MISSING_SET_MAX_WAIT_MS, missingSetWaitMs, SCHEDULE_WAIT_MS, scheduleWaitMs } from './reconciler.js';

function set(reclaimPolicy: 'Cascade' | 'Delete'): GameServerSet {
  const parsed = parseGameServerSet({
    apiVersion: 'game.kruise.io/v1alpha1',
    kind: 'GameServerSet',
    metadata: { name: 'mc', namespace: 'ns', uid: 'set-uid' },
    spec: {
      replicas: 1,
      gameServerTemplate: {
        metadata: { labels: { tier: 'gold' }, annotations: { note: 'x' } },
        spec: { containers: [{ name: 'game', image: 'game:1' }] },
        reclaimPolicy,
      },
    },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'mc-0', namespace: 'ns', uid: 'pod-uid', labels: { 'game.kruise.io/owner-gss': 'mc' } },
};

describe('wantsGameServer', () => {
  it.each<[string, object, boolean]>([
    ['a live pod gets one', {}, true],
    ['a terminating pod gets none', { deletionTimestamp: '2024-05-01T10:00:00Z' }, false],
  ])('%s', (_name, meta, expected) => {
    expect(wantsGameServer({ ...pod, metadata: { ...pod.metadata, ...meta } })).toBe(expected);
  });
});

describe('buildGameServer', () => {
  it('Cascade (OKG TestGameServerReconcile): owned by the pod, template metadata and its hash, owner-gss label, OKG defaults', () => {
    const gs = buildGameServer(pod, set('Cascade'));
    expect(gs.metadata).toEqual({
      name: 'mc-0',
      namespace: 'ns',
      labels: { tier: 'gold', 'game.kruise.io/owner-gss': 'mc' },
      annotations: { note: 'x', 'game.kruise.io/gsTemplate-metadata-hash': templateMetadataHash({ labels: { tier: 'gold' }, annotations: { note: 'x' } }) },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'mc-0', uid: 'pod-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(gs.spec).toEqual({ opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false });
  });

  it.each<{ name: string; labels: Record<string, string>; spec: object }>([
    { name: 'no ops labels: OKG defaults', labels: {}, spec: { opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false } },
    {
      name: 'an Allocated pod keeps Allocated, and its priorities',
      labels: { 'game.kruise.io/gs-opsState': 'Allocated', 'game.kruise.io/gs-update-priority': '3', 'game.kruise.io/gs-delete-priority': '12', 'game.kruise.io/network-disabled': 'true' },
      spec: { opsState: 'Allocated', updatePriority: 3, deletionPriority: 12, networkDisabled: true },
    },
    {
      name: 'a custom opsState and a priority that is no integer stay as written',
      labels: { 'game.kruise.io/gs-opsState': 'Draining', 'game.kruise.io/gs-delete-priority': 'high', 'game.kruise.io/gs-update-priority': '99999999999' },
      spec: { opsState: 'Draining', updatePriority: '99999999999', deletionPriority: 'high', networkDisabled: false },
    },
    { name: 'empty values count as unset', labels: { 'game.kruise.io/gs-opsState': '', 'game.kruise.io/gs-delete-priority': '' }, spec: { opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false } },
  ])('re-created from the pod: $name', ({ labels, spec }) => {
    const labelled = { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, ...labels } } };
    expect(buildGameServer(labelled, set('Cascade')).spec).toEqual(spec);
  });

  it('Delete: owned by the set', () => {
    expect(buildGameServer(pod, set('Delete')).metadata.ownerReferences).toEqual([
      { apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', name: 'mc', uid: 'set-uid', controller: true, blockOwnerDeletion: true },
    ]);
  });

  it('no set in the cache: owned by the pod, no template metadata', () => {
    const gs = buildGameServer(pod, undefined);
    expect(gs.metadata.ownerReferences[0]?.kind).toBe('Pod');
    expect(gs.metadata.labels).toEqual({ 'game.kruise.io/owner-gss': 'mc' });
  });
});

describe('ownedByAnotherPod', () => {
  const gs = (kind: string, uid: string) => ({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind, name: 'mc-0', uid, controller: true }] } });
  it.each([
    ['the same pod', gs('Pod', 'pod-uid'), false],
    ['a previous pod of the same name', gs('Pod', 'old-uid'), true],
    ['the set', gs('GameServerSet', 'set-uid'), false],
    ['nobody', { metadata: {} }, false],
  ])('%s', (_name, gameServer, expected) => {
    expect(ownedByAnotherPod(gameServer, pod)).toBe(expected);
  });
});

describe('creation with the node-name label', () => {
  const created = '2026-01-01T00:00:00Z';
  const at = (ms: number) => Date.parse(created) + ms;
  const pending = { metadata: { name: 'mc-0', namespace: 'ns', creationTimestamp: created }, status: { phase: 'Pending' } };

  it('labels the GameServer with the node of a scheduled pod', () => {
    const gs = buildGameServer({ metadata: { name: 'mc-0', namespace: 'ns', uid: 'u' } }, undefined);
    expect(withNodeNameLabel(gs, 'node-a').metadata.labels).toMatchObject({ 'game.kruise.io/node-name': 'node-a' });
    expect(withNodeNameLabel(gs, undefined)).toBe(gs);
  });

  it.each([
    ['a young unscheduled pod waits for the scheduler', pending, 1_000, SCHEDULE_WAIT_MS - 1_000],
    ['an unscheduled pod past the wait gets its GameServer', pending, SCHEDULE_WAIT_MS, 0],
    ['a scheduled pod does not wait', { ...pending, spec: { nodeName: 'n', containers: [] } }, 0, 0],
    ['a running pod does not wait', { ...pending, status: { phase: 'Running' } }, 0, 0],
    ['a pod without a creation time does not wait', { metadata: { name: 'mc-0' } }, 0, 0],
  ])('%s', (_name, pod, elapsed, expected) => {
    expect(scheduleWaitMs(pod, at(elapsed))).toBe(expected);
  });
});

describe('createdUnseenWaitMs', () => {
  it.each([
    ['nothing created: create now', undefined, 0, 0],
    ['just created, not in the cache yet: wait for its watch event', 10_000, 10_400, CREATED_UNSEEN_WAIT_MS - 400],
    ['still unseen after the wait: create again', 10_000, 10_000 + CREATED_UNSEEN_WAIT_MS, 0],
    ['a clock gone back waits no longer than the wait', 10_000, 0, CREATED_UNSEEN_WAIT_MS],
  ])('%s', (_name, createdMs, nowMs, expected) => {
    expect(createdUnseenWaitMs(createdMs, nowMs)).toBe(expected);
  });
});

describe('missingSetWaitMs', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [4, 8_000],
    [9, 256_000],
    [10, MISSING_SET_MAX_WAIT_MS],
    [1_000, MISSING_SET_MAX_WAIT_MS],
  ])('look %p waits %p ms', (attempt, ms) => {
    expect(missingSetWaitMs(attempt)).toBe(ms);
  });
});
