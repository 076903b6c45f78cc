// Every label, annotation, condition and name the operator reads or writes.
// `game.kruise.io/...` keys are OpenKruise Game's (OKG), kept byte for byte so
// that OKG users' selectors, dashboards and ops scripts keep working.

/** API group and version of GameServerSet and GameServer. */
export const GROUP = 'game.kruise.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const GAME_SERVER_SET_KIND = 'GameServerSet';
export const GAME_SERVER_SET_PLURAL = 'gameserversets';
export const GAME_SERVER_KIND = 'GameServer';
export const GAME_SERVER_PLURAL = 'gameservers';

const P = `${GROUP}/`;

/** Labels on the pods of a GameServerSet (OKG). */
export const LABELS = {
  /** Name of the owning GameServerSet; the GameServerSet's selector. */
  ownerGss: `${P}owner-gss`,
  /** GameServer `status.currentState` mirrored onto the pod. */
  gsState: `${P}gs-state`,
  /** GameServer `spec.opsState` mirrored onto the pod. */
  gsOpsState: `${P}gs-opsState`,
  /** GameServer `spec.updatePriority` mirrored onto the pod. */
  gsUpdatePriority: `${P}gs-update-priority`,
  /** GameServer `spec.deletionPriority` mirrored onto the pod. */
  gsDeletePriority: `${P}gs-delete-priority`,
  /** GameServer `spec.networkDisabled` mirrored onto the pod ("true"/"false"). */
  networkDisabled: `${P}network-disabled`,
  /** Set by the inPlaceUpdate lifecycle hook when AllowNotReadyContainers is configured. */
  inplaceUpdateNotReadyBlocker: `${P}inplace-update-not-ready-blocker`,
  /** On a GameServer: "true" once its id was scaled away under reclaimPolicy Delete. */
  gsDeleting: `${P}gs-deleting`,
  /** On a GameServer: the node of its pod. */
  nodeName: `${P}node-name`,
} as const;

/**
 * Labels and annotations of a GameServer whose key starts with this prefix are
 * copied onto its pod. OKG's prefix is bare `gs-sync/` (no domain:
 * pkg/util/gameserver.go IsHasPrefixGsSyncToPod).
 */
export const GS_SYNC_PREFIX = 'gs-sync/';

/** Annotations (OKG). */
export const ANNOTATIONS = {
  /** Pod: the network plugin (`spec.network.networkType`). */
  networkType: `${P}network-type`,
  /** Pod: `spec.network.networkConf` as JSON. */
  networkConf: `${P}network-conf`,
  /** Pod: the network plugin's status as JSON. */
  networkStatus: `${P}network-status`,
  /** Pod: last time the network plugin was asked to reconcile. */
  networkTriggerTime: `${P}network-trigger-time`,
  /** Pod: RFC 3339 time of the last opsState change. */
  opsStateLastChangedTime: `${P}opsState-last-changed-time`,
  /** Pod: RFC 3339 time of the last state change. */
  stateLastChangedTime: `${P}state-last-changed-time`,
  /** Pod: containers whose image is being updated in place (PreUpdate). */
  gsUpdatingContainers: `${P}gs-updating-containers`,
  /** GameServer: hash of the template metadata last merged from the GameServerSet. */
  gsTemplateMetadataHash: `${P}gsTemplate-metadata-hash`,
  /** GameServerSet: the last explicit reserve set, e.g. "1,2,5-7". */
  reserveIds: `${P}reserve-ids`,
  /** OKG only: hash of the Advanced StatefulSet it generated (we own pods directly and never write it). */
  astsHash: `${P}asts-hash`,
  /** OKG only: hash of the PodProbeMarker it generated (we probe ourselves and never write it). */
  ppmHash: `${P}ppm-hash`,
} as const;

/** Pod condition type carrying a service-quality probe result: `game.kruise.io/<serviceQuality.name>`. */
export function serviceQualityConditionType(serviceQualityName: string): string {
  return `${P}${serviceQualityName}`;
}

/** Labels the operator writes as a direct pod owner, as StatefulSet does. */
export const WORKLOAD_LABELS = {
  /** Revision (template hash) the pod was created from or updated to. */
  controllerRevisionHash: 'controller-revision-hash',
  /** The pod's own name, so a per-pod Service can select it. */
  statefulSetPodName: 'statefulset.kubernetes.io/pod-name',
  /** The pod's ordinal. */
  podIndex: 'apps.kubernetes.io/pod-index',
} as const;

/** OpenKruise lifecycle keys that OKG's states (PreDelete, PreUpdate, Updating) are derived from. */
export const LIFECYCLE = {
  /** Pod label holding a LifecycleState. */
  stateLabel: 'lifecycle.apps.kruise.io/state',
  /** Pod annotation: RFC 3339 time of the last lifecycle state change. */
  timestampAnnotation: 'lifecycle.apps.kruise.io/timestamp',
  /** Pod annotation recording an in-place update: {revision, updateTimestamp, lastContainerStatuses}. */
  inPlaceUpdateStateAnnotation: 'apps.kruise.io/inplace-update-state',
} as const;

export const LIFECYCLE_STATES = [
  'PreparingNormal',
  'Normal',
  'PreparingUpdate',
  'Updating',
  'Updated',
  'PreparingDelete',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** Pod readiness gate and condition, False while an in-place update runs; True on every new pod. */
export const IN_PLACE_UPDATE_READY = 'InPlaceUpdateReady';
/** Pod readiness gate and condition set False by a lifecycle hook with markPodNotReady. */
export const KRUISE_POD_READY = 'KruisePodReady';

/** `spec.network.networkConf` name that lets containers be not ready during an in-place update. */
export const ALLOW_NOT_READY_CONTAINERS = 'AllowNotReadyContainers';

/** fieldManager of every create, replace and patch the operator sends (runtime/writes.ts; managedFields name it). */
export const FIELD_MANAGER = 'gamekeeper';

// --- Network plugins (issue 16) ---------------------------------------------
/** Keys of the network plugins' objects (OKG cloudprovider/kubernetes). */
export const NETWORK_KEYS = {
  /** Service annotation: hash of what the plugin last wrote to it. */
  serviceHash: `${P}svc-hash`,
  /** Ingress annotation: hash of what the plugin last wrote to it. */
  ingressHash: `${P}ingress-hash`,
  /** Service selector key that matches nothing: OKG's way to take a game server off the network. */
  svcSelectorDisabled: `${P}svc-selector-disabled`,
} as const;

// --- kubectl gs (issue 17) ---
/** GameServerSet annotation written by `kubectl gs release`: JSON {images, newRooms, replicas} of the release under way. */
export const RELEASE_ANNOTATION = 'gamekeeper.dev/release';

/**
 * gamekeeper's own extensions, in its own domain so they can never collide
 * with OKG's API. Annotations on a GameServerSet, each a comma-separated list
 * of opsStates (None, WaitToBeDeleted, Maintaining, Allocated).
 */
export const EXTENSION_ANNOTATIONS = {
  /** Rooms in these opsStates are never deleted by a scale-down (manual, HPA, KEDA); Kill still kills. */
  scaleDownProtectedOpsStates: 'gamekeeper.dev/scale-down-protected-ops-states',
  /** A rolling update replaces only rooms in these opsStates; the others wait until they enter one. */
  updateOpsStates: 'gamekeeper.dev/update-ops-states',
} as const;

/** GameServerSet condition: a scale-down keeps rooms protected by scale-down-protected-ops-states. */
export const SCALE_DOWN_BLOCKED = 'ScaleDownBlocked';

/** gamekeeper's own keys, where OKG has none: in our domain, never game.kruise.io. */
export const GAMEKEEPER_ANNOTATIONS = {
  /**
   * GameServerSet: the ordinals it holds ("0,2,5-7") when they are not simply
   * the lowest free ones (holes left by a scale-down by priority), so that a
   * restart or a failover recreates a deleted pod under its own ordinal.
   */
  heldOrdinals: 'gamekeeper.dev/held-ordinals',
} as const;
