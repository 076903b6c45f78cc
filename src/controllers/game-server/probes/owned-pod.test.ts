import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../runtime/object.js';
import { whyNotOwned } from './owned-pod.js';

const set: KubeObject = { apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', metadata: { name: 'arena', namespace: 'games', uid: 'set-uid' } };
const controller = { apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', name: 'arena', uid: 'set-uid', controller: true };
const pod = (metadata: KubeObject['metadata']): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'arena-0', namespace: 'games', ...metadata } });
const labels = { 'game.kruise.io/owner-gss': 'arena' };

describe('whyNotOwned', () => {
  it.each<[string, KubeObject | undefined, KubeObject | undefined, string | undefined]>([
    ['a pod of the set: owned', pod({ labels, ownerReferences: [controller] }), set, undefined],
    ['not in the cache', undefined, set, 'the pod is not in the cache'],
    ['no owner-gss label', pod({ ownerReferences: [controller] }), set, 'the pod has no game.kruise.io/owner-gss label'],
    ['label of an unknown set', pod({ labels, ownerReferences: [controller] }), undefined, 'no GameServerSet arena is known in its namespace'],
    ['a set of that name in another namespace', pod({ labels, ownerReferences: [controller] }), { ...set, metadata: { ...set.metadata, namespace: 'other' } }, 'no GameServerSet arena is known in its namespace'],
    ['look-alike label, no owner reference', pod({ labels }), set, 'the pod is not controlled by GameServerSet arena'],
    ['owner reference without controller', pod({ labels, ownerReferences: [{ ...controller, controller: false }] }), set, 'the pod is not controlled by GameServerSet arena'],
    ['controlled by a Deployment', pod({ labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'arena', uid: 'rs', controller: true }] }), set, 'the pod is not controlled by GameServerSet arena'],
    ['controlled by a set of the same name deleted and re-created', pod({ labels, ownerReferences: [{ ...controller, uid: 'old-uid' }] }), set, "the pod's controller is another GameServerSet arena (uid old-uid)"],
  ])('%s', (_name, candidate, knownSet, expected) => {
    expect(whyNotOwned(candidate, knownSet)).toBe(expected);
  });
});
