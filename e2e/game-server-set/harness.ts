// Helpers of the GameServerSet e2e tests: an in-process manager running only
// the GameServerSet controller (so these tests do not depend on the
// GameServer controller), and typed reads of sets, pods and revisions.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { API_VERSION, GAME_SERVER_SET_PLURAL, GROUP, VERSION } from '../../src/api/constants.js';
import type { GameServerSetStatus } from '../../src/api/game-server-set-status.js';
import { registerGameServerSetController } from '../../src/controllers/game-server-set/index.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Manager } from '../../src/runtime/manager.js';
import { adminKubeConfig } from '../support/env.js';
import { kubectl } from '../support/kubectl.js';
import { startTestManager, type TestOperator } from '../support/operator.js';

export type SetController = TestOperator;

/** Runs a manager with only the GameServerSet controller, watching `namespaces`. */
export function startSetController(namespaces: readonly string[], nodeLossTimeoutMs = 0): SetController {
  return startTestManager({ namespaces }, (parts) => {
    const manager = new Manager({ ...parts, metrics: new Metrics(), serveHttp: false });
    registerGameServerSetController(manager, { workers: 2, nodeLossTimeoutMs });
    return manager;
  });
}

export interface GameServerSetObject {
  metadata: { name: string; uid: string; generation: number; resourceVersion: string };
  spec: { replicas: number; reserveGameServerIds?: (number | string)[] };
  status?: GameServerSetStatus;
}

export const core = (): CoreV1Api => adminKubeConfig().makeApiClient(CoreV1Api);
export const apps = (): AppsV1Api => adminKubeConfig().makeApiClient(AppsV1Api);
const custom = (): CustomObjectsApi => adminKubeConfig().makeApiClient(CustomObjectsApi);

export async function readSet(namespace: string, name: string): Promise<GameServerSetObject> {
  return (await custom().getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: GAME_SERVER_SET_PLURAL, name })) as GameServerSetObject;
}

/** A set of `replicas` with a game container and a sidecar; `spec` is merged over the defaults. */
export function gameServerSet(name: string, replicas: number, spec: Record<string, unknown> = {}, containers?: unknown[]): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: 'GameServerSet',
    metadata: { name },
    spec: {
      replicas,
      gameServerTemplate: {
        metadata: { labels: { app: name }, annotations: { 'example.com/note': 'from-template' } },
        spec: {
          containers: containers ?? [
            { name: 'game', image: 'example.com/game:1.0' },
            { name: 'sidecar', image: 'example.com/sidecar:0.1' },
          ],
        },
      },
      ...spec,
    },
  };
}

export async function applySet(namespace: string, object: Record<string, unknown>): Promise<void> {
  await kubectl(['apply', '-n', namespace, '-f', '-'], { input: JSON.stringify(object) });
}

export async function patchSet(namespace: string, name: string, patch: unknown, type: 'merge' | 'json' = 'merge'): Promise<void> {
  await kubectl(['patch', 'gss', name, '-n', namespace, `--type=${type}`, '-p', JSON.stringify(patch)]);
}

/** Live (non-terminating) pods of the set, by name. */
export async function livePods(namespace: string, set: string): Promise<Map<string, V1Pod>> {
  const list = await core().listNamespacedPod({ namespace, labelSelector: `game.kruise.io/owner-gss=${set}` });
  return new Map(list.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => [p.metadata?.name ?? '', p]));
}

export const isReady = (pod: V1Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export const sorted = (names: Iterable<string>): string[] => [...names].sort();

/** The pods of the set are exactly `names`, each Running and Ready; returns them. */
export async function podsReady(namespace: string, set: string, names: readonly string[]): Promise<Map<string, V1Pod> | false> {
  const pods = await livePods(namespace, set);
  if (JSON.stringify(sorted(pods.keys())) !== JSON.stringify(sorted(names))) return false;
  return [...pods.values()].every((p) => p.status?.phase === 'Running' && isReady(p)) ? pods : false;
}

export function containerStatus(pod: V1Pod, name: string) {
  return pod.status?.containerStatuses?.find((c) => c.name === name);
}

export function uids(pods: Map<string, V1Pod>): Record<string, string | undefined> {
  return Object.fromEntries([...pods].map(([name, pod]) => [name, pod.metadata?.uid]));
}

export async function setPodLabel(namespace: string, pod: string, key: string, value: string): Promise<void> {
  await kubectl(['label', 'pod', pod, '-n', namespace, '--overwrite', `${key}=${value}`]);
}

/** Events about the set, as `reason: message`. */
export async function setEvents(namespace: string, name: string): Promise<{ type?: string; reason?: string; message?: string; count?: number }[]> {
  const list = await core().listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name},involvedObject.kind=GameServerSet` });
  return list.items;
}
