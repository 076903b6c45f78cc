// Labels and annotations of the set's gameServerTemplate.metadata reach every
// GameServer of the set, existing ones included, when they change (OKG
// isNeedToSyncMetadata / syncMetadataFromGss): the GameServer records the hash
// of the template metadata it last took (annotation
// game.kruise.io/gsTemplate-metadata-hash); a different hash merges the
// template's labels and annotations over the GameServer's own (add or
// overwrite, never remove, as OKG's MergeMapString) with the new hash.
// The hash is this operator's own (sha256 of the canonical JSON): a
// GameServer adopted from OKG carries OKG's hash, so it takes the template
// metadata once more, which changes nothing it already has.
import { createHash } from 'node:crypto';
import { ANNOTATIONS } from '../../api/constants.js';
import type { GameServerPatch } from './service-quality/compute-service-qualities.js';
import type { GameServerLike } from './types.js';

export interface TemplateMetadata {
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
}

/** Hash of the template's labels and annotations, independent of key order. */
export function templateMetadataHash(template: TemplateMetadata | undefined): string {
  const sorted = (map: Readonly<Record<string, string>> | undefined) => Object.fromEntries(Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const canonical = JSON.stringify({ annotations: sorted(template?.annotations), labels: sorted(template?.labels) });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** `patch` plus the template metadata the GameServer misses, when its recorded hash is not the template's. */
export function withTemplateMetadata(patch: GameServerPatch | null, gs: GameServerLike, template: TemplateMetadata | undefined): GameServerPatch | null {
  const hash = templateMetadataHash(template);
  const annotationsNow = gs.metadata?.annotations ?? {};
  if (annotationsNow[ANNOTATIONS.gsTemplateMetadataHash] === hash) return patch;
  const labelsNow = gs.metadata?.labels ?? {};
  const changed = (wanted: Readonly<Record<string, string>> | undefined, now: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(wanted ?? {}).filter(([key, value]) => now[key] !== value));
  const base = patch ?? {};
  const labels = { ...base.metadata?.labels, ...changed(template?.labels, labelsNow) };
  const annotations = { ...base.metadata?.annotations, ...changed(template?.annotations, annotationsNow), [ANNOTATIONS.gsTemplateMetadataHash]: hash };
  return { ...base, metadata: { ...base.metadata, ...(Object.keys(labels).length > 0 ? { labels } : {}), annotations } };
}
