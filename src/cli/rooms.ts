// What the plugin reads: GameServers (rooms), their pods and sets, as one
// row per room. Built from three list calls per namespace, never one call
// per room.
import { API_VERSION, GAME_SERVER_PLURAL, GAME_SERVER_SET_PLURAL, LABELS, WORKLOAD_LABELS } from '../api/constants.js';
import type { GameServerStatus } from '../api/game-server.js';
import type { GameServerSetStatus } from '../api/game-server-set-status.js';
import { HttpMethod, type KubeClient } from '../runtime/kube-client.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface GameServerObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { opsState?: string; deletionPriority?: number | string; updatePriority?: number | string; networkDisabled?: boolean };
  status?: GameServerStatus;
}

export interface GameServerSetObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    reserveGameServerIds?: (number | string)[];
    updateStrategy?: { type?: string; rollingUpdate?: unknown };
    gameServerTemplate?: { spec?: { containers?: { name: string; image?: string }[] } };
  };
  status?: GameServerSetStatus;
}

export interface PodObject {
  metadata: ObjectMeta;
  spec?: { nodeName?: string; containers?: { name: string; image?: string }[] };
  status?: { podIP?: string; phase?: string };
}

interface List<T> {
  items: T[];
}

/** Where objects of `plural` are listed: one namespace, or all with `undefined`. */
export function collectionPath(plural: string, namespace: string | undefined): string {
  const base = plural === 'pods' || plural === 'events' ? '/api/v1' : `/apis/${API_VERSION}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`;
}

export function objectPath(plural: string, namespace: string, name: string): string {
  return `${collectionPath(plural, namespace)}/${encodeURIComponent(name)}`;
}

export async function listObjects<T>(client: KubeClient, plural: string, namespace: string | undefined, labelSelector?: string, fieldSelector?: string): Promise<T[]> {
  const query = { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
  return (await client.request<List<T>>(HttpMethod.GET, collectionPath(plural, namespace), { query })).items;
}

export async function getObject<T>(client: KubeClient, plural: string, namespace: string, name: string): Promise<T> {
  return client.request<T>(HttpMethod.GET, objectPath(plural, namespace, name));
}

/** One room as the plugin shows it. */
export interface Room {
  readonly namespace: string;
  readonly name: string;
  readonly set: string;
  readonly state: string;
  readonly opsState: string;
  readonly deletionPriority: string;
  readonly updatePriority: string;
  /** "new" at the set's updateRevision, "old" otherwise, "" when unknown (no pod, no set status). */
  readonly revision: 'new' | 'old' | '';
  readonly node: string;
  readonly address: string;
  readonly createdAt: string | undefined;
  /** Image of each container of the pod (empty without a pod). */
  readonly images: Readonly<Record<string, string>>;
  readonly gameServer: GameServerObject;
}

const key = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** Rows of `gameServers`, joined with their pods and sets (pure). */
export function buildRooms(gameServers: readonly GameServerObject[], pods: readonly PodObject[], sets: readonly GameServerSetObject[]): Room[] {
  const podsByKey = new Map(pods.map((pod) => [key(pod.metadata.namespace, pod.metadata.name), pod]));
  const setsByKey = new Map(sets.map((set) => [key(set.metadata.namespace, set.metadata.name), set]));
  return gameServers.map((gs) => {
    const namespace = gs.metadata.namespace ?? '';
    const set = gs.metadata.labels?.[LABELS.ownerGss] ?? '';
    const pod = podsByKey.get(key(namespace, gs.metadata.name));
    const updateRevision = setsByKey.get(key(namespace, set))?.status?.updateRevision;
    const podRevision = pod?.metadata.labels?.[WORKLOAD_LABELS.controllerRevisionHash];
    return {
      namespace,
      name: gs.metadata.name,
      set,
      state: gs.status?.currentState ?? '',
      opsState: gs.spec?.opsState ?? 'None',
      deletionPriority: String(gs.spec?.deletionPriority ?? 0),
      updatePriority: String(gs.spec?.updatePriority ?? 0),
      revision: !podRevision || !updateRevision ? '' : podRevision === updateRevision ? 'new' : 'old',
      node: pod?.spec?.nodeName ?? gs.metadata.labels?.[LABELS.nodeName] ?? '',
      address: roomAddress(gs, pod),
      createdAt: gs.metadata.creationTimestamp,
      images: Object.fromEntries((pod?.spec?.containers ?? []).map((container) => [container.name, container.image ?? ''])),
      gameServer: gs,
    };
  });
}

/** The external address players connect to (first ip:port), else the pod IP. */
export function roomAddress(gs: GameServerObject, pod: PodObject | undefined): string {
  const external = gs.status?.networkStatus?.externalAddresses?.[0];
  if (external) {
    const port = external.ports?.[0]?.port ?? external.portRange?.portRange;
    return port !== undefined ? `${external.ip}:${port}` : external.ip;
  }
  return pod?.status?.podIP ?? '';
}

export interface RoomQuery {
  /** undefined = all namespaces. */
  readonly namespace: string | undefined;
  readonly set?: string;
  readonly labelSelector?: string;
  /** Exact names (in `namespace`); empty = all matching. */
  readonly names?: readonly string[];
}

/** Label selector of the rooms of `set` and/or `labelSelector`. */
export function roomSelector(set: string | undefined, labelSelector: string | undefined): string | undefined {
  const parts = [set ? `${LABELS.ownerGss}=${set}` : undefined, labelSelector || undefined].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(',') : undefined;
}

export async function listRooms(client: KubeClient, query: RoomQuery): Promise<Room[]> {
  const selector = roomSelector(query.set, query.labelSelector);
  const [gameServers, pods, sets] = await Promise.all([
    listObjects<GameServerObject>(client, GAME_SERVER_PLURAL, query.namespace, selector),
    listObjects<PodObject>(client, 'pods', query.namespace, roomSelector(query.set, undefined) ?? LABELS.ownerGss),
    listObjects<GameServerSetObject>(client, GAME_SERVER_SET_PLURAL, query.namespace),
  ]);
  const names = query.names && query.names.length > 0 ? new Set(query.names) : undefined;
  const wanted = names ? gameServers.filter((gs) => names.has(gs.metadata.name)) : gameServers;
  return buildRooms(wanted, pods, sets).sort((a, b) => a.namespace.localeCompare(b.namespace) || compareRoomNames(a.name, b.name));
}

/** `web-2` before `web-10`: names compared with their trailing ordinal as a number. */
export function compareRoomNames(a: string, b: string): number {
  const split = (name: string): [string, number] => {
    const match = /^(.*?)(\d+)$/.exec(name);
    return match ? [match[1]!, Number(match[2])] : [name, -1];
  };
  const [prefixA, ordinalA] = split(a);
  const [prefixB, ordinalB] = split(b);
  return prefixA.localeCompare(prefixB) || ordinalA - ordinalB;
}
