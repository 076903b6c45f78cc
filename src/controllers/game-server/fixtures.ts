// Test fixture builders: pod('gs-0').running().ready().build() and friends.
// Objects come out as plain JSON (string timestamps), as a watch delivers them.
import {
  GS_DELETE_PRIORITY_LABEL,
  GS_NETWORK_DISABLED_LABEL,
  GS_OPS_STATE_LABEL,
  GS_STATE_LABEL,
  GS_UPDATE_PRIORITY_LABEL,
  IN_PLACE_UPDATE_READY_CONDITION,
  IN_PLACE_UPDATE_STATE_ANNOTATION,
  LIFECYCLE_STATE_LABEL,
} from './keys.js';
import type {
  ContainerStatusLike,
  GameServerLike,
  GameServerSpecLike,
  GameServerStatusLike,
  IntOrString,
  NodeLike,
  PersistentVolumeClaimLike,
  PersistentVolumeLike,
  PodConditionLike,
  PodLike,
} from './types.js';

export const T0 = '2024-05-01T10:00:00Z';

type Spec = NonNullable<PodLike['spec']>;
type Status = NonNullable<PodLike['status']>;

export class PodBuilder {
  private readonly labels: Record<string, string> = {};
  private readonly annotations: Record<string, string> = {};
  private deletionTimestamp: string | undefined;
  private readonly spec: Spec = { containers: [{ name: 'game', image: 'game:v1' }] };
  private readonly status: Status = { phase: 'Pending' };

  constructor(
    private readonly name: string,
    private readonly namespace: string,
  ) {}

  phase(phase: string): this {
    this.status.phase = phase;
    return this;
  }
  pending(): this {
    return this.phase('Pending');
  }
  running(): this {
    this.status.podIP ??= '10.0.0.10';
    this.status.hostIP ??= '192.168.0.10';
    this.spec.nodeName ??= 'node-1';
    this.condition('PodScheduled', 'True').condition('Initialized', 'True');
    for (const c of this.spec.containers) {
      this.containerStatus(c.name, { state: { running: { startedAt: T0 } }, started: true });
    }
    return this.phase('Running');
  }
  failed(reason?: string, message?: string): this {
    if (reason !== undefined) this.status.reason = reason;
    if (message !== undefined) this.status.message = message;
    return this.phase('Failed');
  }
  /** Ready True (and ContainersReady True, containers ready). */
  ready(): this {
    for (const s of this.status.containerStatuses ?? []) s.ready = true;
    return this.condition('ContainersReady', 'True').condition('Ready', 'True');
  }
  /** Ready False because containers are not ready. */
  notReady(message = 'containers with unready status: [game]'): this {
    for (const s of this.status.containerStatuses ?? []) s.ready = false;
    this.condition('ContainersReady', 'False', { reason: 'ContainersNotReady', message });
    return this.condition('Ready', 'False', { reason: 'ContainersNotReady', message });
  }
  condition(type: string, status: string, extra: Partial<PodConditionLike> = {}): this {
    const conditions = (this.status.conditions ??= []);
    const next: PodConditionLike = { type, status, lastTransitionTime: T0, ...extra };
    const i = conditions.findIndex((c) => c.type === type);
    if (i >= 0) conditions[i] = next;
    else conditions.push(next);
    return this;
  }
  podReason(reason: string, message?: string): this {
    this.status.reason = reason;
    if (message !== undefined) this.status.message = message;
    return this;
  }
  deleting(at = T0): this {
    this.deletionTimestamp = at;
    return this;
  }
  label(key: string, value: string): this {
    this.labels[key] = value;
    return this;
  }
  annotation(key: string, value: string): this {
    this.annotations[key] = value;
    return this;
  }
  lifecycle(state: string): this {
    return this.label(LIFECYCLE_STATE_LABEL, state);
  }
  /** In-place update: InPlaceUpdateReady False since `since`; images patched at `patchedAt` when given. */
  inPlaceUpdate(since: string, patchedAt?: string): this {
    this.condition(IN_PLACE_UPDATE_READY_CONDITION, 'False', { lastTransitionTime: since });
    if (patchedAt !== undefined) {
      this.annotation(IN_PLACE_UPDATE_STATE_ANNOTATION, JSON.stringify({ revision: 'r2', updateTimestamp: patchedAt }));
    }
    return this;
  }
  /** Replace the containers: [name, image, ports?]. */
  containers(...containers: { name: string; image?: string; ports?: { name?: string; containerPort: number }[] }[]): this {
    this.spec.containers = containers;
    return this;
  }
  containerStatus(name: string, patch: Partial<ContainerStatusLike>): this {
    const statuses = (this.status.containerStatuses ??= []);
    const image = this.spec.containers.find((c) => c.name === name)?.image ?? 'unknown';
    const i = statuses.findIndex((s) => s.name === name);
    const base: ContainerStatusLike = statuses[i] ?? { name, ready: false, restartCount: 0, image, imageID: `${image}@sha256:1` };
    const next = { ...base, ...patch };
    if (i >= 0) statuses[i] = next;
    else statuses.push(next);
    return this;
  }
  initContainerStatus(name: string, patch: Partial<ContainerStatusLike>): this {
    const statuses = (this.status.initContainerStatuses ??= []);
    statuses.push({ name, ready: false, restartCount: 0, image: 'init:v1', imageID: 'init@sha256:1', ...patch });
    return this;
  }
  waiting(container: string, reason: string, message?: string): this {
    return this.containerStatus(container, { ready: false, state: { waiting: { reason, ...(message ? { message } : {}) } } });
  }
  terminated(container: string, exitCode: number, reason: string, message?: string): this {
    return this.containerStatus(container, {
      ready: false,
      state: { terminated: { exitCode, reason, ...(message ? { message } : {}) } },
    });
  }
  /** CrashLoopBackOff with the previous run terminated by Error, exit code 1. */
  crashLooping(container: string): this {
    this.waiting(container, 'CrashLoopBackOff', `back-off 10s restarting failed container=${container}`);
    return this.containerStatus(container, { restartCount: 3, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
  }
  restartPolicy(policy: string): this {
    this.spec.restartPolicy = policy;
    return this;
  }
  readinessGate(conditionType: string): this {
    (this.spec.readinessGates ??= []).push({ conditionType });
    return this;
  }
  onNode(nodeName: string): this {
    this.spec.nodeName = nodeName;
    return this;
  }
  hostNetwork(): this {
    this.spec.hostNetwork = true;
    return this;
  }
  ips(podIP: string | undefined, hostIP?: string): this {
    if (podIP === undefined) delete this.status.podIP;
    else this.status.podIP = podIP;
    if (hostIP !== undefined) this.status.hostIP = hostIP;
    return this;
  }
  claim(volumeName: string, claimName: string): this {
    (this.spec.volumes ??= []).push({ name: volumeName, persistentVolumeClaim: { claimName } });
    return this;
  }
  build(): PodLike {
    return structuredClone({
      metadata: {
        name: this.name,
        namespace: this.namespace,
        uid: `uid-${this.name}`,
        labels: this.labels,
        annotations: this.annotations,
        ...(this.deletionTimestamp ? { deletionTimestamp: this.deletionTimestamp } : {}),
      },
      spec: this.spec,
      status: this.status,
    });
  }
}

export function pod(name = 'gs-0', namespace = 'default'): PodBuilder {
  return new PodBuilder(name, namespace);
}

export function node(name = 'node-1', conditions: Record<string, string | [string, string, string?]> = {}): NodeLike {
  const base: Record<string, string | [string, string, string?]> = {
    Ready: 'True',
    MemoryPressure: 'False',
    DiskPressure: 'False',
    PIDPressure: 'False',
    ...conditions,
  };
  return {
    metadata: { name },
    status: {
      conditions: Object.entries(base).map(([type, v]) => {
        const [status, reason, message] = typeof v === 'string' ? [v] : v;
        return { type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
      }),
    },
  };
}

export function pvc(name: string, volumeName?: string): PersistentVolumeClaimLike {
  return { metadata: { name, namespace: 'default' }, spec: volumeName ? { volumeName } : {} };
}

export function pv(name: string, reason?: string, message?: string): PersistentVolumeLike {
  return { metadata: { name }, status: { ...(reason ? { reason } : {}), ...(message ? { message } : {}) } };
}

export interface GameServerFixture {
  name?: string;
  spec?: GameServerSpecLike;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  status?: GameServerStatusLike;
}

/** A GameServer with OKG's creation defaults (None / 0 / 0 / false) unless overridden. */
export function gameServer(fixture: GameServerFixture = {}): GameServerLike {
  const defaults: GameServerSpecLike = { opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false };
  return structuredClone({
    metadata: { name: fixture.name ?? 'gs-0', namespace: 'default', labels: fixture.labels ?? {}, annotations: fixture.annotations ?? {} },
    spec: { ...defaults, ...fixture.spec },
    ...(fixture.status ? { status: fixture.status } : {}),
  });
}

/** Pod labels as the GameServer controller leaves them after a sync. */
export function syncedLabels(opsState: string, state: string, up: IntOrString = 0, dp: IntOrString = 0): Record<string, string> {
  return {
    [GS_OPS_STATE_LABEL]: opsState,
    [GS_STATE_LABEL]: state,
    [GS_UPDATE_PRIORITY_LABEL]: String(up),
    [GS_DELETE_PRIORITY_LABEL]: String(dp),
    [GS_NETWORK_DISABLED_LABEL]: 'false',
  };
}
