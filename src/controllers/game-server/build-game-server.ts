// The GameServer a pod gets when it has none (OKG §2.6 step 1): named like
// the pod, with the template's labels and annotations (and the hash of them,
// game.kruise.io/gsTemplate-metadata-hash, see compute-template-metadata), the owner-gss label,
// its ops fields from the pod's labels (a GameServer deleted by hand comes
// back as the pod says it was: an Allocated room stays Allocated), OKG's
// creation defaults (None / 0 / 0 / false) where the pod has none, and its owner:
// - reclaimPolicy Cascade (default): the pod, so the GameServer and its ops
//   fields go with the pod and come back with defaults;
// - reclaimPolicy Delete: the set, so it outlives a pod re-creation and is
//   deleted when its id leaves the set (label gs-deleting).
import { ANNOTATIONS, API_VERSION, GAME_SERVER_KIND, LABELS, type GameServerSet, type ReclaimPolicy } from '../../api/index.js';
import { templateMetadataHash } from './compute-template-metadata.js';
import type { IntOrString } from '../../api/int-or-string.js';
import type { KubeObject, OwnerReference } from '../../runtime/object.js';
import { controllerReference } from '../../runtime/owner.js';

export interface NewGameServer extends KubeObject {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: typeof GAME_SERVER_KIND;
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly ownerReferences: OwnerReference[];
  };
  readonly spec: OpsFields;
}

/** The GameServer fields mirrored onto the pod as labels. */
export interface OpsFields {
  readonly opsState: string;
  readonly updatePriority: IntOrString;
  readonly deletionPriority: IntOrString;
  readonly networkDisabled: boolean;
}

/** Largest priority kept as an integer (int32); a larger label value stays a string. */
const INT32_MAX = 2_147_483_647;

/**
 * The ops fields the pod's labels record (game.kruise.io/gs-opsState,
 * gs-update-priority, gs-delete-priority, network-disabled), OKG's creation
 * defaults (None / 0 / 0 / false) for those it lacks.
 */
export function opsFieldsFromLabels(labels: Readonly<Record<string, string>> | undefined): OpsFields {
  const priority = (value: string | undefined): IntOrString => {
    if (value === undefined || value === '') return 0;
    return /^[0-9]+$/.test(value) && Number(value) <= INT32_MAX ? Number(value) : value;
  };
  return {
    opsState: labels?.[LABELS.gsOpsState] || 'None',
    updatePriority: priority(labels?.[LABELS.gsUpdatePriority]),
    deletionPriority: priority(labels?.[LABELS.gsDeletePriority]),
    networkDisabled: labels?.[LABELS.networkDisabled] === 'true',
  };
}

export interface PodIdentity extends KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
}

export function reclaimPolicyOf(gss: GameServerSet | undefined): ReclaimPolicy {
  return gss?.spec.gameServerTemplate.reclaimPolicy ?? 'Cascade';
}

/**
 * Whether a pod without a GameServer gets one: not once it is terminating
 * (deletionTimestamp set). Its GameServer would only say Deleting for the
 * moment the pod has left, cost a create (and under reclaimPolicy Delete
 * outlive the pod: its set labelled no GameServer gs-deleting when it deleted
 * the pod). OKG creates one whatever the pod's state.
 */
export function wantsGameServer(pod: KubeObject): boolean {
  return !pod.metadata?.deletionTimestamp;
}

/** The GameServer for `pod`; `gss` is the pod's set (undefined when it is gone: the pod then owns the GameServer). */
export function buildGameServer(pod: PodIdentity, gss: GameServerSet | undefined): NewGameServer {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? '';
  const template = gss?.spec.gameServerTemplate.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined;
  const owner =
    gss !== undefined && reclaimPolicyOf(gss) === 'Delete'
      ? controllerReference(gss)
      : controllerReference({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata ?? {} });
  const ownerGss = pod.metadata?.labels?.[LABELS.ownerGss];
  return {
    apiVersion: API_VERSION,
    kind: GAME_SERVER_KIND,
    metadata: {
      name,
      namespace,
      labels: { ...template?.labels, ...(ownerGss ? { [LABELS.ownerGss]: ownerGss } : {}) },
      annotations: { ...template?.annotations, ...(gss === undefined ? {} : { [ANNOTATIONS.gsTemplateMetadataHash]: templateMetadataHash(template) }) },
      ownerReferences: [owner],
    },
    spec: opsFieldsFromLabels(pod.metadata?.labels),
  };
}

/**
 * True when the GameServer is owned by a pod other than `pod` (the pod was
 * re-created under the same name before the garbage collector removed the
 * old pod's GameServer): it must go, the new pod gets a fresh one.
 */
export function ownedByAnotherPod(gs: KubeObject, pod: KubeObject): boolean {
  const owner = gs.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return owner?.kind === 'Pod' && owner.uid !== pod.metadata?.uid;
}

/** The new GameServer with the node-name label of its pod's node (when scheduled), so no patch follows the create. */
export function withNodeNameLabel(gameServer: NewGameServer, nodeName: string | undefined): NewGameServer {
  if (!nodeName) return gameServer;
  return { ...gameServer, metadata: { ...gameServer.metadata, labels: { ...gameServer.metadata.labels, [LABELS.nodeName]: nodeName } } };
}
