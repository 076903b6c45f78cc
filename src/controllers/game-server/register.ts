// Wiring of the GameServer controller on a manager: the shared caches it
// reads, the events that enqueue a pod key, the prober (a leader-only
// runnable that stops the probes at shutdown) and the reconciler.
import type { Controller } from '../../runtime/controller.js';
import { enqueueSelf, watch, type Mapper } from '../../runtime/handlers.js';
import type { Manager } from '../../runtime/manager.js';
import { parseKey, type KubeObject } from '../../runtime/object.js';
import type { Predicate } from '../../runtime/predicates.js';
import {
  claimInformer,
  gameServerInformer,
  gameServerSetInformer,
  nodeInformer,
  NODE_NAME_INDEX,
  OWNER_GSS_INDEX,
  podInformer,
  type CachedNode,
  type CachedPod,
} from '../shared/informers.js';
import type { Store } from '../../runtime/store.js';
import { execInPod } from '../../runtime/pod-exec.js';
import { ApiEventSink, KubeEventRecorder } from '../../runtime/events.js';
import type { KubeClient } from '../../runtime/kube-client.js';
import type { ExecFunction } from './probes/exec-probe.js';
import { toProbedPod } from './probes/probed-pod.js';
import { ProbeRunner } from './probes/probe-runner.js';
import { ServiceQualityProber } from './probes/service-quality-prober.js';
import { GameServerReconciler } from './reconciler.js';
import { PodNotOwnedError, whyNotOwned } from './probes/owned-pod.js';
import { API_VERSION, GAME_SERVER_SET_KIND, LABELS } from '../../api/constants.js';
import { describeBacklog } from './probes/probe-backlog.js';
import type { NetworkTiming } from '../network/game-server-network.js';

export const GAME_SERVER_CONTROLLER = 'gameserver';

export interface GameServerControllerOptions {
  readonly workers: number;
  /** Exec service-quality probes (pods/exec through the API server) running at once, process-wide. */
  readonly probeConcurrency: number;
  /** httpGet, tcpSocket and grpc probes (straight to the pod) running at once, process-wide; probeConcurrency when unset. */
  readonly directProbeConcurrency?: number;
  /** Replaces pods/exec (tests). */
  readonly exec?: ExecFunction;
  /** GsNetworkState timing (network plugins). */
  readonly networkTiming?: NetworkTiming;
}

export function registerGameServerController(manager: Manager, options: GameServerControllerOptions): Controller {
  const pods = podInformer(manager);
  const gameServers = gameServerInformer(manager);
  const sets = gameServerSetInformer(manager);
  const nodes = nodeInformer(manager);
  const claims = claimInformer(manager);

  let enqueue: (podKey: string) => void = () => undefined;
  const recorder = manager.eventRecorder();
  // The prober's events on a set come from a source of their own, with its own
  // per-object spam budget (client-go's spam key is source + object): a set
  // that has just created a thousand pods has spent the operator's budget for
  // minutes, and a ProbesFallingBehind Warning must not be dropped with them.
  const proberRecorder = new KubeEventRecorder({
    sink: new ApiEventSink(manager.client),
    component: 'gamekeeper-prober',
    instance: manager.config.leaderElection.identity,
    logger: manager.logger.child({ component: 'event-recorder' }),
  });
  const directConcurrency = options.directProbeConcurrency ?? options.probeConcurrency;
  const limits = new Map([
    ['exec', `at most ${options.probeConcurrency} at once, --probe-concurrency`],
    ['direct', `at most ${directConcurrency} at once, --direct-probe-concurrency`],
  ]);
  const prober = new ServiceQualityProber({
    concurrency: options.probeConcurrency,
    directConcurrency,
    runner: new ProbeRunner(options.exec ?? podExec(manager.client, pods.store, sets.store)),
    readPod: (podKey) => {
      const { namespace, name } = parseKey(podKey);
      const pod = pods.store.getByName(namespace, name);
      return pod ? toProbedPod(pod) : undefined;
    },
    onChange: (podKey) => enqueue(podKey),
    onCallbackError: (error, key) => manager.logger.error('service-quality probe callback failed', { err: error, key }),
    onProbed: (result, timing, lane) => {
      manager.metrics.serviceQualityProbes.inc({ outcome: result.outcome, lane });
      manager.metrics.serviceQualityProbeDelay.observe({ lane }, timing.dueDelayMs / 1000);
    },
    onLate: (lane, reason) => manager.metrics.serviceQualityProbesLate.inc({ lane, reason }),
    onBacklog: (setKey, transition, window) => {
      const { namespace, name } = parseKey(setKey);
      const set = sets.store.getByName(namespace, name);
      const message = describeBacklog(transition, window, limits);
      manager.logger.log(transition === 'fellBehind' ? 'warn' : 'info', message, { gameServerSet: setKey });
      if (!set) return;
      const object = { apiVersion: API_VERSION, kind: GAME_SERVER_SET_KIND, ...set };
      if (transition === 'fellBehind') proberRecorder.warning(object, 'ProbesFallingBehind', message);
      else proberRecorder.normal(object, 'ProbesCaughtUp', message);
    },
  });
  manager.metrics.observeProbes(prober);
  manager.add({
    name: 'service-quality-prober',
    needLeaderElection: true,
    start: (signal) => untilAborted(signal).then(() => prober.stop()),
  });

  const controller = manager.addController({
    name: GAME_SERVER_CONTROLLER,
    workers: options.workers,
    reconciler: new GameServerReconciler({
      stores: { pods: pods.store, gameServers: gameServers.store, sets: sets.store, nodes: nodes.store, claims: claims.store },
      client: manager.client,
      recorder,
      prober,
      ...(options.networkTiming ? { networkTiming: options.networkTiming } : {}),
    }),
    watches: [
      watch(pods, enqueueSelf),
      watch(gameServers, enqueueSelf),
      watch(sets, podsOfSet(pods.store)),
      watch(nodes, podsOnNode(pods.store), nodeConditionsChanged),
    ],
  });
  enqueue = (podKey) => controller.enqueue(parseKey(podKey));
  return controller;
}

/** A set → its pods (their keys are the GameServer keys). */
function podsOfSet(pods: Store<CachedPod>): Mapper<KubeObject> {
  return (set) => {
    const namespace = set.metadata?.namespace;
    const name = set.metadata?.name;
    if (!name) return [];
    return pods
      .byIndex(OWNER_GSS_INDEX, name)
      .filter((pod) => pod.metadata?.namespace === namespace)
      .map((pod) => ({ namespace: namespace ?? '', name: pod.metadata?.name ?? '' }));
  };
}

/** A node → the pods on it (NodeNormal). */
function podsOnNode(pods: Store<CachedPod>): Mapper<CachedNode> {
  return (node) =>
    node.metadata?.name
      ? pods.byIndex(NODE_NAME_INDEX, node.metadata.name).map((pod) => ({ namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }))
      : [];
}

/** Only condition status/reason changes matter, not heartbeats. */
const nodeConditionsChanged: Predicate<CachedNode> = (oldNode, newNode) => {
  const summary = (node: CachedNode | undefined) =>
    JSON.stringify((node?.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason]).sort());
  return oldNode === undefined || newNode === undefined || summary(oldNode) !== summary(newNode);
};

/** pods/exec, only ever into a pod of a set the operator knows (checked in the caches before each exec). */
function podExec(client: KubeClient, pods: Store<CachedPod>, sets: Store<KubeObject>): ExecFunction {
  return async (namespace, podName, container, command, stdout, stderr, onStatus, signal) => {
    const pod = pods.getByName(namespace, podName);
    const setName = pod?.metadata?.labels?.[LABELS.ownerGss];
    const why = whyNotOwned(pod, setName ? sets.getByName(namespace, setName) : undefined);
    if (why !== undefined) throw new PodNotOwnedError(namespace, podName, why);
    return execInPod(client, { namespace, podName, container, command }, { stdout, stderr, onStatus }, signal);
  };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
