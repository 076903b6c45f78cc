// One reconcile per pod key of a pod with a network plugin (the
// game.kruise.io/network-type annotation its revision gave it): the plugin's
// objects are created or rewritten, then its report of the game server's
// network goes to the pod annotation game.kruise.io/network-status, from
// where the GameServer controller fills in status.networkStatus (as OKG's
// webhook and GameServer controller split it).
import { ANNOTATIONS, LABELS } from '../../../api/constants.js';
import type { ReconcileContext, Reconciler, ReconcileResult } from '../../../runtime/controller.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { Request } from '../../../runtime/object.js';
import { isObjectNotFound } from '../../../runtime/write-errors.js';
import { mergePatch } from '../../../runtime/writes.js';
import { patchPod } from '../../shared/pod-writes.js';
import type { Store } from '../../../runtime/store.js';
import { jsonEqual } from '../../game-server-set/plan/canonical-json.js';
import type { CachedNode, CachedObject, CachedPod } from '../../shared/informers.js';
import { notReadyBlocker } from '../allow-not-ready.js';
import { allowNotReadyContainers } from '../conf-values.js';
import { readPodNetworkStatus } from '../game-server-network.js';
import type { ObservedObject } from '../plan-object.js';
import { resolveNetwork } from '../plugins.js';
import { networkOfAnnotations } from '../set-network.js';
import type { ObjectKind, PodNetworkStatus, ServerFacts } from '../types.js';
import { applyObjects } from './apply-objects.js';

export interface NetworkStores {
  readonly pods: Store<CachedPod>;
  readonly nodes: Store<CachedNode>;
  readonly sets: Store<CachedObject>;
  readonly gameServers: Store<CachedObject>;
  readonly services: Store<CachedObject>;
  readonly ingresses: Store<CachedObject>;
}

/** Look again this long after finding an object the garbage collector is about to remove. */
const GC_RECHECK_MS = 2_000;

export class NetworkReconciler implements Reconciler {
  constructor(
    private readonly stores: NetworkStores,
    private readonly client: KubeClient,
  ) {}

  async reconcile(request: Request, context: ReconcileContext): Promise<ReconcileResult> {
    const pod = this.stores.pods.getByName(request.namespace, request.name);
    if (!pod || pod.metadata?.deletionTimestamp) return;
    const annotations = pod.metadata?.annotations;
    const spec = networkOfAnnotations(annotations);
    if (spec === undefined) return;
    const setName = pod.metadata?.labels?.[LABELS.ownerGss] ?? '';
    const set = this.stores.sets.getByName(request.namespace, setName);
    const ordinal = Number(/-(\d+)$/.exec(request.name)?.[1] ?? NaN);
    if (!set?.metadata?.uid || Number.isNaN(ordinal)) return;
    const network = resolveNetwork(spec, { containerNames: (pod.spec?.containers ?? []).map((c) => c.name) });
    let report: PodNetworkStatus = { networkType: spec.networkType ?? '', currentNetworkState: 'NotReady' };
    let waiting = false;
    const allowed = allowNotReadyContainers(spec.networkConf ?? []);
    let publishing: boolean | undefined;
    if (network.kind === 'ok') {
      const gameServer = this.stores.gameServers.getByName(request.namespace, request.name);
      const disabled = (gameServer?.spec as { networkDisabled?: boolean } | undefined)?.networkDisabled;
      const server: ServerFacts = {
        namespace: request.namespace,
        name: request.name,
        ordinal,
        pod,
        node: pod.spec?.nodeName ? this.stores.nodes.get(pod.spec.nodeName) : undefined,
        set: { name: setName, uid: set.metadata.uid },
        networkDisabled: disabled ?? pod.metadata?.labels?.[LABELS.networkDisabled] === 'true',
        allowNotReadyContainers: allowed,
      };
      const applied = await applyObjects(this.client, network.plugin.desiredObjects(network.conf, server), (kind, namespace, name) => this.cached(kind, namespace, name));
      for (const written of [...applied.created, ...applied.replaced]) context.logger.info('network object written', { object: written, networkType: spec.networkType });
      waiting = applied.waiting;
      report = network.plugin.computeStatus(network.conf, server, applied.observed);
      const service = applied.observed.Service as { spec?: { publishNotReadyAddresses?: boolean } } | undefined;
      publishing = service === undefined ? undefined : service.spec?.publishNotReadyAddresses === true;
    }
    const blocker = notReadyBlocker(pod, allowed, publishing);
    const reportChanged = !jsonEqual(readPodNetworkStatus(annotations), report);
    const blockerChanged = blocker !== undefined && pod.metadata?.labels?.[LABELS.inplaceUpdateNotReadyBlocker] !== blocker;
    if (reportChanged || blockerChanged) await this.writePod(pod, reportChanged ? report : undefined, blockerChanged ? blocker : undefined);
    return waiting ? { requeueAfter: GC_RECHECK_MS } : undefined;
  }

  private cached(kind: ObjectKind, namespace: string, name: string): ObservedObject | undefined {
    const store = kind === 'Service' ? this.stores.services : this.stores.ingresses;
    return store.getByName(namespace, name) as ObservedObject | undefined;
  }

  /**
   * Merge-patches the pod annotation game.kruise.io/network-status and the
   * not-ready blocker label (AllowNotReadyContainers) in one write; a pod
   * already gone is fine.
   */
  private async writePod(pod: CachedPod, report: PodNetworkStatus | undefined, blocker: string | undefined): Promise<void> {
    const { namespace = '', name = '', uid } = pod.metadata ?? {};
    const patch = mergePatch({
      metadata: {
        ...(report === undefined ? {} : { annotations: { [ANNOTATIONS.networkStatus]: JSON.stringify(report) } }),
        ...(blocker === undefined ? {} : { labels: { [LABELS.inplaceUpdateNotReadyBlocker]: blocker } }),
      },
    });
    await patchPod(this.client, namespace, name, patch, uid ? { precondition: { uid } } : {}).catch((error: unknown) => {
      if (!isObjectNotFound(error)) throw error;
    });
  }
}
