// Wiring of the network controller: keyed by pod (a GameServer, its
// Service and its Ingress share the pod's name), woken by the pod, its
// GameServer (networkDisabled), its objects, and its node's addresses.
import type { Controller } from '../../../runtime/controller.js';
import { enqueueFromIndex, enqueueSelf, watch } from '../../../runtime/handlers.js';
import type { Manager } from '../../../runtime/manager.js';
import type { Predicate } from '../../../runtime/predicates.js';
import { byNamespace, NAMESPACE_INDEX } from '../../../runtime/store.js';
import { ANNOTATIONS, LABELS } from '../../../api/constants.js';
import type { KubeObject } from '../../../runtime/object.js';
import type { Mapper } from '../../../runtime/handlers.js';
import {
  gameServerInformer,
  gameServerSetInformer,
  nodeInformer,
  NODE_NAME_INDEX,
  podInformer,
  type CachedNode,
  type CachedObject,
} from '../../shared/informers.js';
import { INGRESSES, SERVICES } from '../resources.js';
import { NetworkReconciler } from './network-reconciler.js';

export const NETWORK_CONTROLLER = 'network';

export interface NetworkControllerOptions {
  readonly workers: number;
}

/** Only the address list matters to the network (not heartbeats). */
const addressesChanged: Predicate<CachedNode> = (oldNode, newNode) =>
  oldNode === undefined || newNode === undefined || JSON.stringify(oldNode.status?.addresses ?? []) !== JSON.stringify(newNode.status?.addresses ?? []);

/** Only pods with a network plugin (most game servers have none: their events stay out of this queue). */
const hasNetwork: Predicate<KubeObject> = (oldPod, newPod) =>
  [oldPod, newPod].some((pod) => pod?.metadata?.annotations?.[ANNOTATIONS.networkType] !== undefined);

export function registerNetworkController(manager: Manager, options: NetworkControllerOptions): Controller {
  const pods = podInformer(manager);
  const nodes = nodeInformer(manager);
  const sets = gameServerSetInformer(manager);
  const gameServers = gameServerInformer(manager);
  // Only the objects the plugins made (they carry the set's owner label).
  const services = manager.informer<CachedObject>(SERVICES, { labelSelector: LABELS.ownerGss, indexes: { [NAMESPACE_INDEX]: byNamespace } });
  const ingresses = manager.informer<CachedObject>(INGRESSES, { labelSelector: LABELS.ownerGss, indexes: { [NAMESPACE_INDEX]: byNamespace } });
  const podWithNetwork: Mapper<KubeObject> = (object) => {
    const pod = pods.store.getByName(object.metadata?.namespace ?? '', object.metadata?.name ?? '');
    return pod?.metadata?.annotations?.[ANNOTATIONS.networkType] !== undefined ? enqueueSelf(object) : [];
  };
  return manager.addController({
    name: NETWORK_CONTROLLER,
    workers: options.workers,
    reconciler: new NetworkReconciler(
      { pods: pods.store, nodes: nodes.store, sets: sets.store, gameServers: gameServers.store, services: services.store, ingresses: ingresses.store },
      manager.client,
    ),
    watches: [
      watch(pods, enqueueSelf, hasNetwork),
      watch(gameServers, podWithNetwork),
      watch(services, enqueueSelf),
      watch(ingresses, enqueueSelf),
      watch(nodes, enqueueFromIndex(pods.store, NODE_NAME_INDEX, (node: CachedNode) => node.metadata?.name, podWithNetwork), addressesChanged),
    ],
  });
}
