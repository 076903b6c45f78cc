// The pure planners of the GameServerSet controller: read from cache → plan
// (here: no I/O, no clock, no logger) → act (the controller).
export type * from './types.js';
export { canonicalJson, goCanonical, jsonEqual } from './canonical-json.js';
export { InvalidInstantError } from './time.js';
export { InvalidReserveIdsError, availableSince, isAvailable, isPreparingDelete, isRunningAndReady, reservedOrdinals } from './pod-facts.js';
export { compareForDeletion, compareForUpdate, opsStateRank } from './delete-order.js';
export { planScale, lowestFreeOrdinals, rememberMembers } from './plan-scale.js';
export { formatHeldOrdinals, parseHeldOrdinals } from './held-ordinals.js';
export type { DeleteReason, PodDeletion, ScaleContext, ScalePlan, ScaleSetView } from './plan-scale.js';
export { planNodeLoss } from './plan-node-loss.js';
export type { Eviction, NodeLossInput, NodeLossPlan } from './plan-node-loss.js';
export { IN_PLACE_EVENT_NAMES, inPlaceUpdateMessages, planUpdate, revisionsForNewPods } from './plan-update.js';
export type { BlockedReason, InPlaceUpdate, NewPodRevisions, RevisionTemplates, UpdatePlan, UpdateSetView } from './plan-update.js';
export { imageOnlyChanges } from './in-place-diff.js';
export type { ImageChange } from './in-place-diff.js';
export {
  REVISION_HASH_LENGTH,
  computeRevision,
  planRevisionHistory,
  planUpdateRevision,
  resolveCurrentRevision,
  revisionName,
  revisionTemplate,
} from './plan-revision.js';
export type { RevisionAction, RevisionInput } from './plan-revision.js';
export { REPLICA_FAILURE, computeSetStatus, onlyCountsChanged, statusEqual, statusRecheckAfterSeconds } from './compute-status.js';
export type { StatusOptions, StatusRevisions, StatusSetView } from './compute-status.js';
export { buildPod, buildPvc, claimName, podName, setOwnerReference } from './build-pod.js';
export type { ManifestMeta, OwnerReference, PodManifest, PodSetView, PvcManifest, PvcSetView } from './build-pod.js';
export {
  NOT_READY_KEYS,
  afterUpdateState,
  effectiveLifecycle,
  gateInPlaceUpdates,
  initialLifecycleState,
  isPodAllHooked,
  isPodHooked,
  planLifecycleSweep,
  splitDeletions,
} from './plan-lifecycle.js';
export type { DeletionSplit, HookedPod, InPlaceGate, LifecycleSweep, LifecycleWrite, NotReadyKey } from './plan-lifecycle.js';
export { isOrphanOf, runsTemplate } from './plan-adoption.js';
export type { OrphanCandidate, OrphanKind, PodContainers } from './plan-adoption.js';
export { gameServersToKeep } from './plan-reclaim.js';
