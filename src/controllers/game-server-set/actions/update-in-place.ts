// In-place updates (the contract in src/controllers/game-server/keys.ts):
//  1. condition InPlaceUpdateReady False (pods/status), lifecycle label
//     PreparingUpdate: the pod leaves its Service through the readiness gate;
//  2. after gracePeriodSeconds, patch the changed images and the revision
//     label, lifecycle Updating, and the annotation
//     apps.kruise.io/inplace-update-state {revision, updateTimestamp,
//     lastContainerStatuses} recording each changed container's imageID;
//  3. once every changed container reports another imageID and is ready,
//     condition True and lifecycle Normal.
// Step 3, and "True on every new pod", are level-based sweeps over all pods
// of the set (syncInPlaceConditions), so a crash between steps loses nothing.
import { IN_PLACE_UPDATE_READY, LIFECYCLE, WORKLOAD_LABELS } from '../../../api/constants.js';
import { toKubeTime } from '../../../runtime/events.js';
import { escapePointer, type JsonPatchOperation } from '../../../runtime/patch.js';
import type { CachedPod } from '../../shared/informers.js';
import type { InPlaceUpdate } from '../plan/index.js';
import type { ActionDeps, SetTarget } from './deps.js';
import { mergePatchPod, patchPod, setInPlaceUpdateReady } from './pod-api.js';

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

function lifecyclePatch(state: string, now: string): unknown {
  return { metadata: { labels: { [LIFECYCLE.stateLabel]: state }, annotations: { [LIFECYCLE.timestampAnnotation]: now } } };
}

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
  for (const update of updates) {
    let pod = podOf(update.name);
    if (pod === undefined || pod.metadata?.deletionTimestamp) continue;
    const now = toKubeTime(nowMs);
    if (inPlaceCondition(pod)?.status !== 'False') {
      await mergePatchPod(deps.client, target.view.namespace, update.name, lifecyclePatch('PreparingUpdate', now));
      pod = await setInPlaceUpdateReady(deps.client, target.view.namespace, update.name, 'False', 'StartInPlaceUpdate', now);
    }
    const since = Date.parse(inPlaceCondition(pod)?.lastTransitionTime ?? now);
    const due = since + graceMs;
    if (due > nowMs) {
      const seconds = Math.max(1, Math.ceil((due - nowMs) / 1000));
      recheck = recheck === undefined ? seconds : Math.min(recheck, seconds);
      continue;
    }
    await patchImages(deps, target, pod, update, now);
  }
  return recheck;
}

async function patchImages(deps: ActionDeps, target: SetTarget, pod: CachedPod, update: InPlaceUpdate, now: string): Promise<void> {
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
  if (pod.metadata?.annotations === undefined) operations.push({ op: 'add', path: '/metadata/annotations', value: {} });
  operations.push(
    labels(WORKLOAD_LABELS.controllerRevisionHash, update.revision),
    labels(LIFECYCLE.stateLabel, 'Updating'),
    { op: 'add', path: `/metadata/annotations/${escapePointer(LIFECYCLE.inPlaceUpdateStateAnnotation)}`, value: JSON.stringify(state) },
    { op: 'add', path: `/metadata/annotations/${escapePointer(LIFECYCLE.timestampAnnotation)}`, value: now },
  );
  await patchPod(deps.client, target.view.namespace, update.name, operations);
  deps.recorder.normal(
    target.object,
    'InPlaceUpdate',
    `updating Pod ${update.name} in place to revision ${update.revision}` +
      (update.containers.length > 0 ? ` (${update.containers.map((c) => `${c.name}=${c.image}`).join(', ')})` : ''),
  );
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
  for (const pod of pods) {
    const name = pod.metadata?.name;
    if (!name || pod.metadata?.deletionTimestamp) continue;
    const gated = pod.spec?.readinessGates?.some((g) => g.conditionType === IN_PLACE_UPDATE_READY) ?? false;
    const condition = inPlaceCondition(pod);
    if (condition === undefined) {
      if (gated) await setInPlaceUpdateReady(deps.client, ns, name, 'True', 'NewPod', now);
      continue;
    }
    if (condition.status !== 'False') continue;
    const patched = patchedForCurrentUpdate(pod);
    if (patched && updateCompleted(pod)) {
      // Label first: whoever sees the gate open sees a Normal pod.
      await mergePatchPod(deps.client, ns, name, lifecyclePatch('Normal', now));
      await setInPlaceUpdateReady(deps.client, ns, name, 'True', 'InPlaceUpdateCompleted', now);
    } else if (!patched && planned !== undefined && !planned.has(name)) {
      await mergePatchPod(deps.client, ns, name, lifecyclePatch('Normal', now));
      await setInPlaceUpdateReady(deps.client, ns, name, 'True', 'InPlaceUpdateCancelled', now);
    }
  }
}
