import { describe, expect, it } from '@jest/globals';
import { isOrphanOf, runsTemplate, type OrphanCandidate } from './plan-adoption.js';

const set = { name: 'web', namespace: 'games' };
const object = (name: string, overrides: Partial<NonNullable<OrphanCandidate['metadata']>> = {}): OrphanCandidate => ({
  metadata: { name, namespace: 'games', labels: { 'game.kruise.io/owner-gss': 'web' }, ...overrides },
});

describe('isOrphanOf (StatefulSet ClaimPods: the selector matches and no controller)', () => {
  it.each([
    { name: 'OKG pod whose Advanced StatefulSet was deleted with --cascade=orphan', object: object('web-3'), kind: 'pod' as const, expected: true },
    { name: 'a pod with a controller is not taken', object: object('web-3', { ownerReferences: [{ controller: true }] }), kind: 'pod' as const, expected: false },
    { name: 'a non-controller reference does not count', object: object('web-3', { ownerReferences: [{ controller: false }] }), kind: 'pod' as const, expected: true },
    { name: 'another set’s label', object: object('web-3', { labels: { 'game.kruise.io/owner-gss': 'other' } }), kind: 'pod' as const, expected: false },
    { name: 'another namespace', object: object('web-3', { namespace: 'elsewhere' }), kind: 'pod' as const, expected: false },
    { name: 'being deleted', object: object('web-3', { deletionTimestamp: '2026-01-01T00:00:00Z' }), kind: 'pod' as const, expected: false },
    { name: 'a name without an ordinal of the set', object: object('web-x'), kind: 'pod' as const, expected: false },
    { name: 'a name of a longer set (web-extra-1)', object: object('web-extra-1'), kind: 'gameServer' as const, expected: false },
    { name: 'a GameServer of the set', object: object('web-0'), kind: 'gameServer' as const, expected: true },
    { name: 'a ControllerRevision of the set', object: object('web-7c9f8d6b5d'), kind: 'revision' as const, expected: true },
  ])('$name', ({ object: candidate, kind, expected }) => {
    expect(isOrphanOf(set, candidate, kind)).toBe(expected);
  });
});

describe('runsTemplate: an adopted pod is on the update revision when it runs the template’s containers', () => {
  const template = { spec: { containers: [{ name: 'game', image: 'game:1', args: ['--port', '80'] }] } };
  it.each([
    { name: 'same containers, API-server defaults added', pod: { containers: [{ name: 'game', image: 'game:1', args: ['--port', '80'], imagePullPolicy: 'IfNotPresent' }] }, expected: true },
    { name: 'another image', pod: { containers: [{ name: 'game', image: 'game:2', args: ['--port', '80'] }] }, expected: false },
    { name: 'other arguments', pod: { containers: [{ name: 'game', image: 'game:1' }] }, expected: false },
    { name: 'an extra container', pod: { containers: [{ name: 'game', image: 'game:1', args: ['--port', '80'] }, { name: 's', image: 's' }] }, expected: false },
  ])('$name', ({ pod, expected }) => {
    expect(runsTemplate(template, pod)).toBe(expected);
  });
});
