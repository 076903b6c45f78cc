// AllowNotReadyContainers (OKG utils.AllowNotReadyContainers): while the only
// containers of a pod that are not ready are listed there (a sidecar being
// updated in place, restarting), its Service keeps sending it traffic
// (publishNotReadyAddresses), so the room stays on the network. A listed
// container's restart alone never takes the room off; any other container
// not ready does.
//
// With AllowNotReadyContainers the set's inPlaceUpdate hook also waits for
// label game.kruise.io/inplace-update-not-ready-blocker=true to go (OKG's
// GetNewAstsFromGss). This is the other half of OKG's handshake
// (cloudprovider/utils/service.go): the label is "true" on every pod, and
// "false" once a pod waiting to update in place (PreparingUpdate) may go not
// ready, i.e. its Service already publishes not-ready addresses when only
// listed containers are being updated; the update then starts, and the label
// turns "true" again after it, which lets the pod leave Updated.
import { ANNOTATIONS, IN_PLACE_UPDATE_READY, LIFECYCLE } from '../../api/constants.js';
import type { CachedPod } from '../shared/informers.js';
import type { ServerFacts } from './types.js';

const isPreparingUpdate = (pod: CachedPod): boolean => pod.metadata?.labels?.[LIFECYCLE.stateLabel] === 'PreparingUpdate';

/**
 * Whether only listed containers are about to be updated in place: the
 * GameServer controller names them in game.kruise.io/gs-updating-containers
 * while the pod waits (undefined until it has).
 */
export function onlyAllowedUpdating(pod: CachedPod, allowNotReadyContainers: readonly string[]): boolean | undefined {
  const named = pod.metadata?.annotations?.[ANNOTATIONS.gsUpdatingContainers];
  if (named === undefined) return undefined;
  const allowed = new Set(allowNotReadyContainers);
  return named
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .every((name) => allowed.has(name));
}

/**
 * The value of the not-ready blocker label the pod should carry, or
 * undefined when AllowNotReadyContainers is not set. `publishing`: the
 * room's Service publishes not-ready addresses now (undefined: no Service,
 * e.g. HostPort or a conf the plugin refused: nothing to wait for).
 */
export function notReadyBlocker(pod: CachedPod, allowNotReadyContainers: readonly string[], publishing: boolean | undefined): 'true' | 'false' | undefined {
  if (allowNotReadyContainers.length === 0) return undefined;
  if (!isPreparingUpdate(pod)) return 'true';
  if (publishing === undefined) return 'false';
  const only = onlyAllowedUpdating(pod, allowNotReadyContainers);
  if (only === undefined) return 'true';
  return only && !publishing ? 'true' : 'false';
}

export function publishNotReady(server: ServerFacts): boolean {
  if (server.allowNotReadyContainers.length === 0) return false;
  if (isPreparingUpdate(server.pod) && onlyAllowedUpdating(server.pod, server.allowNotReadyContainers) === true) return true;
  const status = server.pod.status;
  const ready = status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  if (ready) return false;
  const statuses = status?.containerStatuses ?? [];
  if (statuses.length === 0) return false;
  const allowed = new Set(server.allowNotReadyContainers);
  const notReady = statuses.filter((c) => !c.ready).map((c) => c.name);
  const inPlace = status?.conditions?.find((c) => c.type === IN_PLACE_UPDATE_READY)?.status === 'False';
  return notReady.every((name) => allowed.has(name)) && (notReady.length > 0 || inPlace);
}
