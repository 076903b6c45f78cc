// Narrow, plain-data views the GameServerSet planners read. The controller maps
// cache objects (zod-parsed GameServerSet, V1Pod, GameServer, Node) onto these
// once per reconcile, with every default already resolved, so the planners stay
// pure and independent of the API schemas and of client-node's model classes.

/** An int-or-string value as Kubernetes writes it: `3` or `"25%"`. */
export type IntOrString = number | string;

/** A point in time: epoch milliseconds or an RFC 3339 string. */
export type Instant = number | string;

/** A pod template as plain JSON (the `gameServerTemplate` minus `volumeClaimTemplates`/`reclaimPolicy`). */
export interface PodTemplateView {
  metadata?: { labels?: Readonly<Record<string, string>>; annotations?: Readonly<Record<string, string>> };
  spec: PodSpecView;
}

/** The parts of a PodSpec the planners look into; every other field is carried through untouched. */
export interface PodSpecView {
  containers: readonly ContainerView[];
  initContainers?: readonly ContainerView[];
  volumes?: readonly { name: string; [key: string]: unknown }[];
  readinessGates?: readonly { conditionType: string }[];
  [key: string]: unknown;
}

export interface ContainerView {
  name: string;
  image?: string;
  resources?: ResourceRequirementsView;
  [key: string]: unknown;
}

export interface ResourceRequirementsView {
  limits?: Readonly<Record<string, IntOrString>>;
  requests?: Readonly<Record<string, IntOrString>>;
  [key: string]: unknown;
}

/** One `volumeClaimTemplates` entry: a PVC skeleton whose `metadata.name` is the claim name. */
export interface PvcTemplateView {
  metadata: { name: string; labels?: Readonly<Record<string, string>>; annotations?: Readonly<Record<string, string>> };
  spec: Readonly<Record<string, unknown>>;
}

export interface NetworkView {
  networkType?: string;
  networkConf?: readonly { name: string; value?: string }[];
}

export type PodManagementPolicy = 'Parallel' | 'OrderedReady';
export type ScaleDownStrategyType = 'General' | 'ReserveIds';
export type PodUpdatePolicy = 'ReCreate' | 'InPlaceIfPossible' | 'InPlaceOnly';
export type RetentionPolicy = 'Retain' | 'Delete';

/** `spec.updateStrategy`, flattened, defaults resolved (OKG: RollingUpdate, partition 0, maxUnavailable 1, ReCreate). */
export interface UpdateStrategyView {
  type: 'RollingUpdate' | 'OnDelete';
  /** Number of pods left on the old revision. */
  partition: number;
  maxUnavailable: IntOrString;
  podUpdatePolicy: PodUpdatePolicy;
  paused: boolean;
  /** Seconds a pod must be Ready before it counts as available (≤ 300). */
  minReadySeconds: number;
  /** `inPlaceUpdateStrategy.gracePeriodSeconds`: wait between marking a pod not-ready and patching it. */
  gracePeriodSeconds: number;
}

/** The GameServerSet as the planners see it. */
export interface SetView {
  name: string;
  namespace: string;
  uid: string;
  generation: number;
  replicas: number;
  /** Raw `spec.reserveGameServerIds`: ints and inclusive "a-b" ranges. */
  reserveGameServerIds: readonly IntOrString[];
  podManagementPolicy: PodManagementPolicy;
  scaleStrategy: {
    /** Unset: no pacing. Int or percent of `replicas` (rounded down, at least 1). */
    maxUnavailable?: IntOrString | undefined;
    scaleDownStrategyType: ScaleDownStrategyType;
  };
  updateStrategy: UpdateStrategyView;
  /** `spec.serviceName`; the pods' subdomain. Defaults to the set's name. */
  serviceName?: string | undefined;
  template: PodTemplateView;
  volumeClaimTemplates: readonly PvcTemplateView[];
  persistentVolumeClaimRetentionPolicy: { whenDeleted: RetentionPolicy; whenScaled: RetentionPolicy };
  network?: NetworkView | undefined;
  /** Old ControllerRevisions kept beyond the ones in use (StatefulSet default 10). */
  revisionHistoryLimit: number;
  /** gamekeeper.dev/scale-down-protected-ops-states: rooms in these opsStates are never scaled away; unset: off. */
  scaleDownProtectedOpsStates?: readonly string[] | undefined;
  /** gamekeeper.dev/update-ops-states: a rolling update replaces only rooms in these opsStates; unset: every room. */
  updateOpsStates?: readonly string[] | undefined;
  /**
   * `spec.lifecycle` as it acts (see effectiveLifecycle: AllowNotReadyContainers
   * adds OKG's in-place blocker label to inPlaceUpdate); undefined: no hooks.
   */
  lifecycle?: LifecycleView | undefined;
}

/** One OpenKruise lifecycle hook: the pod is held while it carries any of these labels or finalizers. */
export interface LifecycleHookView {
  labelsHandler?: Readonly<Record<string, string>> | undefined;
  finalizersHandler?: readonly string[] | undefined;
  /** Condition KruisePodReady False (the pod leaves its Services) while the hook holds the pod. */
  markPodNotReady?: boolean | undefined;
}

/** `spec.lifecycle` (OpenKruise's Lifecycle). */
export interface LifecycleView {
  preDelete?: LifecycleHookView | undefined;
  inPlaceUpdate?: LifecycleHookView | undefined;
  preNormal?: LifecycleHookView | undefined;
}

/** Facts about one owned pod (and its GameServer) the planners need. */
export interface PodView {
  /** `<gss>-<ordinal>`. */
  name: string;
  /** Parsed from the name's trailing `-N`; the controller skips pods whose name does not parse. */
  ordinal: number;
  uid: string;
  /** The `controller-revision-hash` label; `''` when absent. */
  revision: string;
  /** GameServer `spec.opsState` (pod label `game.kruise.io/gs-opsState`); `''` when unset. */
  opsState: string;
  /** GameServer deletion priority as an integer (non-numeric → 0). */
  deletionPriority: number;
  /** GameServer update priority as an integer (non-numeric → 0). */
  updatePriority: number;
  /** `status.phase`; `''` when not reported yet. */
  phase: string;
  /** Condition `Ready` is True. */
  ready: boolean;
  /** `lastTransitionTime` of the Ready condition while it is True (for minReadySeconds). */
  readySince?: string | undefined;
  /** `metadata.deletionTimestamp` is set. */
  deleting: boolean;
  /** `metadata.deletionTimestamp`: the moment the grace period ends. */
  deletionTimestamp?: string | undefined;
  /** An in-place update was started and has not completed (InPlaceUpdateReady not back to True). */
  inPlaceUpdating?: boolean | undefined;
  nodeName?: string | undefined;
  /** GameServer `spec.containers[].image` overrides, by container name: never reverted by a rollout. */
  imageOverrides?: Readonly<Record<string, string>> | undefined;
  /** GameServer `status.currentState`. */
  gsState?: string | undefined;
  /** Label `lifecycle.apps.kruise.io/state`; `''` or undefined when absent. */
  lifecycleState?: string | undefined;
  /** The pod's labels (lifecycle hooks look for their labelsHandler here). */
  labels?: Readonly<Record<string, string>> | undefined;
  /** The pod's finalizers (lifecycle hooks look for their finalizersHandler here). */
  finalizers?: readonly string[] | undefined;
  /**
   * Keys holding condition KruisePodReady False (OpenKruise's message list,
   * e.g. `preDeleteHook`); undefined when the pod has no KruisePodReady
   * readiness gate (markPodNotReady then has nothing to act on, as in Kruise).
   */
  notReadyKeys?: readonly string[] | undefined;
}

/** A node as node-loss detection sees it. */
export interface NodeView {
  name: string;
  /** Since when the node is NotReady/Unknown or tainted unreachable; unset while healthy. */
  lostSince?: string | undefined;
}

/** A per-GameServer container override (`gs.spec.containers[]`), applied when a pod is created. */
export interface ContainerOverride {
  name: string;
  image?: string | undefined;
  resources?: ResourceRequirementsView | undefined;
}

/** One ControllerRevision of the set. */
export interface RevisionRecord {
  name: string;
  /** ControllerRevision `.revision`: a counter, higher is newer. */
  revision: number;
}

export interface SetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string | undefined;
  message?: string | undefined;
  lastTransitionTime?: string | undefined;
}

/** GameServerSet `status`, as the controller writes it. */
export interface SetStatus {
  observedGeneration: number;
  replicas: number;
  currentReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  updatedReadyReplicas: number;
  maintainingReplicas: number;
  waitToBeDeletedReplicas: number;
  preDeleteReplicas: number;
  labelSelector: string;
  currentRevision: string;
  updateRevision: string;
  conditions: SetCondition[];
}
