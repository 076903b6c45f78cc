// What the benchmark creates: a GameServerSet of two containers (a game
// server and a sidecar whose image the update step changes), and the facts
// it reads back from pods and GameServers.
import { API_VERSION, GAME_SERVER_SET_KIND, IN_PLACE_UPDATE_READY, LABELS, LIFECYCLE } from '../src/api/constants.js';
import type { KubeObject } from '../src/runtime/object.js';

export const GAME_CONTAINER = 'game';
export const SIDECAR_CONTAINER = 'sidecar';
export const GAME_IMAGE = 'bench.local/game:1';
export const sidecarImage = (version: number) => `bench.local/sidecar:${version}`;

/** Lines of the exec probe's log, written by kwok's local exec in the ClusterExec work directory. */
export const PROBE_LOG = 'bench-probes.log';
export const PROBE_NAME = 'bench';
export const PROBE_PERIOD_SECONDS = 10;

export interface GameServerSetManifest extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid?: string };
  spec: {
    replicas: number;
    gameServerTemplate: { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } };
    updateStrategy: { rollingUpdate: { podUpdatePolicy: string; maxUnavailable: string } };
    serviceQualities?: unknown[];
  };
}

export function gameServerSet(namespace: string, name: string, replicas: number): GameServerSetManifest {
  return {
    apiVersion: API_VERSION,
    kind: GAME_SERVER_SET_KIND,
    metadata: { name, namespace },
    spec: {
      replicas,
      gameServerTemplate: {
        metadata: { labels: { app: 'bench' } },
        spec: {
          containers: [
            { name: GAME_CONTAINER, image: GAME_IMAGE },
            { name: SIDECAR_CONTAINER, image: sidecarImage(1) },
          ],
        },
      },
      updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '100%' } },
    },
  };
}

/** The exec service-quality probe of step 7: appends a line to PROBE_LOG every period (kwok runs it on the host). */
export function execProbe(periodSeconds = PROBE_PERIOD_SECONDS): unknown {
  return {
    name: PROBE_NAME,
    containerName: GAME_CONTAINER,
    permanent: false,
    periodSeconds,
    timeoutSeconds: 5,
    exec: { command: ['sh', '-c', `echo x >> ${PROBE_LOG}`] },
    serviceQualityAction: [{ state: true, opsState: 'None' }],
  };
}

type Condition = { type?: string; status?: string };
type ContainerStatus = { name?: string; image?: string; ready?: boolean };
type PodLike = KubeObject & {
  spec?: { containers?: { name?: string; image?: string }[] };
  status?: { conditions?: Condition[]; containerStatuses?: ContainerStatus[] };
};

export function podReady(pod: KubeObject): boolean {
  return ((pod as PodLike).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function terminating(object: KubeObject): boolean {
  return Boolean(object.metadata?.deletionTimestamp);
}

/** The image a container of the pod runs (from its status, as kwok reports it). */
export function runningImage(pod: KubeObject, container: string): string | undefined {
  return (pod as PodLike).status?.containerStatuses?.find((s) => s.name === container)?.image;
}

/** The sidecar image the pod's spec asks for. */
export function specImage(pod: KubeObject, container: string): string | undefined {
  return (pod as PodLike).spec?.containers?.find((c) => c.name === container)?.image;
}

export function scheduled(pod: KubeObject): boolean {
  return Boolean((pod as PodLike & { spec?: { nodeName?: string } }).spec?.nodeName);
}

export function inPlaceUpdateReady(pod: KubeObject): boolean {
  return ((pod as PodLike).status?.conditions ?? []).some((c) => c.type === IN_PLACE_UPDATE_READY && c.status === 'True');
}

/** Ready, running `image` in the sidecar, and (when the operator updates it) back to lifecycle Normal. */
export function updatedAndReady(pod: KubeObject, image: string, checkLifecycle: boolean): boolean {
  if (!podReady(pod) || runningImage(pod, SIDECAR_CONTAINER) !== image) return false;
  return !checkLifecycle || (pod.metadata?.labels?.[LIFECYCLE.stateLabel] ?? 'Normal') === 'Normal';
}

export function gameServerReady(gs: KubeObject): boolean {
  return (gs as KubeObject & { status?: { currentState?: string } }).status?.currentState === 'Ready';
}

export function opsStateLabel(pod: KubeObject): string | undefined {
  return pod.metadata?.labels?.[LABELS.gsOpsState];
}

export interface SetStatus {
  replicas?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
  updatedReadyReplicas?: number;
  observedGeneration?: number;
}

export function setStatus(set: KubeObject | undefined): SetStatus {
  if (!set) return {};
  return (set as KubeObject & { status?: SetStatus }).status ?? {};
}

/** Deterministic shuffle (mulberry32) so a run's random marks can be reproduced from its seed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
