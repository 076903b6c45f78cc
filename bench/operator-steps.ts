// The operator's side of the benchmark: scale-up, in-place update and
// scale-down by priority of one GameServerSet, timed through watches.
import { GAME_SERVER_SETS, GAME_SERVERS, PODS } from '../src/controllers/shared/resources.js';
import type { KubeClient } from '../src/runtime/kube-client.js';
import type { KubeObject } from '../src/runtime/object.js';
import { MilestoneRecorder, StatusFieldChanges, type MilestoneTimes } from './milestones.js';
import {
  GAME_CONTAINER,
  inPlaceUpdateReady,
  scheduled,
  specImage,
  GAME_IMAGE,
  gameServerReady,
  gameServerSet,
  opsStateLabel,
  podReady,
  runningImage,
  setStatus,
  shuffled,
  SIDECAR_CONTAINER,
  sidecarImage,
  terminating,
  updatedAndReady,
} from './fixtures.js';
import { create, createNamespace, deleteAll, deleteNamespace, mergePatch, parallel, sleep, Tracker, until } from './kube.js';

export const SET_NAME = 'bench';

export interface StepContext {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly n: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  /** Throws when the operator process has died. */
  readonly alive: () => void;
  readonly log: (message: string) => void;
  /** How long the scale-down waits for the opsState marks on the pods before scaling anyway (default 60 s; the peer at 5 QPS needs longer). */
  readonly markTimeoutMs?: number;
}

export interface ScaleDownResult {
  readonly seconds: number;
  readonly waitToBeDeleted: number;
  readonly allocated: number;
  /** WaitToBeDeleted servers still there after the scale-down (want 0). */
  readonly waitToBeDeletedKept: number;
  /** Allocated servers deleted by the scale-down (want 0). */
  readonly allocatedDeleted: number;
  /** Whether the GS controller mirrored every mark onto the pod labels before the scale-down (not timed). */
  readonly marksOnPods: boolean;
}

export interface RepResult {
  readonly scaleUpSeconds: number;
  readonly updateSeconds: number;
  readonly scaleDown: ScaleDownResult;
}

/** The trackers of one namespace. */
export class Watched {
  readonly pods: Tracker;
  readonly gameServers: Tracker;
  readonly sets: Tracker;

  constructor(client: KubeClient, namespace: string) {
    this.pods = new Tracker(client, PODS, [namespace]);
    this.gameServers = new Tracker(client, GAME_SERVERS, [namespace]);
    this.sets = new Tracker(client, GAME_SERVER_SETS, [namespace]);
  }

  async synced(): Promise<void> {
    await Promise.all([this.pods.synced(), this.gameServers.synced(), this.sets.synced()]);
  }

  set(): KubeObject | undefined {
    return this.sets.list()[0];
  }

  livePods(): KubeObject[] {
    return this.pods.list().filter((pod) => !terminating(pod));
  }

  readyGameServers(): number {
    return this.gameServers.list().filter((gs) => !terminating(gs) && gameServerReady(gs)).length;
  }

  /** Resolves when every tracker has been quiet for `quietMs` (bounded by `timeoutMs`). */
  async quiet(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = this.fingerprint();
    let since = Date.now();
    while (Date.now() < deadline) {
      await sleep(250);
      const now = this.fingerprint();
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return;
    }
  }

  /** Sum of the resource versions seen: changes when any object changes. */
  fingerprint(): string {
    let total = 0n;
    for (const tracker of [this.pods, this.gameServers, this.sets]) {
      for (const object of tracker.list()) total += BigInt(object.metadata?.resourceVersion ?? '0');
      total += BigInt(tracker.store.size) << 64n;
    }
    return total.toString();
  }

  async stop(): Promise<void> {
    await Promise.all([this.pods.stop(), this.gameServers.stop(), this.sets.stop()]);
  }
}

/** Creates the namespace and an empty set, and waits until the operator has seen it (status.observedGeneration). */
export async function prepareSet(context: StepContext, watched: Watched, replicas = 0): Promise<void> {
  const { client, namespace } = context;
  await createNamespace(client, namespace);
  await watched.synced();
  await create(client, GAME_SERVER_SETS, namespace, gameServerSet(namespace, SET_NAME, replicas));
  await until([watched.sets], 'the operator to observe the GameServerSet', () => (setStatus(watched.set()).observedGeneration ?? 0) >= 1, {
    timeoutMs: 60_000,
    alive: context.alive,
    describe: () => `status ${JSON.stringify(setStatus(watched.set()))}`,
  });
}

export interface TimedStep {
  readonly seconds: number;
  /** When the objects reached each milestone of the step (seconds after its start). */
  readonly milestones: Record<string, MilestoneTimes>;
  /** GameServer status fields changed per server during the step. */
  readonly gameServerStatusChanges: Record<string, number>;
}

/** 0 → N: seconds until status.readyReplicas = N and all N GameServers report Ready. */
export async function scaleUp(context: StepContext, watched: Watched, replicas: number): Promise<TimedStep> {
  const milestones = new MilestoneRecorder([
    { name: 'pod created', tracker: watched.pods, reached: () => true },
    { name: 'pod scheduled', tracker: watched.pods, reached: scheduled },
    { name: 'pod InPlaceUpdateReady', tracker: watched.pods, reached: inPlaceUpdateReady },
    { name: 'pod Ready', tracker: watched.pods, reached: podReady },
    { name: 'GameServer created', tracker: watched.gameServers, reached: () => true },
    { name: 'GameServer Ready', tracker: watched.gameServers, reached: gameServerReady },
  ]);
  const statusChanges = new StatusFieldChanges(watched.gameServers);
  const started = Date.now();
  milestones.start(started);
  statusChanges.start();
  await mergePatch(context.client, GAME_SERVER_SETS, context.namespace, SET_NAME, { spec: { replicas } });
  const done = () =>
    setStatus(watched.set()).readyReplicas === replicas &&
    watched.livePods().filter(podReady).length === replicas &&
    watched.readyGameServers() === replicas;
  const finished = await waitAll(context, watched, `scale-up to ${replicas}`, done, () =>
    `readyReplicas ${setStatus(watched.set()).readyReplicas}, ready pods ${watched.livePods().filter(podReady).length}, Ready GameServers ${watched.readyGameServers()}`,
  );
  return { seconds: (finished - started) / 1000, milestones: milestones.stop(replicas), gameServerStatusChanges: statusChanges.stop(replicas) };
}

/** Sidecar image 1 → 2 in place with maxUnavailable 100%: seconds until every pod runs it, Ready, lifecycle Normal, and the status agrees. */
export async function updateSidecar(context: StepContext, watched: Watched): Promise<TimedStep> {
  const { n } = context;
  const image = sidecarImage(2);
  const milestones = new MilestoneRecorder([
    { name: 'pod not ready (PreparingUpdate)', tracker: watched.pods, reached: (pod) => !inPlaceUpdateReady(pod) },
    { name: 'pod spec has the new image', tracker: watched.pods, reached: (pod) => specImage(pod, SIDECAR_CONTAINER) === image },
    { name: 'new image running', tracker: watched.pods, reached: (pod) => runningImage(pod, SIDECAR_CONTAINER) === image },
    { name: 'pod updated and Ready', tracker: watched.pods, reached: (pod) => updatedAndReady(pod, image, true) },
  ]);
  const statusChanges = new StatusFieldChanges(watched.gameServers);
  const started = Date.now();
  milestones.start(started);
  statusChanges.start();
  await mergePatch(context.client, GAME_SERVER_SETS, context.namespace, SET_NAME, {
    spec: {
      gameServerTemplate: {
        spec: {
          containers: [
            { name: GAME_CONTAINER, image: GAME_IMAGE },
            { name: SIDECAR_CONTAINER, image },
          ],
        },
      },
    },
  });
  const updated = () => watched.livePods().filter((pod) => updatedAndReady(pod, image, true)).length;
  const done = () => {
    const status = setStatus(watched.set());
    return updated() === n && status.updatedReadyReplicas === n && status.readyReplicas === n && watched.readyGameServers() === n;
  };
  const finished = await waitAll(context, watched, 'the in-place sidecar update', done, () => {
    const status = setStatus(watched.set());
    return `updated and Ready pods ${updated()}, updatedReadyReplicas ${status.updatedReadyReplicas}, Ready GameServers ${watched.readyGameServers()}`;
  });
  return { seconds: (finished - started) / 1000, milestones: milestones.stop(n), gameServerStatusChanges: statusChanges.stop(n) };
}

/** N → N/2 with a random tenth WaitToBeDeleted and a tenth Allocated. */
export async function scaleDownByPriority(context: StepContext, watched: Watched, seed: number): Promise<ScaleDownResult> {
  const { client, namespace, n } = context;
  const target = Math.floor(n / 2);
  const names = watched.livePods().map((pod) => pod.metadata?.name ?? '');
  const tenth = Math.max(1, Math.floor(n / 10));
  const order = shuffled(names, seed);
  const waitToBeDeleted = new Set(order.slice(0, tenth));
  const allocated = new Set(order.slice(tenth, 2 * tenth));
  const marks = new Map<string, string>([...[...waitToBeDeleted].map((name) => [name, 'WaitToBeDeleted'] as const), ...[...allocated].map((name) => [name, 'Allocated'] as const)]);
  await parallel([...marks], context.concurrency, ([name, opsState]) => mergePatch(client, GAME_SERVERS, namespace, name, { spec: { opsState } }));
  const mirrored = () => [...marks].every(([name, opsState]) => opsStateLabel(watched.pods.store.getByName(namespace, name) ?? {}) === opsState);
  const markTimeoutMs = context.markTimeoutMs ?? 60_000;
  const marksOnPods = await until([watched.pods], 'opsState marks on the pods', mirrored, { timeoutMs: markTimeoutMs, alive: context.alive })
    .then(() => true)
    .catch(() => false);
  if (!marksOnPods) context.log(`the GameServer controller did not mirror every opsState onto its pod within ${markTimeoutMs / 1000} s; scaling down anyway`);

  const started = Date.now();
  await mergePatch(client, GAME_SERVER_SETS, namespace, SET_NAME, { spec: { replicas: target } });
  const done = () => {
    const status = setStatus(watched.set());
    return watched.pods.store.size === target && status.replicas === target && status.readyReplicas === target;
  };
  const finished = await waitAll(context, watched, `scale-down to ${target}`, done, () => {
    const status = setStatus(watched.set());
    return `pods ${watched.pods.store.size} (${watched.livePods().length} not terminating), status.replicas ${status.replicas}, readyReplicas ${status.readyReplicas}`;
  });
  const remaining = new Set(watched.pods.list().map((pod) => pod.metadata?.name ?? ''));
  return {
    seconds: (finished - started) / 1000,
    waitToBeDeleted: waitToBeDeleted.size,
    allocated: allocated.size,
    waitToBeDeletedKept: [...waitToBeDeleted].filter((name) => remaining.has(name)).length,
    allocatedDeleted: [...allocated].filter((name) => !remaining.has(name)).length,
    marksOnPods,
  };
}

/** Scales the set to 0 through the operator, then removes what is left and the namespace (not timed). */
export async function tearDown(context: StepContext, watched: Watched): Promise<void> {
  const { client, namespace } = context;
  try {
    await mergePatch(client, GAME_SERVER_SETS, namespace, SET_NAME, { spec: { replicas: 0 } });
    await watched.pods.until('pods gone after scaling to 0', () => watched.pods.store.size === 0, { timeoutMs: context.timeoutMs, alive: context.alive });
  } catch (error) {
    context.log(`tear-down through the operator failed (${error instanceof Error ? error.message : String(error)}); deleting directly`);
    await deleteAll(client, PODS, namespace).catch(() => undefined);
    await watched.pods.until('pods gone', () => watched.pods.store.size === 0, { timeoutMs: context.timeoutMs }).catch(() => undefined);
  }
  await deleteAll(client, GAME_SERVER_SETS, namespace).catch(() => undefined);
  await deleteAll(client, GAME_SERVERS, namespace).catch(() => undefined);
  const seconds = await deleteNamespace(client, namespace, context.timeoutMs);
  context.log(`namespace ${namespace} gone after ${seconds.toFixed(1)} s`);
}

async function waitAll(context: StepContext, watched: Watched, what: string, done: () => boolean, describe: () => string): Promise<number> {
  return until([watched.pods, watched.gameServers, watched.sets], what, done, { timeoutMs: context.timeoutMs, alive: context.alive, describe });
}
