// Pod, node and volume facts → the GameServer conditions PodNormal, NodeNormal
// and PersistentVolumeNormal (OKG gameserver_conditions.go, okg.md §2.6).
//
// Each condition is True, or False with every problem found: reasons and
// messages are joined with "; " and de-duplicated (exact parts, where OKG
// drops a part that is a substring of an earlier one). Decisions beyond OKG:
// - a completed init container (exit 0) is not a problem;
// - Ready False only because of the InPlaceUpdateReady gate is an in-place
//   update (state PreUpdate/Updating), and only because of the KruisePodReady
//   gate a lifecycle hook's markPodNotReady: neither is a pod problem;
// - messages name the container they come from;
// - a pod whose node is missing from the cache gets NodeNormal False
//   (NodeNotFound) where OKG returns an error and retries.
import { IN_PLACE_UPDATE_READY_CONDITION, NODE_NORMAL, PERSISTENT_VOLUME_NORMAL, POD_NORMAL } from './keys.js';
import { formatTime } from './time.js';
import type {
  ContainerStatusLike,
  GameServerCondition,
  GameServerConditionType,
  GameServerEvent,
  NodeLike,
  PersistentVolumeClaimLike,
  PersistentVolumeLike,
  PodLike,
} from './types.js';
import { readinessCatchingUp } from './pod-readiness.js';
import { KRUISE_POD_READY } from '../../api/constants.js';

export const PVC_NOT_FOUND_REASON = 'PersistentVolumeClaim Not Found';
export const PV_NOT_FOUND_REASON = 'PersistentVolume Not Found';
export const NODE_NOT_FOUND_REASON = 'NodeNotFound';

/** Reasons every starting pod goes through: a condition False only for these warns only when it was True before. */
const STARTUP_REASONS = new Set(['ContainersNotReady', 'ContainersNotInitialized', 'ContainerCreating', 'PodInitializing']);
/**
 * Why a server is not ready while an in-place update restarts its containers
 * behind the closed readiness gate: the restart reasons, the gate, and the
 * replaced container's run that ended cleanly (exit 0, shown until the new
 * one runs); a run that ended otherwise (Error, OOMKilled) still warns.
 */
const IN_PLACE_UPDATE_REASONS = new Set([...STARTUP_REASONS, 'ReadinessGatesNotReady', 'ContainerTerminated:Completed']);

export interface ConditionFacts {
  pod: PodLike;
  /** The pod's node from the cache; undefined when the pod is unscheduled or the node is gone. */
  node?: NodeLike;
  /** PVCs of the pod's namespace by claim name (only the pod's claims are needed). */
  pvcs: ReadonlyMap<string, PersistentVolumeClaimLike>;
  /** PVs by name; omit when PersistentVolumes are not watched (bound claims are then taken as fine). */
  pvs?: ReadonlyMap<string, PersistentVolumeLike>;
  previous?: readonly GameServerCondition[];
  now: Date;
}

export interface ConditionsResult {
  conditions: GameServerCondition[];
  /** Warning events for conditions that turned False (or changed reason while False). */
  warnings: GameServerEvent[];
}

type Problem = Pick<GameServerCondition, 'status' | 'reason' | 'message'>;

export function computeConditions(facts: ConditionFacts): ConditionsResult {
  const computed: [GameServerConditionType, Problem][] = [[POD_NORMAL, podNormal(facts.pod)]];
  if (facts.pod.spec?.nodeName) computed.push([NODE_NORMAL, nodeNormal(facts.pod.spec.nodeName, facts.node)]);
  computed.push([PERSISTENT_VOLUME_NORMAL, persistentVolumeNormal(facts.pod, facts.pvcs, facts.pvs)]);

  const now = formatTime(facts.now);
  const conditions = computed.map(([type, problem]): GameServerCondition => {
    const previous = facts.previous?.find((c) => c.type === type);
    const lastTransitionTime = previous?.status === problem.status && previous.lastTransitionTime ? previous.lastTransitionTime : now;
    return { type, ...problem, lastTransitionTime };
  });
  return { conditions, warnings: conditionWarnings(facts.previous ?? [], conditions) };
}

/**
 * Warning events for conditions that turned False or changed reason while
 * False. A condition False only for startup reasons (ContainersNotReady and
 * friends) warns only when it was True before: a new pod is not an incident.
 * Nor is a hot update: while the server is `updating` in place, the restart
 * reasons and the closed readiness gate never warn (a failed update still
 * does, through its own reason, e.g. CrashLoopBackOff or ErrImagePull).
 */
export function conditionWarnings(
  previous: readonly GameServerCondition[],
  next: readonly GameServerCondition[],
  options: { readonly updating?: boolean } = {},
): GameServerEvent[] {
  const warnings: GameServerEvent[] = [];
  for (const condition of next) {
    if (condition.status !== 'False') continue;
    const before = previous.find((c) => c.type === condition.type);
    if (before?.status === 'False' && before.reason === condition.reason) continue;
    const reason = condition.reason || `${condition.type}False`;
    if (options.updating && splitParts(reason).every((r) => IN_PLACE_UPDATE_REASONS.has(r))) continue;
    if (before?.status !== 'True' && splitParts(reason).every((r) => STARTUP_REASONS.has(r))) continue;
    warnings.push({ type: 'Warning', reason, message: condition.message || reason });
  }
  return warnings;
}

export function podNormal(pod: PodLike): Problem {
  const parts = new Parts();
  const status = pod.status ?? {};
  if (status.reason) parts.add(status.reason, status.message);
  const conditions = status.conditions ?? [];
  const containersReady = conditions.find((c) => c.type === 'ContainersReady');
  for (const c of conditions) {
    if (c.type === 'PodScheduled' || c.type === 'Initialized' || c.type === 'ContainersReady') {
      if (c.status !== 'True') parts.add(c.reason || `${c.type}:${c.status}`, c.message);
    } else if (c.type === 'Ready' && c.status === 'False' && containersReady?.status === 'True') {
      if (!onlyInPlaceGateFailing(pod) && !readinessCatchingUp(pod)) parts.add(c.reason || 'NotReady', c.message);
    }
  }
  addContainerProblems(parts, status.initContainerStatuses ?? [], true);
  addContainerProblems(parts, status.containerStatuses ?? [], false);
  return parts.toProblem();
}

function addContainerProblems(parts: Parts, statuses: readonly ContainerStatusLike[], init: boolean): void {
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (waiting?.reason) parts.add(waiting.reason, `container ${s.name}: ${waiting.message || waiting.reason}`);
    const terminated = s.state?.terminated;
    const last = s.lastState?.terminated;
    if (terminated?.reason) {
      if (init && terminated.exitCode === 0) continue;
      parts.add(`ContainerTerminated:${terminated.reason}`, terminatedMessage(s.name, terminated));
    } else if (last?.reason && !s.state?.running) {
      parts.add(`ContainerTerminated:${last.reason}`, terminatedMessage(s.name, last));
    }
  }
}

function terminatedMessage(container: string, t: { exitCode: number; message?: string }): string {
  const detail = t.message ? `${t.message.trim()} ` : '';
  return `container ${container}: ${detail}ExitCode: ${t.exitCode}`;
}

/**
 * True when Ready is False only because the operator's own readiness gates
 * are not True: InPlaceUpdateReady (an in-place update) or KruisePodReady (a
 * lifecycle hook's markPodNotReady holds the pod on purpose).
 */
function onlyInPlaceGateFailing(pod: PodLike): boolean {
  const gates = pod.spec?.readinessGates ?? [];
  const conditions = pod.status?.conditions ?? [];
  const failing = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status !== 'True');
  if (failing.length === 0 || failing.some((g) => g.conditionType !== IN_PLACE_UPDATE_READY_CONDITION && g.conditionType !== KRUISE_POD_READY)) return false;
  return (pod.status?.containerStatuses ?? []).every((s) => s.ready);
}

export function nodeNormal(nodeName: string, node: NodeLike | undefined): Problem {
  if (node === undefined) {
    return { status: 'False', reason: NODE_NOT_FOUND_REASON, message: `node ${nodeName} of the pod is not in the cluster` };
  }
  const parts = new Parts();
  for (const c of node.status?.conditions ?? []) {
    const mustBeTrue = c.type === 'Ready' || c.type === 'SufficientIP';
    const bad = mustBeTrue ? c.status !== 'True' : c.status !== 'False';
    if (bad) parts.add(`${c.type}:${c.reason || c.status}`, c.message);
  }
  return parts.toProblem();
}

export function persistentVolumeNormal(
  pod: PodLike,
  pvcs: ReadonlyMap<string, PersistentVolumeClaimLike>,
  pvs: ReadonlyMap<string, PersistentVolumeLike> | undefined,
): Problem {
  const parts = new Parts();
  const namespace = pod.metadata?.namespace ?? '';
  for (const volume of pod.spec?.volumes ?? []) {
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const claim = pvcs.get(claimName);
    if (claim === undefined) {
      parts.add(PVC_NOT_FOUND_REASON, `There is no pvc named ${namespace}/${claimName} in cluster`);
      continue;
    }
    const pvName = claim.spec?.volumeName;
    const volumeObject = pvName && pvs ? pvs.get(pvName) : undefined;
    if (!pvName || (pvs !== undefined && volumeObject === undefined)) {
      parts.add(PV_NOT_FOUND_REASON, `There is no pv which pvc ${namespace}/${claimName} is bound with`);
      continue;
    }
    const reason = volumeObject?.status?.reason;
    if (reason) parts.add(reason, volumeObject.status?.message);
  }
  return parts.toProblem();
}

function splitParts(joined: string): string[] {
  return joined.split('; ').filter((p) => p !== '');
}

class Parts {
  private readonly reasons: string[] = [];
  private readonly messages: string[] = [];

  add(reason: string, message: string | undefined): void {
    if (!this.reasons.includes(reason)) this.reasons.push(reason);
    const text = message?.trim();
    if (text && !this.messages.includes(text)) this.messages.push(text);
  }

  toProblem(): Problem {
    if (this.reasons.length === 0) return { status: 'True' };
    const message = this.messages.join('; ');
    return { status: 'False', reason: this.reasons.join('; '), ...(message ? { message } : {}) };
  }
}
