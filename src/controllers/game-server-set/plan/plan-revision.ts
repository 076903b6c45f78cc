// Revisions: a stable hash of what defines a pod (the pod template plus the
// network settings OKG renders into pod annotations), ControllerRevision
// bookkeeping and the revisionHistoryLimit clean-up (StatefulSet semantics).
import { createHash } from 'node:crypto';
import { ANNOTATIONS } from '../../../api/constants.js';
import { canonicalJson } from './canonical-json.js';
import type { NetworkView, PodTemplateView, RevisionRecord } from './types.js';

/** Hex characters of the sha256 kept in a revision hash. */
export const REVISION_HASH_LENGTH = 10;
/** Longest label value Kubernetes accepts (the revision name is a label value). */
const LABEL_VALUE_MAX = 63;

/** What defines a revision: changing any of it rolls the pods. */
export interface RevisionInput {
  readonly template: PodTemplateView;
  readonly network?: NetworkView | undefined;
}

/**
 * The pod template a revision stands for, as stored in its ControllerRevision:
 * the set's template with the network settings rendered into pod annotations
 * (`game.kruise.io/network-type`, `game.kruise.io/network-conf` as JSON), as
 * OKG renders them into its workload template. `volumeClaimTemplates` and
 * `reclaimPolicy`, if a caller passes the whole gameServerTemplate, are left
 * out: like StatefulSet, storage is not part of a revision.
 */
export function revisionTemplate(input: RevisionInput): PodTemplateView {
  const { volumeClaimTemplates: _claims, reclaimPolicy: _reclaim, ...template } = input.template as PodTemplateView & {
    volumeClaimTemplates?: unknown;
    reclaimPolicy?: unknown;
  };
  const network = input.network;
  if (network === undefined || (network.networkType === undefined && network.networkConf === undefined)) return template;
  const annotations: Record<string, string> = { ...template.metadata?.annotations };
  if (network.networkType !== undefined) annotations[ANNOTATIONS.networkType] = network.networkType;
  if (network.networkConf !== undefined) annotations[ANNOTATIONS.networkConf] = JSON.stringify(network.networkConf);
  return { ...template, metadata: { ...template.metadata, annotations } };
}

/** Stable short hash of a revision: sha256 over the canonical JSON of revisionTemplate, first 10 hex characters. */
export function computeRevision(input: RevisionInput): string {
  return createHash('sha256')
    .update(canonicalJson(revisionTemplate(input)))
    .digest('hex')
    .slice(0, REVISION_HASH_LENGTH);
}

/**
 * ControllerRevision name, also the pods' `controller-revision-hash` label
 * (as StatefulSet): `<gss>-<hash>`, the set's name shortened when needed so
 * the result fits in a label value.
 */
export function revisionName(setName: string, hash: string): string {
  const room = LABEL_VALUE_MAX - hash.length - 1;
  const prefix = setName.length > room ? setName.slice(0, room).replace(/[-_.]+$/, '') : setName;
  return `${prefix}-${hash}`;
}

export type RevisionAction =
  | { readonly kind: 'none' }
  /** Create ControllerRevision `name` with this `.revision` number. */
  | { readonly kind: 'create'; readonly revision: number }
  /** A rollback to an older revision: raise its `.revision` to this so history keeps it newest. */
  | { readonly kind: 'bump'; readonly revision: number };

/** How to make ControllerRevision `name` exist as the newest revision. */
export function planUpdateRevision(revisions: readonly RevisionRecord[], name: string): RevisionAction {
  const newest = Math.max(0, ...revisions.map((r) => r.revision));
  const existing = revisions.find((r) => r.name === name);
  if (existing === undefined) return { kind: 'create', revision: newest + 1 };
  const newestOther = Math.max(0, ...revisions.filter((r) => r.name !== name).map((r) => r.revision));
  return existing.revision > newestOther ? { kind: 'none' } : { kind: 'bump', revision: newestOther + 1 };
}

/**
 * Names of ControllerRevisions to delete: revisions not in use (`inUse` holds
 * the current and update revisions and every live pod's revision) beyond the
 * `limit` newest ones.
 */
export function planRevisionHistory(revisions: readonly RevisionRecord[], limit: number, inUse: Iterable<string>): string[] {
  const live = new Set(inUse);
  const history = revisions.filter((r) => !live.has(r.name)).sort((a, b) => a.revision - b.revision || a.name.localeCompare(b.name));
  return history.slice(0, Math.max(0, history.length - Math.max(0, limit))).map((r) => r.name);
}

/**
 * status.currentRevision to plan with: the recorded one while its
 * ControllerRevision still exists, else the update revision (a new set, or
 * history lost).
 */
export function resolveCurrentRevision(
  recorded: string | undefined,
  updateRevision: string,
  revisions: readonly RevisionRecord[],
): string {
  return recorded !== undefined && recorded !== '' && revisions.some((r) => r.name === recorded) ? recorded : updateRevision;
}
