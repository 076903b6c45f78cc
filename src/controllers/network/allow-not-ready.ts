// AllowNotReadyContainers (OKG utils.AllowNotReadyContainers): while the only
// containers of a pod that are not ready are listed there (a sidecar being
// updated in place, restarting), its Service keeps sending it traffic
// (publishNotReadyAddresses), so the room stays on the network. A listed
// container's restart alone never takes the room off; any other container
// not ready does.
import { IN_PLACE_UPDATE_READY } from '../../api/constants.js';
import type { ServerFacts } from './types.js';

export function publishNotReady(server: ServerFacts): boolean {
  if (server.allowNotReadyContainers.length === 0) return false;
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
