// The API floors: the same objects the operator would write, written directly
// by a small parallel client without a client-side rate limit, timed until
// kwok reports the pods Ready. Nothing watches these namespaces but kwok,
// the scheduler and the controller manager.
import { IN_PLACE_UPDATE_READY, KRUISE_POD_READY, LABELS, LIFECYCLE, API_VERSION, GAME_SERVER_KIND } from '../src/api/constants.js';
import { GAME_SERVER_SETS, GAME_SERVERS, PODS } from '../src/controllers/shared/resources.js';
import { buildPod, type PodTemplateView } from '../src/controllers/game-server-set/plan/index.js';
import type { KubeClient } from '../src/runtime/kube-client.js';
import type { KubeObject } from '../src/runtime/object.js';
import { create, createNamespace, deleteAll, deleteNamespace, parallel, strategicPatch, Tracker } from './kube.js';
import { gameServerSet, podReady, SIDECAR_CONTAINER, sidecarImage, updatedAndReady, type GameServerSetManifest } from './fixtures.js';
import { cpuDelta } from './proc.js';

export interface FloorOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly n: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** CPU seconds used so far by each process of interest (to report the floor's cost by process). */
  readonly cpu?: () => Record<string, number>;
}

export interface FloorRun {
  /** Seconds from the first create until all N pods were Ready. */
  readonly createSeconds: number;
  /** Seconds from the first image patch until all N pods ran the new sidecar image and were Ready. */
  readonly updateSeconds: number;
  /** CPU seconds each process used during the create and the update floor. */
  readonly createCpu?: Record<string, number>;
  readonly updateCpu?: Record<string, number>;
}

/** One repetition of both floors in a fresh namespace, removed afterwards. */
export async function runFloor(options: FloorOptions): Promise<FloorRun> {
  const { client, namespace } = options;
  await createNamespace(client, namespace);
  const set = await create<GameServerSetManifest>(client, GAME_SERVER_SETS, namespace, gameServerSet(namespace, 'floor', 0));
  const pods = new Tracker(client, PODS, [namespace]);
  try {
    await pods.synced();
    const cpuBefore = options.cpu?.();
    const createSeconds = await floorCreate(options, set, pods);
    const cpuCreated = options.cpu?.();
    const updateSeconds = await floorUpdate(options, pods);
    const cpuAfter = options.cpu?.();
    return {
      createSeconds,
      updateSeconds,
      ...(cpuBefore && cpuCreated && cpuAfter ? { createCpu: cpuDelta(cpuBefore, cpuCreated), updateCpu: cpuDelta(cpuCreated, cpuAfter) } : {}),
    };
  } finally {
    await cleanUp(client, namespace, pods, options.timeoutMs).finally(() => pods.stop());
  }
}

async function floorCreate(options: FloorOptions, set: GameServerSetManifest, pods: Tracker): Promise<number> {
  const { client, namespace, n } = options;
  const view = { name: set.metadata.name, namespace, uid: set.metadata.uid ?? '', serviceName: undefined, volumeClaimTemplates: [] };
  const template = set.spec.gameServerTemplate as unknown as PodTemplateView;
  const ordinals = Array.from({ length: n }, (_, i) => i);
  const started = Date.now();
  await parallel(ordinals, options.concurrency, async (ordinal) => {
    const manifest = buildPod(view, ordinal, 'bench-floor', template);
    manifest.metadata.labels[LIFECYCLE.stateLabel] = 'Normal';
    const pod = await create<KubeObject>(client, PODS, namespace, manifest);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await strategicPatch(client, PODS, namespace, manifest.metadata.name, {
      // Both readiness gates every operator pod carries (build-pod.ts), in the one status write a pod needs.
      status: {
        conditions: [
          { type: IN_PLACE_UPDATE_READY, status: 'True', reason: 'NewPod', lastTransitionTime: now },
          { type: KRUISE_POD_READY, status: 'True', lastTransitionTime: now },
        ],
      },
    }, 'status');
    await create(client, GAME_SERVERS, namespace, {
      apiVersion: API_VERSION,
      kind: GAME_SERVER_KIND,
      metadata: {
        name: manifest.metadata.name,
        namespace,
        labels: { [LABELS.ownerGss]: set.metadata.name },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: manifest.metadata.name, uid: pod.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: { opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false },
    });
  });
  const done = await pods.until(`${n} floor pods Ready`, () => countReady(pods) === n, {
    timeoutMs: options.timeoutMs,
    describe: () => `${countReady(pods)} of ${n} Ready`,
  });
  return (done - started) / 1000;
}

async function floorUpdate(options: FloorOptions, pods: Tracker): Promise<number> {
  const { client, namespace, n } = options;
  const image = sidecarImage(2);
  const names = pods.list().map((pod) => pod.metadata?.name ?? '');
  const started = Date.now();
  await parallel(names, options.concurrency, (name) =>
    strategicPatch(client, PODS, namespace, name, { spec: { containers: [{ name: SIDECAR_CONTAINER, image }] } }),
  );
  const updated = () => pods.list().filter((pod) => updatedAndReady(pod, image, false)).length;
  const done = await pods.until(`${n} floor pods updated`, () => updated() === n, {
    timeoutMs: options.timeoutMs,
    describe: () => `${updated()} of ${n} updated and Ready`,
  });
  return (done - started) / 1000;
}

function countReady(pods: Tracker): number {
  return pods.list().filter(podReady).length;
}

async function cleanUp(client: KubeClient, namespace: string, pods: Tracker, timeoutMs: number): Promise<void> {
  await deleteAll(client, GAME_SERVERS, namespace);
  await deleteAll(client, PODS, namespace);
  await pods.until(`floor pods of ${namespace} gone`, () => pods.store.size === 0, { timeoutMs, describe: () => `${pods.store.size} left` });
  await deleteNamespace(client, namespace, timeoutMs);
}
