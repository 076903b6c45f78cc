// Keys the GameServer controller reads and writes, taken from
// src/api/constants.ts (the single source); the few that exist only here are
// event reasons and the in-place update contract below.
import type { GameServerConditionType } from '../../api/game-server.js';
import { ANNOTATIONS, GS_SYNC_PREFIX, IN_PLACE_UPDATE_READY, LABELS, LIFECYCLE, type LifecycleState } from '../../api/constants.js';

export { GS_SYNC_PREFIX };

/** Pod labels the GameServer controller writes from the GameServer spec and state. */
export const GS_OPS_STATE_LABEL = LABELS.gsOpsState;
export const GS_UPDATE_PRIORITY_LABEL = LABELS.gsUpdatePriority;
export const GS_DELETE_PRIORITY_LABEL = LABELS.gsDeletePriority;
export const GS_NETWORK_DISABLED_LABEL = LABELS.networkDisabled;
export const GS_STATE_LABEL = LABELS.gsState;

/** Pod annotations (RFC3339 times) written on each opsState / state change. */
export const GS_OPS_STATE_LAST_CHANGED_ANNOTATION = ANNOTATIONS.opsStateLastChangedTime;
export const GS_STATE_LAST_CHANGED_ANNOTATION = ANNOTATIONS.stateLastChangedTime;
/** Pod annotation: the containers a PreUpdate/Updating in-place update changes, comma-separated. */
export const GS_UPDATING_CONTAINERS_ANNOTATION = ANNOTATIONS.gsUpdatingContainers;

/**
 * Lifecycle label (Kruise's key, kept for OKG compatibility): `PreparingDelete`
 * while a preDelete hook holds the pod, `PreparingUpdate` while an inPlaceUpdate
 * hook holds it before the image patch, `Updating` during an in-place update.
 */
export const LIFECYCLE_STATE_LABEL = LIFECYCLE.stateLabel;
export const LIFECYCLE_PREPARING_DELETE = 'PreparingDelete' satisfies LifecycleState;
export const LIFECYCLE_PREPARING_UPDATE = 'PreparingUpdate' satisfies LifecycleState;
export const LIFECYCLE_UPDATING = 'Updating' satisfies LifecycleState;

/**
 * In-place update contract with the GameServerSet controller:
 * 1. it sets the pod condition `InPlaceUpdateReady` to False (the pod goes
 *    NotReady through its readiness gate) → GameServer state PreUpdate;
 * 2. after `gracePeriodSeconds` it patches the images and writes the
 *    annotation `apps.kruise.io/inplace-update-state`, JSON
 *    `{"revision": "...", "updateTimestamp": RFC3339, ...}` with
 *    `updateTimestamp` ≥ the condition's lastTransitionTime → Updating;
 * 3. when the new containers run it sets the condition True → Ready/NotReady.
 * A leftover annotation from an earlier update (timestamp older than the False
 * transition) does not count, so the GameServerSet controller may keep it.
 */
export const IN_PLACE_UPDATE_READY_CONDITION = IN_PLACE_UPDATE_READY;
export const IN_PLACE_UPDATE_STATE_ANNOTATION = LIFECYCLE.inPlaceUpdateStateAnnotation;

/** GameServer condition types (OKG). */
export const POD_NORMAL = 'PodNormal' satisfies GameServerConditionType;
export const NODE_NORMAL = 'NodeNormal' satisfies GameServerConditionType;
export const PERSISTENT_VOLUME_NORMAL = 'PersistentVolumeNormal' satisfies GameServerConditionType;

/** Event reasons raised on the GameServer. */
export const GS_STATE_CHANGED_REASON = 'GsStateChanged';
export const INVALID_UPDATE_PRIORITY_REASON = 'InvalidUpdatePriority';
export const INVALID_DELETION_PRIORITY_REASON = 'InvalidDeletionPriority';
export const INVALID_OPS_STATE_REASON = 'InvalidOpsState';
export const INVALID_SERVICE_QUALITY_LABEL_REASON = 'InvalidServiceQualityLabel';
export const PROBE_ERROR_REASON = 'ServiceQualityProbeError';
