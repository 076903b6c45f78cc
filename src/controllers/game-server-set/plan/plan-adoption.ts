// Which orphans a set adopts (StatefulSet's ClaimPods / ClaimRevisions): pods,
// GameServers and ControllerRevisions carrying its game.kruise.io/owner-gss
// label in its namespace, named for it, with no controller and not being
// deleted. That is the state OKG leaves behind once its Advanced StatefulSet
// is deleted with --cascade=orphan, and the state a set deleted with
// --cascade=orphan leaves for the set applied again. Adoption keeps each
// object as it is (same UID, same ops fields): only the owner reference is
// added, and a pod whose containers are the template's is labelled with the
// set's update revision (OKG's pods carry the Advanced StatefulSet's own
// revision names, which this operator does not know), so no update restarts it.
import { LABELS } from '../../../api/constants.js';
import type { ContainerView, PodTemplateView } from './types.js';

/** What adoption reads of a cached object. */
export interface OrphanCandidate {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly controller?: boolean }[];
    readonly deletionTimestamp?: string;
  };
}

export type OrphanKind = 'pod' | 'gameServer' | 'revision';

/** True when `object` is an orphan `set` adopts. */
export function isOrphanOf(set: { readonly name: string; readonly namespace: string }, object: OrphanCandidate, kind: OrphanKind): boolean {
  const meta = object.metadata;
  const name = meta?.name ?? '';
  if (meta?.namespace !== set.namespace || meta.labels?.[LABELS.ownerGss] !== set.name || meta.deletionTimestamp) return false;
  if ((meta.ownerReferences ?? []).some((ref) => ref.controller === true)) return false;
  const rest = name.startsWith(`${set.name}-`) ? name.slice(set.name.length + 1) : undefined;
  if (rest === undefined) return false;
  return kind === 'revision' ? rest.length > 0 : /^(0|[1-9]\d*)$/.test(rest);
}

/** The containers of a pod as adoption compares them. */
export interface PodContainers {
  readonly containers?: readonly ContainerView[];
  readonly initContainers?: readonly ContainerView[];
}

/**
 * True when the pod runs the template's containers: the same names, images,
 * commands, arguments and environment, in order (fields the API server
 * defaults are not compared). Such a pod is taken as being on the set's
 * update revision.
 */
export function runsTemplate(template: PodTemplateView, pod: PodContainers): boolean {
  const same = (a: readonly ContainerView[] | undefined, b: readonly ContainerView[] | undefined): boolean => {
    const left = a ?? [];
    const right = b ?? [];
    return left.length === right.length && left.every((container, i) => sameContainer(container, right[i]));
  };
  return same(template.spec.containers, pod.containers) && same(template.spec.initContainers, pod.initContainers);
}

function sameContainer(a: ContainerView, b: ContainerView | undefined): boolean {
  if (b === undefined) return false;
  const pick = (c: ContainerView) => JSON.stringify([c.name, c.image ?? '', c['command'] ?? [], c['args'] ?? [], c['env'] ?? []]);
  return pick(a) === pick(b);
}
