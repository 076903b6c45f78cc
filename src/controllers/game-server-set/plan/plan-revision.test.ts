import { describe, expect, it } from '@jest/globals';
import {
  REVISION_HASH_LENGTH,
  computeRevision,
  planRevisionHistory,
  planUpdateRevision,
  resolveCurrentRevision,
  revisionName,
  revisionTemplate,
  type RevisionInput,
} from './plan-revision.js';
import type { PodTemplateView, RevisionRecord } from './types.js';

const template: PodTemplateView = {
  metadata: { labels: { a: '1', b: '2' } },
  spec: { containers: [{ name: 'app', image: 'app:1', env: [{ name: 'X', value: '1' }] }] },
};
const base: RevisionInput = { template };

describe('computeRevision', () => {
  it('is a short lowercase hex hash', () => {
    expect(computeRevision(base)).toMatch(new RegExp(`^[0-9a-f]{${REVISION_HASH_LENGTH}}$`));
  });

  it.each<{ name: string; other: RevisionInput; same: boolean }>([
    {
      name: 'key order does not change it',
      other: { template: { spec: { containers: [{ env: [{ value: '1', name: 'X' }], image: 'app:1', name: 'app' }] }, metadata: { labels: { b: '2', a: '1' } } } },
      same: true,
    },
    { name: 'an undefined member does not change it', other: { template: { ...template, metadata: { ...template.metadata, annotations: undefined } } }, same: true },
    {
      name: 'volumeClaimTemplates and reclaimPolicy are not part of it',
      other: { template: { ...template, volumeClaimTemplates: [{ metadata: { name: 'data' } }], reclaimPolicy: 'Delete' } as PodTemplateView },
      same: true,
    },
    { name: 'an image changes it', other: { template: { ...template, spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'X', value: '1' }] }] } } }, same: false },
    { name: 'a label changes it', other: { template: { ...template, metadata: { labels: { a: '1', b: '3' } } } }, same: false },
    { name: 'the network type changes it', other: { template, network: { networkType: 'Kubernetes-HostPort' } }, same: false },
    { name: 'an empty network object does not change it', other: { template, network: {} }, same: true },
  ])('$name', ({ other, same }) => {
    expect(computeRevision(other) === computeRevision(base)).toBe(same);
  });

  it('keeps array order significant', () => {
    const env = (names: string[]) => ({ template: { spec: { containers: [{ name: 'app', env: names.map((name) => ({ name })) }] } } });
    expect(computeRevision(env(['X', 'Y']))).not.toBe(computeRevision(env(['Y', 'X'])));
  });
});

describe('revisionTemplate', () => {
  it('renders the network into pod annotations and keeps the template annotations', () => {
    const rendered = revisionTemplate({
      template: { ...template, metadata: { annotations: { keep: 'me' } } },
      network: { networkType: 'Kubernetes-HostPort', networkConf: [{ name: 'ContainerPorts', value: 'app:7777/UDP' }] },
    });
    expect(rendered.metadata?.annotations).toEqual({
      keep: 'me',
      'game.kruise.io/network-type': 'Kubernetes-HostPort',
      'game.kruise.io/network-conf': '[{"name":"ContainerPorts","value":"app:7777/UDP"}]',
    });
    expect(rendered.spec).toEqual(template.spec);
  });
});

describe('revisionName', () => {
  it.each([
    { name: 'short set name', set: 'gss', expected: 'gss-abcdef0123' },
    { name: 'long set name is cut to fit a label value', set: 'x'.repeat(60), expected: `${'x'.repeat(52)}-abcdef0123` },
    { name: 'a cut never ends on a dash', set: `${'x'.repeat(51)}-yyyyyy`, expected: `${'x'.repeat(51)}-abcdef0123` },
  ])('$name', ({ set, expected }) => {
    const result = revisionName(set, 'abcdef0123');
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(63);
  });
});

const rev = (name: string, revision: number): RevisionRecord => ({ name, revision });

describe('planUpdateRevision', () => {
  it.each([
    { name: 'first revision', existing: [], target: 'a', expected: { kind: 'create', revision: 1 } },
    { name: 'new template', existing: [rev('a', 1), rev('b', 2)], target: 'c', expected: { kind: 'create', revision: 3 } },
    { name: 'already newest', existing: [rev('a', 1), rev('b', 2)], target: 'b', expected: { kind: 'none' } },
    { name: 'rollback to an older template bumps it', existing: [rev('a', 1), rev('b', 2)], target: 'a', expected: { kind: 'bump', revision: 3 } },
  ])('$name', ({ existing, target, expected }) => {
    expect(planUpdateRevision(existing, target)).toEqual(expected);
  });
});

describe('planRevisionHistory', () => {
  const history = [rev('r1', 1), rev('r2', 2), rev('r3', 3), rev('r4', 4), rev('r5', 5)];
  it.each([
    { name: 'within the limit: keep all', limit: 10, inUse: ['r5'], expected: [] },
    { name: 'beyond the limit: oldest unused first', limit: 2, inUse: ['r5'], expected: ['r1', 'r2'] },
    { name: 'revisions in use are never deleted', limit: 0, inUse: ['r1', 'r5'], expected: ['r2', 'r3', 'r4'] },
    { name: 'limit 0 keeps only what is in use', limit: 0, inUse: ['r5'], expected: ['r1', 'r2', 'r3', 'r4'] },
    { name: 'negative limit acts as 0', limit: -1, inUse: ['r1', 'r2', 'r3', 'r4', 'r5'], expected: [] },
  ])('$name', ({ limit, inUse, expected }) => {
    expect(planRevisionHistory(history, limit, inUse)).toEqual(expected);
  });
});

describe('resolveCurrentRevision', () => {
  const revisions = [rev('r1', 1), rev('r2', 2)];
  it.each([
    { name: 'recorded and present', recorded: 'r1', expected: 'r1' },
    { name: 'new set, nothing recorded', recorded: undefined, expected: 'r2' },
    { name: 'empty string recorded', recorded: '', expected: 'r2' },
    { name: 'recorded revision deleted', recorded: 'r0', expected: 'r2' },
  ])('$name', ({ recorded, expected }) => {
    expect(resolveCurrentRevision(recorded, 'r2', revisions)).toBe(expected);
  });
});
