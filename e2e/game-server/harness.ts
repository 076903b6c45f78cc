// What the GameServer e2e tests share: an in-process manager with only the
// GameServer controller registered (pods are made by the tests, as the
// GameServerSet controller would make them), and builders for sets and pods.
import { CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { API_VERSION, GAME_SERVER_PLURAL, GAME_SERVER_SET_KIND, GAME_SERVER_SET_PLURAL, GROUP, LABELS, VERSION } from '../../src/api/constants.js';
import { registerGameServerController, type GameServerControllerOptions } from '../../src/controllers/game-server/index.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Manager } from '../../src/runtime/manager.js';
import { adminKubeConfig, kubectl, startTestManager, type TestOperator } from '../support/index.js';

export type RunningController = TestOperator;

/** Runs a manager with only the GameServer controller, watching `namespace`. */
export function startGameServerController(namespace: string, options: Partial<GameServerControllerOptions> = {}): RunningController {
  return startTestManager({ namespaces: [namespace] }, (parts) => {
    const manager = new Manager({ ...parts, metrics: new Metrics(), serveHttp: false });
    registerGameServerController(manager, { workers: 4, probeConcurrency: 8, ...options });
    return manager;
  });
}

export const core = (): CoreV1Api => adminKubeConfig().makeApiClient(CoreV1Api);
const custom = (): CustomObjectsApi => adminKubeConfig().makeApiClient(CustomObjectsApi);

export interface SetOptions {
  readonly reclaimPolicy?: 'Cascade' | 'Delete';
  readonly serviceQualities?: readonly object[];
  readonly templateLabels?: Record<string, string>;
}

export interface CreatedSet {
  readonly name: string;
  readonly uid: string;
}

/** A GameServerSet object; no GameServerSet controller runs, so it makes no pods itself. */
export async function createSet(namespace: string, name: string, options: SetOptions = {}): Promise<CreatedSet> {
  const body = {
    apiVersion: API_VERSION,
    kind: GAME_SERVER_SET_KIND,
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      gameServerTemplate: {
        metadata: { labels: { app: name, ...options.templateLabels } },
        spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] },
        reclaimPolicy: options.reclaimPolicy ?? 'Cascade',
      },
      ...(options.serviceQualities ? { serviceQualities: options.serviceQualities } : {}),
    },
  };
  const created = (await custom().createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: GAME_SERVER_SET_PLURAL, body })) as {
    metadata: { uid: string };
  };
  return { name, uid: created.metadata.uid };
}

/** Pod `<set>-<id>` as the GameServerSet controller makes it: owner-gss label, controller reference to the set. */
export async function createPod(namespace: string, set: CreatedSet, id: number, options: { readonly hostNetwork?: boolean } = {}): Promise<V1Pod> {
  return core().createNamespacedPod({
    namespace,
    body: {
      metadata: {
        name: `${set.name}-${id}`,
        namespace,
        labels: { [LABELS.ownerGss]: set.name, app: set.name },
        ownerReferences: [{ apiVersion: API_VERSION, kind: GAME_SERVER_SET_KIND, name: set.name, uid: set.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        containers: [{ name: 'game', image: 'example.com/game:1.0', ports: [{ name: 'http', containerPort: 80 }] }],
        ...(options.hostNetwork ? { hostNetwork: true } : {}),
      },
    },
  });
}

export interface GameServerView {
  metadata: { name: string; uid: string; labels?: Record<string, string>; ownerReferences?: { kind: string; name: string; uid: string }[] };
  spec: { opsState?: string; deletionPriority?: number | string; containers?: unknown[] };
  status?: {
    currentState?: string;
    deletionPriority?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    serviceQualitiesConditions?: { name: string; status?: string; result?: string; lastActionTransitionTime?: string }[];
  };
}

export async function getGameServer(namespace: string, name: string): Promise<GameServerView> {
  return (await custom().getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: GAME_SERVER_PLURAL, name })) as GameServerView;
}

export async function gameServerExists(namespace: string, name: string): Promise<boolean> {
  const out = await kubectl(['-n', namespace, 'get', 'gs', '--ignore-not-found', '-o', 'name', name]);
  return out.trim() !== '';
}

export async function podLabels(namespace: string, name: string): Promise<Record<string, string>> {
  return (await core().readNamespacedPod({ namespace, name })).metadata?.labels ?? {};
}

export interface EventView {
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string; apiVersion?: string; uid?: string };
  count?: number;
}

/** Events as kube-eventer reads them: core/v1 Events, filtered by type and involved kind. */
export async function gameServerEvents(namespace: string, type: 'Warning' | 'Normal'): Promise<EventView[]> {
  const out = await kubectl(['-n', namespace, 'get', 'events', '--field-selector', `type=${type},involvedObject.kind=GameServer`, '-o', 'json']);
  return (JSON.parse(out) as { items: EventView[] }).items;
}
