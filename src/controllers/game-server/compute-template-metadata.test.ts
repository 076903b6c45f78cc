import { describe, expect, it } from '@jest/globals';
import { templateMetadataHash, withTemplateMetadata } from './compute-template-metadata.js';

const HASH_KEY = 'game.kruise.io/gsTemplate-metadata-hash';

describe('templateMetadataHash', () => {
  it('ignores key order and tells labels from annotations', () => {
    expect(templateMetadataHash({ labels: { a: '1', b: '2' } })).toBe(templateMetadataHash({ labels: { b: '2', a: '1' } }));
    expect(templateMetadataHash({ labels: { a: '1' } })).not.toBe(templateMetadataHash({ annotations: { a: '1' } }));
    expect(templateMetadataHash(undefined)).toBe(templateMetadataHash({}));
  });
});

describe('withTemplateMetadata (OKG isNeedToSyncMetadata / syncMetadataFromGss)', () => {
  const template = { labels: { 'key-0': 'value-0' }, annotations: { note: 'v2' } };

  it('OKG TestSyncPodToGs case 0: a template label reaches an existing GameServer without the hash', () => {
    const gs = { metadata: { labels: { 'game.kruise.io/owner-gss': 'xxx' } } };
    expect(withTemplateMetadata(null, gs, template)).toEqual({
      metadata: { labels: { 'key-0': 'value-0' }, annotations: { note: 'v2', [HASH_KEY]: templateMetadataHash(template) } },
    });
  });

  it('a template change is merged over the GameServer’s own values, nothing removed', () => {
    const gs = { metadata: { labels: { 'key-0': 'old', mine: 'x' }, annotations: { note: 'v1', [HASH_KEY]: 'previous' } } };
    const patch = withTemplateMetadata(null, gs, template);
    expect(patch?.metadata?.labels).toEqual({ 'key-0': 'value-0' });
    expect(patch?.metadata?.annotations).toEqual({ note: 'v2', [HASH_KEY]: templateMetadataHash(template) });
  });

  it('the same hash: nothing to write (a user’s own edit of a template key stays)', () => {
    const gs = { metadata: { labels: { 'key-0': 'edited' }, annotations: { [HASH_KEY]: templateMetadataHash(template) } } };
    expect(withTemplateMetadata(null, gs, template)).toBeNull();
  });

  it('rides along with the service-quality patch', () => {
    const gs = { metadata: { labels: {} } };
    const patch = withTemplateMetadata({ spec: { opsState: 'WaitToBeDeleted' }, metadata: { labels: { idle: 'true' } } }, gs, template);
    expect(patch).toEqual({
      spec: { opsState: 'WaitToBeDeleted' },
      metadata: { labels: { idle: 'true', 'key-0': 'value-0' }, annotations: { note: 'v2', [HASH_KEY]: templateMetadataHash(template) } },
    });
  });
});
