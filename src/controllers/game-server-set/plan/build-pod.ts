// The pod and PVC manifests of one ordinal (okg.md §3, "ASTS identity"): what
// a StatefulSet would stamp on its pods, plus OKG's owner label and readiness
// gate, plus a GameServer's per-server container overrides.
// Every pod also gets OpenKruise's KruisePodReady readiness gate (Kruise's pod
// webhook injects it into every pod a Kruise workload owns): a lifecycle
// hook's markPodNotReady acts through it, on pods created before the hook was
// configured too.
import {
  API_VERSION,
  GAME_SERVER_SET_KIND,
  IN_PLACE_UPDATE_READY,
  KRUISE_POD_READY,
  LABELS,
  WORKLOAD_LABELS,
} from '../../../api/constants.js';
import type { ContainerOverride, ContainerView, PodSpecView, PodTemplateView, PvcTemplateView, SetView } from './types.js';
import type { PodPreparation } from '../../network/types.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManifestMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: OwnerReference[];
}

/** A core/v1 Pod as plain JSON. */
export interface PodManifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: ManifestMeta;
  spec: PodSpecView & { hostname: string; subdomain: string };
}

/** A core/v1 PersistentVolumeClaim as plain JSON. */
export interface PvcManifest {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: ManifestMeta;
  spec: Record<string, unknown>;
}

export type PodSetView = Pick<SetView, 'name' | 'namespace' | 'uid' | 'serviceName' | 'volumeClaimTemplates'>;
export type PvcSetView = Pick<SetView, 'name' | 'namespace' | 'uid' | 'persistentVolumeClaimRetentionPolicy'>;

/** `<gss>-<ordinal>`: the pod's and its GameServer's name. */
export function podName(setName: string, ordinal: number): string {
  return `${setName}-${ordinal}`;
}

/** `<claim>-<gss>-<ordinal>`: the PVC of one claim template for one ordinal. */
export function claimName(claim: string, setName: string, ordinal: number): string {
  return `${claim}-${podName(setName, ordinal)}`;
}

/** The controller owner reference every pod of the set carries. */
export function setOwnerReference(set: Pick<SetView, 'name' | 'uid'>, controller = true): OwnerReference {
  const ref: OwnerReference = { apiVersion: API_VERSION, kind: GAME_SERVER_SET_KIND, name: set.name, uid: set.uid };
  return controller ? { ...ref, controller: true, blockOwnerDeletion: true } : { ...ref, blockOwnerDeletion: true };
}

/**
 * The pod of `ordinal`, from `template` (the stored template of `revision`,
 * see revisionTemplate). Identity labels win over template labels of the same
 * key; the `InPlaceUpdateReady` and `KruisePodReady` readiness gates are appended once; each claim
 * template becomes a volume of the same name bound to its PVC, replacing a
 * template volume of that name. `overrides` (the GameServer's
 * spec.containers) set image and resources of the named containers;
 * `network` (the network plugin's preparation) adds container ports.
 */
export function buildPod(
  set: PodSetView,
  ordinal: number,
  revision: string,
  template: PodTemplateView,
  overrides: readonly ContainerOverride[] = [],
  network?: PodPreparation,
): PodManifest {
  const name = podName(set.name, ordinal);
  const labels: Record<string, string> = {
    ...template.metadata?.labels,
    [LABELS.ownerGss]: set.name,
    [WORKLOAD_LABELS.controllerRevisionHash]: revision,
    [WORKLOAD_LABELS.statefulSetPodName]: name,
    [WORKLOAD_LABELS.podIndex]: String(ordinal),
  };
  const spec = structuredClone<PodSpecView>(template.spec);
  const gates = spec.readinessGates ?? [];
  const claimVolumes = set.volumeClaimTemplates.map((claim) => ({
    name: claim.metadata.name,
    persistentVolumeClaim: { claimName: claimName(claim.metadata.name, set.name, ordinal) },
  }));
  const claimed = new Set(claimVolumes.map((volume) => volume.name));
  const volumes = [...(spec.volumes ?? []).filter((volume) => !claimed.has(volume.name)), ...claimVolumes];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.namespace,
      labels,
      annotations: { ...template.metadata?.annotations },
      ownerReferences: [setOwnerReference(set)],
    },
    spec: {
      ...spec,
      containers: spec.containers.map((container) => withNetworkPorts(applyOverride(container, overrides), network)),
      ...(volumes.length > 0 ? { volumes } : {}),
      readinessGates: [IN_PLACE_UPDATE_READY, KRUISE_POD_READY].reduce(
        (all, type) => (all.some((gate) => gate.conditionType === type) ? all : [...all, { conditionType: type }]),
        gates,
      ),
      hostname: name,
      subdomain: set.serviceName ?? set.name,
    },
  };
}

/**
 * The PVC of one claim template for `ordinal`. It carries the set's owner
 * label; with whenDeleted Delete it is owned (not controlled) by the set, so
 * the garbage collector removes it with the set. whenScaled Delete is the
 * controller's job when an id leaves the set (PodDeletion.deleteClaims).
 */
export function buildPvc(set: PvcSetView, claim: PvcTemplateView, ordinal: number): PvcManifest {
  const owned = set.persistentVolumeClaimRetentionPolicy.whenDeleted === 'Delete';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(claim.metadata.name, set.name, ordinal),
      namespace: set.namespace,
      labels: { ...claim.metadata.labels, [LABELS.ownerGss]: set.name },
      annotations: { ...claim.metadata.annotations },
      ownerReferences: owned ? [setOwnerReference(set, false)] : [],
    },
    spec: structuredClone(claim.spec),
  };
}

/** Network plugin (issue 16): the container ports the plugin added at creation (e.g. HostPort's host ports). */
function withNetworkPorts(container: ContainerView, network: PodPreparation | undefined): ContainerView {
  const added = network?.containerPorts[container.name];
  if (added === undefined || added.length === 0) return container;
  const ports = (container.ports as readonly unknown[] | undefined) ?? [];
  return { ...container, ports: [...ports, ...added] };
}

/** Image replaces; resources merge per quantity (an override's cpu limit replaces the template's cpu limit). */
function applyOverride(container: ContainerView, overrides: readonly ContainerOverride[]): ContainerView {
  const override = overrides.find((o) => o.name === container.name);
  if (override === undefined) return container;
  const result: ContainerView = { ...container };
  if (override.image !== undefined) result.image = override.image;
  if (override.resources !== undefined) {
    const base = container.resources ?? {};
    const { limits, requests, ...rest } = override.resources;
    result.resources = {
      ...base,
      ...rest,
      ...(limits === undefined ? {} : { limits: { ...base.limits, ...limits } }),
      ...(requests === undefined ? {} : { requests: { ...base.requests, ...requests } }),
    };
  }
  return result;
}
