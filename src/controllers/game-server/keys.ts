// Label, annotation and condition keys the GameServer controller reads and
// writes. They belong in src/api/constants.ts; they live here until the lead
// merges them (the values are OKG's, so pods stay wire-compatible).

/** Pod labels the GameServer controller writes from the GameServer spec and state. */
export const GS_OPS_STATE_LABEL = 'game.kruise.io/gs-opsState';
export const GS_UPDATE_PRIORITY_LABEL = 'game.kruise.io/gs-update-priority';
export const GS_DELETE_PRIORITY_LABEL = 'game.kruise.io/gs-delete-priority';
export const GS_NETWORK_DISABLED_LABEL = 'game.kruise.io/network-disabled';
export const GS_STATE_LABEL = 'game.kruise.io/gs-state';

/** Pod annotations (RFC3339 times) written on each opsState / state change. */
export const GS_OPS_STATE_LAST_CHANGED_ANNOTATION = 'game.kruise.io/opsState-last-changed-time';
export const GS_STATE_LAST_CHANGED_ANNOTATION = 'game.kruise.io/state-last-changed-time';

/** GameServer labels and annotations with this prefix are copied onto the pod (OKG: bare `gs-sync/`). */
export const GS_SYNC_PREFIX = 'gs-sync/';

/**
 * Lifecycle label (Kruise's key, kept for OKG compatibility): `PreparingDelete`
 * while a preDelete hook holds the pod, `PreparingUpdate` while an inPlaceUpdate
 * hook holds it before the image patch, `Updating` during an in-place update.
 */
export const LIFECYCLE_STATE_LABEL = 'lifecycle.apps.kruise.io/state';
export const LIFECYCLE_PREPARING_DELETE = 'PreparingDelete';
export const LIFECYCLE_PREPARING_UPDATE = 'PreparingUpdate';
export const LIFECYCLE_UPDATING = 'Updating';

/**
 * In-place update contract with the GameServerSet controller:
 * 1. it sets the pod condition `InPlaceUpdateReady` to False (the pod goes
 *    NotReady through its readiness gate) → GameServer state PreUpdate;
 * 2. after `gracePeriodSeconds` it patches the images and writes the
 *    annotation below, JSON `{"revision": "...", "updateTimestamp": RFC3339, ...}`
 *    with `updateTimestamp` ≥ the condition's lastTransitionTime → Updating;
 * 3. when the new containers run it sets the condition True → Ready/NotReady.
 * A leftover annotation from an earlier update (timestamp older than the False
 * transition) does not count, so the GameServerSet controller may keep it.
 */
export const IN_PLACE_UPDATE_READY_CONDITION = 'InPlaceUpdateReady';
export const IN_PLACE_UPDATE_STATE_ANNOTATION = 'game.kruise.io/inplace-update-state';

/** GameServer condition types (OKG). */
export const POD_NORMAL = 'PodNormal';
export const NODE_NORMAL = 'NodeNormal';
export const PERSISTENT_VOLUME_NORMAL = 'PersistentVolumeNormal';

/** Event reasons raised on the GameServer. */
export const GS_STATE_CHANGED_REASON = 'GsStateChanged';
export const INVALID_UPDATE_PRIORITY_REASON = 'InvalidUpdatePriority';
export const INVALID_DELETION_PRIORITY_REASON = 'InvalidDeletionPriority';
export const INVALID_LABEL_VALUE_REASON = 'InvalidServiceQualityLabel';
export const PROBE_ERROR_REASON = 'ServiceQualityProbeError';
