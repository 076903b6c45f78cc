// reclaimPolicy Delete: a GameServer outlives its pod and is deleted once its
// id has left the set (label game.kruise.io/gs-deleting=true, set when the
// set deletes the pod). When the id comes back (a scale-up, a reserve id
// released) before the GameServer controller deleted it, the label goes back
// to "false" (OKG SyncGameServer), so a later brief absence of the pod does
// not delete the GameServer with its opsState and priorities.
import { LABELS } from '../../../api/constants.js';

/** The GameServers among `names` (ids the set holds or creates now) still labelled gs-deleting=true. */
export function gameServersToKeep(names: readonly string[], labelsOf: (name: string) => Readonly<Record<string, string>> | undefined): string[] {
  return names.filter((name) => labelsOf(name)?.[LABELS.gsDeleting] === 'true');
}
