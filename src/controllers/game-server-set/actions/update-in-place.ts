// In-place updates (the contract in src/controllers/game-server/keys.ts):
//  1. condition InPlaceUpdateReady False and lifecycle label PreparingUpdate,
//     in one pods/status write: the pod leaves its Service through the
//     readiness gate;
//  2. after gracePeriodSeconds, patch the changed images and the revision
//     label, lifecycle Updating, and the annotation
//     apps.kruise.io/inplace-update-state {revision, updateTimestamp,
//     lastContainerStatuses} recording each changed container's imageID;
//  3. once every changed container reports another imageID and is ready,
//     condition True and lifecycle Normal, or Updated while an inPlaceUpdate
//     hook's labels are not all back (one pods/status write).
// A lifecycle hook may hold a pod before step 1 (plan-lifecycle.ts).
// Each step's write also carries the GameServer state label it leads to
// (PreUpdate, Updating, Ready: plan/state-stamp.ts), so the GameServer
// controller has no pod write of its own to make for the update.
// Each step is one request per pod; the pods of a pass are written side by
// side (POD_BATCH_CONCURRENCY, as creations: with maxUnavailable 100% a pass
// moves hundreds of pods, and the client's rate sets the pace), and a pod
// whose previous write the cache has not shown yet is left for the next pass
// (UnobservedWrites).
// Step 3, and "True on every new pod once it runs", are level-based sweeps
// over all pods of the set (syncInPlaceConditions), so a crash between steps
// loses nothing.
import { IN_PLACE_UPDATE_READY, KRUISE_POD_READY, LIFECYCLE, WORKLOAD_LABELS } from '../../../api/constants.js';
import { toKubeTime } from '../../../runtime/events.js';
import { escapePointer, type JsonPatchOperation } from '../../../runtime/patch.js';
import { jsonPatch } from '../../../runtime/writes.js';
import { patchPod } from '../../shared/pod-writes.js';
import type { CachedPod } from '../../shared/informers.js';
import { afterUpdateState, inPlaceUpdateMessages, type InPlaceUpdate } from '../plan/index.js';
import type { ActionDeps, SetTarget } from './deps.js';
import { forEachConcurrently, POD_BATCH_CONCURRENCY } from './concurrently.js';
import { setInPlaceUpdateReady, setPodConditions, type PodConditionWrite, type StatusMetadata } from './pod-api.js';
import { stateStamp } from '../plan/state-stamp.js';

interface UpdateState {
  readonly revision?: string;
  readonly updateTimestamp?: string;
  readonly lastContainerStatuses?: Readonly<Record<string, { readonly imageID?: string; readonly restartCount?: number }>>;
}

type PodCondition = NonNullable<NonNullable<CachedPod['status']>['conditions']>[number];

function inPlaceCondition(pod: CachedPod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === IN_PLACE_UPDATE_READY);
}

function updateStateOf(pod: CachedPod): UpdateState | undefined {
  const raw = pod.metadata?.annotations?.[LIFECYCLE.inPlaceUpdateStateAnnotation];
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed) : undefined;
  } catch {
    return undefined;
  }
}

/** The pod's images were patched for the update that set the condition False (annotation at or after the transition). */
function patchedForCurrentUpdate(pod: CachedPod): boolean {
  const condition = inPlaceCondition(pod);
  const state = updateStateOf(pod);
  if (condition?.status !== 'False' || state?.updateTimestamp === undefined) return false;
  if (state.revision !== pod.metadata?.labels?.[WORKLOAD_LABELS.controllerRevisionHash]) return false;
  const since = condition.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : Number.NEGATIVE_INFINITY;
  return Date.parse(state.updateTimestamp) >= since;
}

function lifecycleMetadata(state: string, now: string): StatusMetadata {
  return { labels: { [LIFECYCLE.stateLabel]: state }, annotations: { [LIFECYCLE.timestampAnnotation]: now } };
}

/**
 * The metadata of a pods/status write that sets `conditions` and the
 * lifecycle `state`, with the GameServer state label the write leads to
 * (plan/state-stamp.ts): one write instead of this one and the GameServer
 * controller's label patch after it.
 */
function stepMetadata(pod: CachedPod, state: string, conditions: readonly PodConditionWrite[], now: string): StatusMetadata {
  const lifecycle = lifecycleMetadata(state, now);
  const stamp = stateStamp(pod, { labels: lifecycle.labels ?? {}, conditions }, now);
  return { labels: { ...lifecycle.labels, ...stamp.labels }, annotations: { ...lifecycle.annotations, ...stamp.annotations } };
}

/** The state label (and its change time) a write of `conditions` leads to, alone; undefined when the pod already carries it. */
function stampOnly(pod: CachedPod, conditions: readonly PodConditionWrite[], now: string): StatusMetadata | undefined {
  const stamp = stateStamp(pod, { conditions }, now);
  return Object.keys(stamp.labels).length === 0 ? undefined : { labels: { ...stamp.labels }, annotations: { ...stamp.annotations } };
}

/** Seconds until the cache is expected to show a write still in flight. */
const UNOBSERVED_RECHECK_SECONDS = 1;

/**
 * Moves each planned pod one step: step 1, then step 2 when the grace period
 * is over. Returns the seconds until the next grace period ends, if one is
 * still running.
 */
export async function startInPlaceUpdates(
  deps: ActionDeps,
  target: SetTarget,
  updates: readonly InPlaceUpdate[],
  podOf: (name: string) => CachedPod | undefined,
  nowMs: number,
): Promise<number | undefined> {
  const graceMs = target.view.updateStrategy.gracePeriodSeconds * 1000;
  let recheck: number | undefined;
  const later = (seconds: number) => {
    recheck = recheck === undefined ? seconds : Math.min(recheck, seconds);
  };
  const patched: InPlaceUpdate[] = [];
  await forEachConcurrently(updates, POD_BATCH_CONCURRENCY, async (update) => {
    const cached = podOf(update.name);
    if (cached === undefined || cached.metadata?.deletionTimestamp) return;
    if (deps.podWrites.pending(cached)) return later(UNOBSERVED_RECHECK_SECONDS);
    let pod = cached;
    const now = toKubeTime(nowMs);
    if (inPlaceCondition(pod)?.status !== 'False') {
      const closed: PodConditionWrite = { type: IN_PLACE_UPDATE_READY, status: 'False', reason: 'StartInPlaceUpdate', lastTransitionTime: now };
      const metadata = stepMetadata(pod, 'PreparingUpdate', [closed], now);
      pod = await setInPlaceUpdateReady(deps.client, target.view.namespace, update.name, 'False', 'StartInPlaceUpdate', now, metadata);
      deps.podWrites.wrote(cached, pod);
    }
    const since = Date.parse(inPlaceCondition(pod)?.lastTransitionTime ?? now);
    const due = since + graceMs;
    if (due > nowMs) return later(Math.max(1, Math.ceil((due - nowMs) / 1000)));
    deps.podWrites.wrote(pod, await patchImages(deps, target, pod, update, now));
    patched.push(update);
  });
  for (const message of inPlaceUpdateMessages(patched)) deps.recorder.normal(target.object, 'InPlaceUpdate', message);
  return recheck;
}

async function patchImages(deps: ActionDeps, target: SetTarget, pod: CachedPod, update: InPlaceUpdate, now: string): Promise<CachedPod> {
  const containers = pod.spec?.containers ?? [];
  const statuses = pod.status?.containerStatuses ?? [];
  const operations: JsonPatchOperation[] = [];
  const last: Record<string, { imageID?: string; restartCount?: number }> = {};
  for (const change of update.containers) {
    const index = containers.findIndex((c) => c.name === change.name);
    if (index < 0) continue;
    operations.push({ op: 'test', path: `/spec/containers/${index}/name`, value: change.name });
    operations.push({ op: 'replace', path: `/spec/containers/${index}/image`, value: change.image });
    const status = statuses.find((s) => s.name === change.name);
    last[change.name] = { imageID: status?.imageID ?? '', restartCount: status?.restartCount ?? 0 };
  }
  const state: UpdateState = { revision: update.revision, updateTimestamp: now, lastContainerStatuses: last };
  const labels = (key: string, value: string): JsonPatchOperation => ({ op: 'add', path: `/metadata/labels/${escapePointer(key)}`, value });
  const annotation = (key: string, value: string): JsonPatchOperation => ({ op: 'add', path: `/metadata/annotations/${escapePointer(key)}`, value });
  const stamp = stateStamp(pod, { labels: { [LIFECYCLE.stateLabel]: 'Updating' } }, now);
  if (pod.metadata?.annotations === undefined) operations.push({ op: 'add', path: '/metadata/annotations', value: {} });
  operations.push(
    labels(WORKLOAD_LABELS.controllerRevisionHash, update.revision),
    labels(LIFECYCLE.stateLabel, 'Updating'),
    ...Object.entries(stamp.labels).map(([key, value]) => labels(key, value)),
    annotation(LIFECYCLE.inPlaceUpdateStateAnnotation, JSON.stringify(state)),
    annotation(LIFECYCLE.timestampAnnotation, now),
    ...Object.entries(stamp.annotations).map(([key, value]) => annotation(key, value)),
  );
  return patchPod(deps.client, target.view.namespace, update.name, jsonPatch(operations));
}

/** Every changed container runs another image than before the patch, and is ready. */
function updateCompleted(pod: CachedPod): boolean {
  const state = updateStateOf(pod);
  const statuses = pod.status?.containerStatuses ?? [];
  const specs = pod.spec?.containers ?? [];
  return Object.entries(state?.lastContainerStatuses ?? {}).every(([name, before]) => {
    const status = statuses.find((s) => s.name === name);
    const image = specs.find((c) => c.name === name)?.image;
    if (status === undefined || !status.ready) return false;
    const restarted = (status.restartCount ?? 0) > (before.restartCount ?? 0);
    return (status.imageID !== undefined && status.imageID !== before.imageID) || (restarted && status.image === image);
  });
}

/**
 * The level-based half: opens the gate of pods that never had the condition
 * (new pods), closes updates whose containers have restarted on the new
 * images, and, when `planned` is given (the update planner ran), gives back
 * pods that were marked for an update no longer planned (paused, reverted).
 */
export async function syncInPlaceConditions(
  deps: ActionDeps,
  target: SetTarget,
  pods: readonly CachedPod[],
  planned: ReadonlySet<string> | undefined,
  nowMs: number,
): Promise<void> {
  const now = toKubeTime(nowMs);
  const ns = target.view.namespace;
  // Decided for every pod first, synchronously (most need nothing); written side by side after.
  const writes: { readonly pod: CachedPod; readonly name: string; readonly conditions: PodConditionWrite[]; readonly metadata?: StatusMetadata }[] = [];
  const opened = (reason: string): PodConditionWrite => ({ type: IN_PLACE_UPDATE_READY, status: 'True', reason, lastTransitionTime: now });
  for (const pod of pods) {
    const name = pod.metadata?.name;
    if (!name || pod.metadata?.deletionTimestamp) continue;
    const condition = inPlaceCondition(pod);
    // A KruisePodReady gate without its condition (Kruise's pod-readiness controller sets it True).
    const kruiseGate = gated(pod, KRUISE_POD_READY) && !pod.status?.conditions?.some((c) => c.type === KRUISE_POD_READY);
    const extra: PodConditionWrite[] = kruiseGate ? [{ type: KRUISE_POD_READY, status: 'True', reason: 'NewPod', lastTransitionTime: now }] : [];
    if (condition?.status === 'True' || deps.podWrites.pending(pod)) {
      if (kruiseGate && !deps.podWrites.pending(pod)) writes.push({ pod, name, conditions: extra });
      continue;
    }
    if (condition === undefined) {
      // A new pod's gates open once it runs, and the write carries its first
      // state label (Ready when every container is): its GameServer
      // controller has no label patch of its own to make.
      const conditions = gated(pod, IN_PLACE_UPDATE_READY) ? [opened('NewPod'), ...extra] : extra;
      if (conditions.length > 0 && pod.status?.phase === 'Running') writes.push({ pod, name, conditions, metadata: stampOnly(pod, conditions, now) });
      continue;
    }
    if (condition.status !== 'False') continue;
    const patched = patchedForCurrentUpdate(pod);
    // Label and condition in one write: whoever sees the gate open sees the pod out of its update.
    if (patched && updateCompleted(pod)) {
      const state = afterUpdateState(target.view.lifecycle, { labels: pod.metadata?.labels, finalizers: pod.metadata?.finalizers });
      const conditions = [opened('InPlaceUpdateCompleted'), ...extra];
      writes.push({ pod, name, conditions, metadata: stepMetadata(pod, state, conditions, now) });
    } else if (!patched && planned !== undefined && !planned.has(name)) {
      const conditions = [opened('InPlaceUpdateCancelled'), ...extra];
      writes.push({ pod, name, conditions, metadata: stepMetadata(pod, 'Normal', conditions, now) });
    } else if (kruiseGate) writes.push({ pod, name, conditions: extra });
  }
  await forEachConcurrently(writes, POD_BATCH_CONCURRENCY, async ({ pod, name, conditions, metadata }) => {
    deps.podWrites.wrote(pod, await setPodConditions(deps.client, ns, name, conditions, metadata));
  });
}

function gated(pod: CachedPod, type: string): boolean {
  return pod.spec?.readinessGates?.some((g) => g.conditionType === type) ?? false;
}
