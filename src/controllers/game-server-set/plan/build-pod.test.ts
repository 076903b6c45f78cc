import { describe, expect, it } from '@jest/globals';
import { buildPod, buildPvc, claimName, podName } from './build-pod.js';
import { aSet } from './test-fixtures.js';
import type { PodTemplateView, PvcTemplateView } from './types.js';

const template: PodTemplateView = {
  metadata: { labels: { app: 'game', 'controller-revision-hash': 'spoofed' }, annotations: { team: 'a' } },
  spec: {
    containers: [
      { name: 'app', image: 'app:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } },
      { name: 'sidecar', image: 'side:1' },
    ],
    volumes: [
      { name: 'data', emptyDir: {} },
      { name: 'config', configMap: { name: 'cfg' } },
    ],
    readinessGates: [{ conditionType: 'custom' }],
    nodeSelector: { pool: 'game' },
  },
};
const claim: PvcTemplateView = {
  metadata: { name: 'data', labels: { tier: 'ssd' }, annotations: { backup: 'yes' } },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
};

describe('names', () => {
  it.each([
    { name: 'pod', actual: podName('gss', 3), expected: 'gss-3' },
    { name: 'claim', actual: claimName('data', 'gss', 3), expected: 'data-gss-3' },
  ])('$name', ({ actual, expected }) => {
    expect(actual).toBe(expected);
  });
});

describe('buildPod', () => {
  const set = aSet({ name: 'gss', namespace: 'games', uid: 'u-1', volumeClaimTemplates: [claim] });
  const pod = buildPod(set, 2, 'gss-abc', template);

  it.each([
    { name: 'kind and name', actual: [pod.apiVersion, pod.kind, pod.metadata.name, pod.metadata.namespace], expected: ['v1', 'Pod', 'gss-2', 'games'] },
    {
      name: 'identity labels win over template labels',
      actual: pod.metadata.labels,
      expected: {
        app: 'game',
        'game.kruise.io/owner-gss': 'gss',
        'controller-revision-hash': 'gss-abc',
        'statefulset.kubernetes.io/pod-name': 'gss-2',
        'apps.kubernetes.io/pod-index': '2',
      },
    },
    { name: 'template annotations', actual: pod.metadata.annotations, expected: { team: 'a' } },
    {
      name: 'controller owner reference',
      actual: pod.metadata.ownerReferences,
      expected: [{ apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', name: 'gss', uid: 'u-1', controller: true, blockOwnerDeletion: true }],
    },
    { name: 'hostname and default subdomain', actual: [pod.spec.hostname, pod.spec.subdomain], expected: ['gss-2', 'gss'] },
    {
      name: 'InPlaceUpdateReady and KruisePodReady gates appended (Kruise injects KruisePodReady into every pod it owns)',
      actual: pod.spec.readinessGates,
      expected: [{ conditionType: 'custom' }, { conditionType: 'InPlaceUpdateReady' }, { conditionType: 'KruisePodReady' }],
    },
    {
      name: 'claim template replaces the volume of its name',
      actual: pod.spec.volumes,
      expected: [
        { name: 'config', configMap: { name: 'cfg' } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data-gss-2' } },
      ],
    },
    { name: 'other spec fields carried through', actual: pod.spec.nodeSelector, expected: { pool: 'game' } },
    { name: 'containers untouched without overrides', actual: pod.spec.containers, expected: template.spec.containers },
  ])('$name', ({ actual, expected }) => {
    expect(actual).toEqual(expected);
  });

  it('uses serviceName as subdomain when set', () => {
    expect(buildPod(aSet({ serviceName: 'svc' }), 0, 'r', template).spec.subdomain).toBe('svc');
  });

  it('appends each readiness gate only once', () => {
    const gated = { ...template, spec: { ...template.spec, readinessGates: [{ conditionType: 'KruisePodReady' }, { conditionType: 'InPlaceUpdateReady' }] } };
    expect(buildPod(set, 0, 'r', gated).spec.readinessGates).toEqual([{ conditionType: 'KruisePodReady' }, { conditionType: 'InPlaceUpdateReady' }]);
  });

  it('adds no volumes key when there are neither volumes nor claims', () => {
    const bare = { spec: { containers: [{ name: 'app', image: 'app:1' }] } };
    expect(buildPod(aSet(), 0, 'r', bare).spec).not.toHaveProperty('volumes');
  });

  it('applies GameServer image and resource overrides on creation', () => {
    const overridden = buildPod(set, 0, 'r', template, [
      { name: 'app', image: 'app:hotfix', resources: { limits: { cpu: '2' }, requests: { memory: '2Gi' } } },
      { name: 'sidecar', image: 'side:hotfix' },
      { name: 'absent', image: 'ignored:1' },
    ]);
    expect(overridden.spec.containers).toEqual([
      { name: 'app', image: 'app:hotfix', resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m', memory: '2Gi' } } },
      { name: 'sidecar', image: 'side:hotfix' },
    ]);
  });

  it('does not mutate the template', () => {
    const before = JSON.stringify(template);
    buildPod(set, 1, 'r', template, [{ name: 'app', image: 'x', resources: { limits: { cpu: '9' } } }]);
    expect(JSON.stringify(template)).toBe(before);
  });
});

describe('buildPvc', () => {
  it.each([
    { name: 'whenDeleted Retain: no owner', whenDeleted: 'Retain' as const, owners: [] },
    {
      name: 'whenDeleted Delete: owned, not controlled, by the set',
      whenDeleted: 'Delete' as const,
      owners: [{ apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', name: 'gss', uid: 'u-1', blockOwnerDeletion: true }],
    },
  ])('$name', ({ whenDeleted, owners }) => {
    const set = aSet({ name: 'gss', namespace: 'games', uid: 'u-1', persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled: 'Retain' } });
    expect(buildPvc(set, claim, 4)).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'data-gss-4',
        namespace: 'games',
        labels: { tier: 'ssd', 'game.kruise.io/owner-gss': 'gss' },
        annotations: { backup: 'yes' },
        ownerReferences: owners,
      },
      spec: claim.spec,
    });
  });
});
