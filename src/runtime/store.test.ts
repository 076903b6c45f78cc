import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from './object.js';
import {
  byControllerUid,
  byLabel,
  byNodeName,
  CONTROLLER_UID_INDEX,
  IndexConflictError,
  labelIndexName,
  NAMESPACE_INDEX,
  NODE_NAME_INDEX,
  StoreWriter,
  UnknownIndexError,
} from './store.js';

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
  status?: { startTime?: unknown };
}

const OWNER_LABEL = 'example.com/owner';

function pod(namespace: string, name: string, rv: string, extra: { owner?: string; label?: string; node?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      name,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: rv,
      ...(extra.label ? { labels: { [OWNER_LABEL]: extra.label } } : {}),
      ...(extra.owner ? { ownerReferences: [{ apiVersion: 'x/v1', kind: 'Set', name: 'set', uid: extra.owner, controller: true }] } : {}),
    },
    spec: extra.node ? { nodeName: extra.node } : {},
  };
}

function writer() {
  return new StoreWriter<Pod>({
    indexers: { [CONTROLLER_UID_INDEX]: byControllerUid, [labelIndexName(OWNER_LABEL)]: byLabel(OWNER_LABEL), [NODE_NAME_INDEX]: byNodeName },
  });
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name).sort();

describe('StoreWriter', () => {
  it('stores frozen, normalized copies: no managedFields, dates as strings', () => {
    const w = writer();
    const raw = {
      ...pod('ns', 'a', '1'),
      metadata: { ...pod('ns', 'a', '1').metadata, managedFields: [{ manager: 'kubectl' }] },
      status: { startTime: new Date('2026-01-02T03:04:05Z') },
    } as Pod;
    const { object } = w.apply(raw);
    expect(object.metadata).not.toHaveProperty('managedFields');
    expect(object.status?.startTime).toBe('2026-01-02T03:04:05.000Z');
    expect(Object.isFrozen(object)).toBe(true);
    expect(Object.isFrozen(object.metadata)).toBe(true);
    expect(raw.metadata).toHaveProperty('managedFields');
    expect(w.store.get('ns/a')).toBe(object);
    expect(w.store.getByName('ns', 'a')).toBe(object);
  });

  it('applies the transform before freezing', () => {
    const w = new StoreWriter<Pod>({ transform: (p) => ({ ...p, spec: undefined }) });
    const { object } = w.apply(pod('ns', 'a', '1', { node: 'n1' }));
    expect(object.spec).toBeUndefined();
  });

  it.each([
    { index: NAMESPACE_INDEX, value: 'ns1', expected: ['a', 'b'] },
    { index: CONTROLLER_UID_INDEX, value: 'owner-1', expected: ['a', 'c'] },
    { index: labelIndexName(OWNER_LABEL), value: 'gss-x', expected: ['b', 'c'] },
    { index: NODE_NAME_INDEX, value: 'node-1', expected: ['a'] },
    { index: NODE_NAME_INDEX, value: 'nowhere', expected: [] },
  ])('index $index = $value', ({ index, value, expected }) => {
    const w = writer();
    w.apply(pod('ns1', 'a', '1', { owner: 'owner-1', node: 'node-1' }));
    w.apply(pod('ns1', 'b', '1', { label: 'gss-x' }));
    w.apply(pod('ns2', 'c', '1', { owner: 'owner-1', label: 'gss-x', node: 'node-2' }));
    expect(names(w.store.byIndex(index, value))).toEqual(expected);
  });

  it('moves index entries when an object changes and drops them on delete', () => {
    const w = writer();
    w.apply(pod('ns', 'a', '1', { node: 'node-1' }));
    const { old } = w.apply(pod('ns', 'a', '2', { node: 'node-2' }));
    expect(old?.metadata?.resourceVersion).toBe('1');
    expect(w.store.byIndex(NODE_NAME_INDEX, 'node-1')).toEqual([]);
    expect(names(w.store.byIndex(NODE_NAME_INDEX, 'node-2'))).toEqual(['a']);
    const gone = w.delete(pod('ns', 'a', '3'));
    expect(gone.metadata?.resourceVersion).toBe('2');
    expect(w.store.byIndex(NODE_NAME_INDEX, 'node-2')).toEqual([]);
    expect(w.store.size).toBe(0);
  });

  it('throws on an unknown index', () => {
    expect(() => writer().store.byIndex('nope', 'x')).toThrow(UnknownIndexError);
  });

  it('replace swaps the contents in one step and reports adds, changes and deletes', () => {
    const w = writer();
    w.apply(pod('ns', 'kept', '1'));
    w.apply(pod('ns', 'changed', '1', { node: 'node-1' }));
    w.apply(pod('ns', 'vanished', '1', { node: 'node-1' }));
    const changes = w.replace([pod('ns', 'kept', '1'), pod('ns', 'changed', '2', { node: 'node-2' }), pod('ns', 'new', '5')]);
    const summary = changes.map((c) => `${c.type} ${(c.type === 'deleted' ? c.old : c.object).metadata?.name}`).sort();
    expect(summary).toEqual(['added new', 'deleted vanished', 'updated changed']);
    expect(w.store.keys().sort()).toEqual(['ns/changed', 'ns/kept', 'ns/new']);
    expect(names(w.store.byIndex(NODE_NAME_INDEX, 'node-2'))).toEqual(['changed']);
    expect(w.store.byIndex(NODE_NAME_INDEX, 'node-1')).toEqual([]);
  });

  it('replace of one namespace leaves the others alone', () => {
    const w = writer();
    w.apply(pod('a', 'x', '1'));
    w.apply(pod('b', 'y', '1'));
    const changes = w.replace([pod('a', 'z', '2')], 'a');
    expect(changes.map((c) => c.type).sort()).toEqual(['added', 'deleted']);
    expect(w.store.keys().sort()).toEqual(['a/z', 'b/y']);
  });

  it('cluster-scoped objects are keyed by name', () => {
    const w = new StoreWriter<KubeObject>();
    w.apply({ metadata: { name: 'node-1', resourceVersion: '1' } });
    expect(w.store.get('node-1')?.metadata?.name).toBe('node-1');
    expect(w.store.getByName('', 'node-1')).toBeDefined();
  });

  it('synced resolves once, on markSynced', async () => {
    const w = writer();
    expect(w.store.hasSynced()).toBe(false);
    w.markSynced();
    w.markSynced();
    await expect(w.store.synced).resolves.toBeUndefined();
    expect(w.store.hasSynced()).toBe(true);
  });

  it('addIndexers indexes what is already stored, accepts the same function twice, refuses a different one', () => {
    const w = new StoreWriter<Pod>();
    w.apply(pod('ns', 'a', '1', { label: 'gss-1' }));
    w.addIndexers({ [labelIndexName(OWNER_LABEL)]: byLabel(OWNER_LABEL) });
    w.addIndexers({ [labelIndexName(OWNER_LABEL)]: byLabel(OWNER_LABEL) });
    expect(names(w.store.byIndex(labelIndexName(OWNER_LABEL), 'gss-1'))).toEqual(['a']);
    expect(() => w.addIndexers({ [labelIndexName(OWNER_LABEL)]: () => [] })).toThrow(IndexConflictError);
  });
});
