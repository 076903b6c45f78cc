// Wiring of the GameServerSet controller: the shared caches it reads, the
// events that enqueue a set, and its expectations ledger.
import { GAME_SERVER_SET_KIND, GROUP, LABELS } from '../../api/constants.js';
import { Expectations, observeExpectations } from '../../runtime/expectations.js';
import { batched, enqueueByLabel, enqueueControllerOwner, enqueueFromIndex, enqueueSelf, watch, type Mapper } from '../../runtime/handlers.js';
import type { Manager } from '../../runtime/manager.js';
import type { KubeObject } from '../../runtime/object.js';
import type { Controller } from '../../runtime/controller.js';
import type { Predicate } from '../../runtime/predicates.js';
import {
  claimInformer,
  controllerRevisionInformer,
  gameServerInformer,
  gameServerSetInformer,
  nodeInformer,
  NODE_NAME_INDEX,
  podInformer,
  type CachedNode,
  type CachedPod,
} from '../shared/informers.js';
import { UnobservedWrites } from '../../runtime/unobserved-writes.js';
import { OccupiedOrdinals } from './occupied-ordinals.js';
import { GameServerSetReconciler } from './reconciler.js';
import { toNodeView } from './views.js';
import { HostPortLedger } from '../network/host-port/host-port-ledger.js';
import type { PortRange } from '../network/host-port/allocate-host-ports.js';
import { PodNetworkPreparer } from '../network/set-network.js';

export const GAME_SERVER_SET_CONTROLLER = 'gameserverset';

/** OKG's default Kubernetes-HostPort range. */
export const DEFAULT_HOST_PORT_RANGE: PortRange = { min: 8000, max: 9000 };

export interface GameServerSetControllerOptions {
  readonly workers: number;
  /** Pods on a node lost longer than this are deleted and recreated elsewhere; 0 disables it. */
  readonly nodeLossTimeoutMs: number;
  /** Most pods one reconcile creates, and most it deletes or updates (default 500). */
  readonly podBatchSize?: number;
  /** Host ports Kubernetes-HostPort hands out (OKG's default 8000-9000). */
  readonly hostPortRange?: PortRange;
}

/** Expectations key of a child's set: `namespace/<owner-gss label>`. */
function ownerKey(child: KubeObject): string | undefined {
  const owner = child.metadata?.labels?.[LABELS.ownerGss];
  return owner ? `${child.metadata?.namespace ?? ''}/${owner}` : undefined;
}

/** A node turned lost or healthy (not every heartbeat). */
const nodeHealthChanged: Predicate<CachedNode> = (oldNode, newNode) => {
  if (oldNode === undefined || newNode === undefined) return true;
  return toNodeView(oldNode).lostSince !== toNodeView(newNode).lostSince;
};

/**
 * Pod and GameServer events reach their set this long after they happen: a
 * set's reconcile looks at all its pods, and while hundreds of them change at
 * once it then runs a few times per second instead of once per event.
 */
export const CHILD_EVENT_BATCH_MS = 200;

export function registerGameServerSetController(manager: Manager, options: GameServerSetControllerOptions): Controller {
  const sets = gameServerSetInformer(manager);
  const pods = podInformer(manager);
  const gameServers = gameServerInformer(manager);
  const revisions = controllerRevisionInformer(manager);
  const claims = claimInformer(manager);
  const nodes = nodeInformer(manager);

  const expectations = new Expectations();
  // Registered before the controller's own handlers: a reconcile triggered by
  // a pod event already sees that pod's expectation struck off.
  pods.addHandler(observeExpectations<CachedPod>(expectations, ownerKey));

  const reconciler = new GameServerSetReconciler({
    deps: {
      client: manager.client,
      recorder: manager.eventRecorder(),
      expectations,
      podWrites: new UnobservedWrites(),
      occupied: new OccupiedOrdinals(),
      network: new PodNetworkPreparer(new HostPortLedger(pods.store, nodes.store, options.hostPortRange ?? DEFAULT_HOST_PORT_RANGE)),
    },
    caches: { sets: sets.store, pods: pods.store, gameServers: gameServers.store, revisions: revisions.store, claims: claims.store, nodes: nodes.store },
    nodeLossTimeoutMs: options.nodeLossTimeoutMs,
    ...(options.podBatchSize === undefined ? {} : { podBatchSize: options.podBatchSize }),
  });
  const bySetLabel = enqueueByLabel(LABELS.ownerGss);
  const gameServerToSet: Mapper<KubeObject> = (gs) => {
    const viaLabel = bySetLabel(gs);
    if (viaLabel.length > 0) return viaLabel;
    const pod = pods.store.getByName(gs.metadata?.namespace ?? '', gs.metadata?.name ?? '');
    return pod ? bySetLabel(pod) : [];
  };
  return manager.addController({
    name: GAME_SERVER_SET_CONTROLLER,
    reconciler,
    workers: options.workers,
    watches: [
      watch(sets, enqueueSelf),
      batched(watch(pods, bySetLabel), CHILD_EVENT_BATCH_MS),
      batched(watch(gameServers, gameServerToSet), CHILD_EVENT_BATCH_MS),
      watch(revisions, enqueueControllerOwner({ group: GROUP, kind: GAME_SERVER_SET_KIND })),
      watch(claims, bySetLabel),
      watch(nodes, enqueueFromIndex(pods.store, NODE_NAME_INDEX, (node: CachedNode) => node.metadata?.name, bySetLabel), nodeHealthChanged),
    ],
  });
}
