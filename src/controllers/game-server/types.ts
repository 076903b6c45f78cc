// Narrow structural views of the objects the GameServer planners read. Both
// client-node model objects (Date timestamps) and raw JSON from a watch
// (string timestamps) satisfy them, so the planners do not care which one the
// cache holds. GameServer types come from src/api.
import type {
  GameServerCondition,
  GameServerConditionType,
  GameServerState,
  GameServerStatus as ApiGameServerStatus,
  IntOrString,
  NetworkStatus,
  ServiceQualityCondition,
} from '../../api/index.js';

export type { GameServerCondition, GameServerConditionType, GameServerState, IntOrString, ServiceQualityCondition };
export type Timestamp = Date | string;

export interface ObjectMetaLike {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: Timestamp | null;
}

export interface PodConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: Timestamp | null;
}

export interface ContainerStateLike {
  running?: { startedAt?: Timestamp | null } | null;
  waiting?: { reason?: string; message?: string } | null;
  terminated?: { exitCode: number; reason?: string; message?: string } | null;
}

export interface ContainerStatusLike {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  started?: boolean;
  state?: ContainerStateLike;
  lastState?: ContainerStateLike;
}

export interface ContainerPortLike {
  name?: string;
  containerPort: number;
}

export interface ContainerLike {
  name: string;
  image?: string;
  ports?: ContainerPortLike[];
}

export interface PodLike {
  metadata?: ObjectMetaLike;
  spec?: {
    nodeName?: string;
    hostNetwork?: boolean;
    restartPolicy?: string;
    containers: ContainerLike[];
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string } | null }[];
    readinessGates?: { conditionType: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    hostIP?: string;
    startTime?: Timestamp | null;
    conditions?: PodConditionLike[];
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
  };
}

export interface NodeLike {
  metadata?: ObjectMetaLike;
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface PersistentVolumeClaimLike {
  metadata?: ObjectMetaLike;
  spec?: { volumeName?: string };
}

export interface PersistentVolumeLike {
  metadata?: ObjectMetaLike;
  status?: { reason?: string; message?: string };
}

export interface GameServerContainerLike {
  name: string;
  image?: string;
}

export interface GameServerSpecLike {
  opsState?: string;
  updatePriority?: IntOrString | null;
  deletionPriority?: IntOrString | null;
  networkDisabled?: boolean | null;
  containers?: GameServerContainerLike[];
}

/** A trimmed copy of the pod status: enough to debug, small enough for thousands in memory. */
export type PodStatusSummary = {
  phase?: string;
  reason?: string;
  message?: string;
  podIP?: string;
  hostIP?: string;
  startTime?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  containerStatuses?: ContainerStatusSummary[];
};

export interface ContainerStatusSummary {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID?: string;
  state?: {
    running?: { startedAt?: string };
    waiting?: { reason?: string };
    terminated?: { exitCode: number; reason?: string };
  };
}

/** The status the planners write; assignable to the API's GameServerStatus (checked in compute-status.test.ts). */
export interface GameServerStatus {
  desiredState: 'Ready';
  currentState: GameServerState;
  podStatus?: PodStatusSummary;
  updatePriority?: IntOrString;
  deletionPriority?: IntOrString;
  lastTransitionTime?: string;
  conditions?: GameServerCondition[];
  serviceQualitiesConditions?: ServiceQualityCondition[];
  networkStatus?: NetworkStatus;
}

/** The previous status as read from the cluster: every field may be missing. */
export type GameServerStatusLike = ApiGameServerStatus;

export interface GameServerLike {
  metadata?: ObjectMetaLike;
  spec?: GameServerSpecLike;
  status?: GameServerStatusLike;
}

/** An event to raise on the GameServer (core/v1 Event type, reason, message). */
export interface GameServerEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}
