// The shared caches both controllers read. Each is requested here, with one
// selector, one transform and its indexes, so the GameServerSet and the
// GameServer controller get the very same informer from the manager.
import type { V1Node, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { LABELS } from '../../api/constants.js';
import type { Manager } from '../../runtime/manager.js';
import type { KubeObject } from '../../runtime/object.js';
import type { SharedInformer } from '../../runtime/informer.js';
import { byControllerUid, byLabel, byNamespace, byNodeName, CONTROLLER_UID_INDEX, labelIndexName, NAMESPACE_INDEX, NODE_NAME_INDEX } from '../../runtime/store.js';
import { CONTROLLER_REVISIONS, GAME_SERVER_SETS, GAME_SERVERS, NODES, PERSISTENT_VOLUME_CLAIMS, PODS } from './resources.js';

/**
 * An object as the cache holds it: client-node's model shape with every
 * `Date` as the RFC 3339 string that came off the wire.
 */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** Cached objects are plain JSON; the controllers parse GameServers and sets with the API's zod schemas. */
export type CachedPod = Wire<V1Pod>;
export type CachedNode = Wire<V1Node>;
export type CachedClaim = Wire<V1PersistentVolumeClaim>;
export interface CachedObject extends KubeObject {
  readonly spec?: unknown;
  readonly status?: unknown;
  readonly data?: unknown;
  readonly revision?: number;
}

/** Index of pods, GameServers and claims by their GameServerSet (label game.kruise.io/owner-gss). */
export const OWNER_GSS_INDEX = labelIndexName(LABELS.ownerGss);
export { CONTROLLER_UID_INDEX, NAMESPACE_INDEX, NODE_NAME_INDEX };

/**
 * Pods of game-server sets only (label game.kruise.io/owner-gss present). The
 * cache drops what neither controller reads, to keep memory flat at
 * thousands of pods.
 */
export function podInformer(manager: Manager): SharedInformer<CachedPod> {
  return manager.informer<CachedPod>(PODS, {
    labelSelector: LABELS.ownerGss,
    transform: stripPod,
    indexes: {
      [NAMESPACE_INDEX]: byNamespace,
      [OWNER_GSS_INDEX]: byLabel(LABELS.ownerGss),
      [NODE_NAME_INDEX]: byNodeName,
      [CONTROLLER_UID_INDEX]: byControllerUid,
    },
  });
}

export function gameServerSetInformer(manager: Manager): SharedInformer<CachedObject> {
  return manager.informer<CachedObject>(GAME_SERVER_SETS, { indexes: { [NAMESPACE_INDEX]: byNamespace } });
}

export function gameServerInformer(manager: Manager): SharedInformer<CachedObject> {
  return manager.informer<CachedObject>(GAME_SERVERS, {
    indexes: { [NAMESPACE_INDEX]: byNamespace, [OWNER_GSS_INDEX]: byLabel(LABELS.ownerGss), [CONTROLLER_UID_INDEX]: byControllerUid },
  });
}

export function nodeInformer(manager: Manager): SharedInformer<CachedNode> {
  return manager.informer<CachedNode>(NODES, { transform: stripNode });
}

export function controllerRevisionInformer(manager: Manager): SharedInformer<CachedObject> {
  return manager.informer<CachedObject>(CONTROLLER_REVISIONS, {
    labelSelector: LABELS.ownerGss,
    indexes: { [CONTROLLER_UID_INDEX]: byControllerUid, [OWNER_GSS_INDEX]: byLabel(LABELS.ownerGss) },
  });
}

export function claimInformer(manager: Manager): SharedInformer<CachedClaim> {
  return manager.informer<CachedClaim>(PERSISTENT_VOLUME_CLAIMS, {
    labelSelector: LABELS.ownerGss,
    indexes: { [OWNER_GSS_INDEX]: byLabel(LABELS.ownerGss) },
  });
}

/**
 * Keeps of a pod's spec what the controllers read (node, containers' names,
 * images and ports, readiness gates, restart policy, host network, claimed
 * volumes) and drops status fields no planner reads (of a container's last
 * state only why it terminated, which PodNormal reports). The controllers only
 * patch pods, never write back a cached copy, so nothing dropped is lost.
 * Rebuilt rather than `delete`d: deleting keys turns an object into a
 * slower, larger dictionary.
 */
export function stripPod(pod: CachedPod): CachedPod {
  const spec = pod.spec;
  const stripped: CachedPod = { ...pod };
  if (spec) {
    const claims = (spec.volumes ?? []).filter((volume) => volume.persistentVolumeClaim);
    stripped.spec = {
      containers: spec.containers.map((c) => ({ name: c.name, ...(c.image !== undefined ? { image: c.image } : {}), ...(c.ports ? { ports: c.ports } : {}) })),
      ...(spec.nodeName !== undefined ? { nodeName: spec.nodeName } : {}),
      ...(spec.readinessGates ? { readinessGates: spec.readinessGates } : {}),
      ...(spec.restartPolicy !== undefined ? { restartPolicy: spec.restartPolicy } : {}),
      ...(spec.hostNetwork !== undefined ? { hostNetwork: spec.hostNetwork } : {}),
      ...(claims.length > 0 ? { volumes: claims.map(({ name, persistentVolumeClaim }) => ({ name, persistentVolumeClaim })) } : {}),
    };
  }
  if (pod.status) {
    const { podIPs: _podIPs, hostIPs: _hostIPs, qosClass: _qosClass, initContainerStatuses, containerStatuses, ...status } = pod.status;
    stripped.status = {
      ...status,
      ...(initContainerStatuses ? { initContainerStatuses: initContainerStatuses.map(stripContainerStatus) } : {}),
      ...(containerStatuses ? { containerStatuses: containerStatuses.map(stripContainerStatus) } : {}),
    };
  }
  return stripped;
}

type CachedContainerStatus = NonNullable<NonNullable<CachedPod['status']>['containerStatuses']>[number];

function stripContainerStatus({ lastState, ...container }: CachedContainerStatus): CachedContainerStatus {
  const terminated = lastState?.terminated;
  if (!terminated) return container;
  const { exitCode, reason, message } = terminated;
  return { ...container, lastState: { terminated: { exitCode, ...(reason ? { reason } : {}), ...(message ? { message } : {}) } } };
}

/** Nodes: only conditions, taints and addresses matter (node loss, NodeNormal, hostNetwork probes). */
function stripNode(node: CachedNode): CachedNode {
  const stripped: CachedNode = {
    apiVersion: node.apiVersion,
    kind: node.kind,
    metadata: { name: node.metadata?.name, uid: node.metadata?.uid, resourceVersion: node.metadata?.resourceVersion, labels: node.metadata?.labels },
    spec: { taints: node.spec?.taints, unschedulable: node.spec?.unschedulable },
    status: { conditions: node.status?.conditions, addresses: node.status?.addresses },
  };
  return stripped;
}
