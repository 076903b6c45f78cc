// Carries out lifecycle writes (plan-lifecycle.ts): the label
// lifecycle.apps.kruise.io/state with its timestamp annotation and, for
// markPodNotReady, condition KruisePodReady (OpenKruise's JSON message list,
// userAgent "Lifecycle") with Ready False as OpenKruise writes it, so the pod
// leaves its Services at once. Label, annotation and conditions go in one
// pods/status write; the labels and finalizers an Updated pod gets back go
// first, in a pod patch (finalizers merge there).
import { KRUISE_POD_READY, LIFECYCLE } from '../../../api/constants.js';
import { toKubeTime } from '../../../runtime/events.js';
import type { CachedPod } from '../../shared/informers.js';
import type { LifecycleWrite } from '../plan/index.js';
import { parseNotReadyMessage } from '../views.js';
import { forEachConcurrently, POD_WRITE_CONCURRENCY } from './concurrently.js';
import type { ActionDeps, SetTarget } from './deps.js';
import { setPodConditions, type PodConditionWrite } from './pod-api.js';
import { strategicPatch } from '../../../runtime/writes.js';
import { patchPod } from '../../shared/pod-writes.js';

const USER_AGENT = 'Lifecycle';

/** Applies the writes side by side; a pod gone, terminating or with a write the cache has not shown yet is left for the next pass. */
export async function applyLifecycleWrites(
  deps: ActionDeps,
  target: SetTarget,
  writes: readonly LifecycleWrite[],
  podOf: (name: string) => CachedPod | undefined,
  nowMs: number,
): Promise<void> {
  const now = toKubeTime(nowMs);
  const ns = target.view.namespace;
  await forEachConcurrently(writes, POD_WRITE_CONCURRENCY, async (write) => {
    const cached = podOf(write.name);
    if (cached === undefined || cached.metadata?.deletionTimestamp || deps.podWrites.pending(cached)) return;
    let pod = cached;
    if (write.handler !== undefined) {
      const labels = write.handler.labelsHandler ?? {};
      const finalizers = write.handler.finalizersHandler ?? [];
      if (Object.keys(labels).length > 0 || finalizers.length > 0) {
        pod = await patchPod(deps.client, ns, write.name, strategicPatch({ metadata: { labels, ...(finalizers.length > 0 ? { finalizers } : {}) } }));
      }
    }
    const changesState = cached.metadata?.labels?.[LIFECYCLE.stateLabel] !== write.state;
    const conditions = notReadyConditions(pod, write, now);
    if (!changesState && conditions.length === 0) return;
    const metadata = changesState ? { labels: { [LIFECYCLE.stateLabel]: write.state }, annotations: { [LIFECYCLE.timestampAnnotation]: now } } : undefined;
    const written = await setPodConditions(deps.client, ns, write.name, conditions, metadata);
    deps.podWrites.wrote(cached, written);
    if (changesState) {
      deps.recorder.normal(target.object, 'LifecycleState', `Pod ${write.name} lifecycle state ${write.state}${holdingMessage(target, write)}`);
    }
  });
}

/** KruisePodReady with the key added or removed (and Ready False when it turns False); nothing without the gate or a change. */
function notReadyConditions(pod: CachedPod, write: LifecycleWrite, now: string): PodConditionWrite[] {
  const change = write.notReady;
  if (change === undefined) return [];
  if (!(pod.spec?.readinessGates ?? []).some((gate) => gate.conditionType === KRUISE_POD_READY)) return [];
  const current = pod.status?.conditions?.find((c) => c.type === KRUISE_POD_READY);
  const entries = parseNotReadyMessage(current?.message);
  const has = (key: string) => entries.some((e) => e.userAgent === USER_AGENT && e.key === key);
  let next = entries;
  if (change.add !== undefined && !has(change.add)) next = [...next, { userAgent: USER_AGENT, key: change.add }];
  if (change.remove !== undefined && has(change.remove)) next = next.filter((e) => !(e.userAgent === USER_AGENT && e.key === change.remove));
  if (next === entries) return [];
  const sorted = [...next].sort((a, b) => (a.userAgent === b.userAgent ? a.key.localeCompare(b.key) : a.userAgent.localeCompare(b.userAgent)));
  const notReady = sorted.length > 0;
  const kruise: PodConditionWrite = {
    type: KRUISE_POD_READY,
    status: notReady ? 'False' : 'True',
    reason: notReady ? 'LifecycleHook' : 'LifecycleHookReleased',
    message: JSON.stringify(sorted),
    lastTransitionTime: now,
  };
  return notReady ? [kruise, { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', lastTransitionTime: now }] : [kruise];
}

function holdingMessage(target: SetTarget, write: LifecycleWrite): string {
  const lifecycle = target.view.lifecycle;
  const hook = write.state === 'PreparingDelete' ? lifecycle?.preDelete : write.state === 'PreparingUpdate' ? lifecycle?.inPlaceUpdate : undefined;
  if (hook === undefined) return '';
  const parts = [
    ...Object.entries(hook.labelsHandler ?? {}).map(([k, v]) => `label ${k}=${v}`),
    ...(hook.finalizersHandler ?? []).map((f) => `finalizer ${f}`),
  ];
  return parts.length > 0 ? `: held while it has ${parts.join(' or ')}` : '';
}
