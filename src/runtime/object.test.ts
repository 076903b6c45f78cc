import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { normalizeObject, type KubeObject } from './object.js';

describe('normalizeObject', () => {
  it('equals a JSON round trip without managedFields, for a real pod off the wire', () => {
    const { pod } = JSON.parse(readFileSync(new URL('../../bench/cache-footprint-objects.json', import.meta.url), 'utf8')) as { pod: KubeObject };
    const wire = { ...pod, metadata: { ...pod.metadata, managedFields: [{ manager: 'kubelet', operation: 'Update' }] } };
    const { managedFields: _dropped, ...metadata } = wire.metadata;
    expect(normalizeObject(JSON.parse(JSON.stringify(wire)) as KubeObject)).toEqual({ ...pod, metadata });
  });

  it('drops what JSON drops, wherever it sits (the member-by-member path)', () => {
    const raw = {
      metadata: { name: 'a', labels: { x: 'y' }, managedFields: [] },
      spec: { when: new Date('2026-01-02T03:04:05Z'), gone: undefined, fn: () => 1, list: [1, undefined, Infinity], nested: { n: NaN, keep: 'k' } },
      status: { plain: { a: 1, b: 'two', c: null } },
    };
    expect(normalizeObject(raw as unknown as KubeObject)).toEqual({
      metadata: { name: 'a', labels: { x: 'y' } },
      spec: { when: '2026-01-02T03:04:05.000Z', list: [1, null, null], nested: { n: null, keep: 'k' } },
      status: { plain: { a: 1, b: 'two', c: null } },
    });
  });

  it('returns a deep-frozen copy and leaves its argument alone', () => {
    const raw = { metadata: { name: 'a', managedFields: [{}] }, status: { conditions: [{ type: 'InPlaceUpdateReady', status: 'True' }] } };
    const object = normalizeObject(raw as KubeObject) as typeof raw;
    expect(Object.isFrozen(object.status.conditions[0])).toBe(true);
    expect(Object.isFrozen(raw.status)).toBe(false);
    expect(raw.metadata.managedFields).toHaveLength(1);
    expect(object.status).not.toBe(raw.status);
  });
});
