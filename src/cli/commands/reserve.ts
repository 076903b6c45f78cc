// kubectl gs reserve SET IDS: takes room ids out of a set (OKG's
// reserveGameServerIds). Rooms of those ids that exist are deleted by the
// operator; replicas is lowered by their number so that no other id is
// created in their place (unless --keep-replicas).
import { GAME_SERVER_SET_PLURAL, LABELS } from '../../api/constants.js';
import { formatReserveIds, IdRanges, parseReserveIds, parseReserveIdsAnnotation } from '../../api/reserve-ids.js';
import { isConflict, isInvalid } from '../../runtime/errors.js';
import type { JsonPatchOperation } from '../../runtime/patch.js';
import { jsonPatch, writer } from '../../runtime/writes.js';
import { GAME_SERVER_SETS } from '../../controllers/shared/resources.js';
import { CliError, type CliIo } from '../cli-io.js';
import type { KubeTarget } from '../kube-context.js';
import { getObject, listObjects, type GameServerSetObject, type PodObject } from '../rooms.js';

export interface ReserveOptions {
  readonly set: string;
  readonly ids: string;
  readonly keepReplicas: boolean;
  readonly dryRun: boolean;
}

/** "1,3-5" → the ids it names, as ranges (a range like "0-999999" is never expanded). */
export function parseIdList(text: string): IdRanges {
  const parsed = parseReserveIdsAnnotation(text);
  if (!parsed.ok) throw new CliError(`invalid ids ${JSON.stringify(text)}: ${parsed.error}`);
  if (parsed.ids.size === 0) throw new CliError('no ids given');
  return parsed.ids;
}

/** The set's reserve list with `ids` added, and which live rooms they take away (pure). */
export function planReserve(current: readonly (number | string)[], ids: IdRanges, liveIds: ReadonlySet<number>): { reserve: (number | string)[]; removed: number[] } {
  const before = parseReserveIds(current);
  const known = before.ok ? before.ids : IdRanges.empty;
  const reserve = formatReserveIds(IdRanges.fromRanges([...known.ranges, ...ids.ranges]));
  const removed = [...liveIds].filter((id) => ids.has(id) && !known.has(id)).sort((a, b) => a - b);
  return { reserve, removed };
}

/** The guarded patch of a reserve: `test`s of the replicas and reserve list that were read (pure). */
export function reservePatch(set: GameServerSetObject, reserve: (number | string)[], newReplicas: number): JsonPatchOperation[] {
  const current = set.spec.reserveGameServerIds;
  const replicas = set.spec.replicas ?? 0;
  return [
    ...(current !== undefined ? [{ op: 'test' as const, path: '/spec/reserveGameServerIds', value: current }] : []),
    { op: 'add', path: '/spec/reserveGameServerIds', value: reserve },
    ...(set.spec.replicas !== undefined ? [{ op: 'test' as const, path: '/spec/replicas', value: replicas }] : []),
    { op: 'add', path: '/spec/replicas', value: newReplicas },
  ];
}

const ATTEMPTS = 5;

export async function reserveCommand(target: KubeTarget, options: ReserveOptions, io: CliIo): Promise<number> {
  const { client, namespace } = target;
  const ids = parseIdList(options.ids);
  for (let attempt = 1; ; attempt++) {
    const set = await getObject<GameServerSetObject>(client, GAME_SERVER_SET_PLURAL, namespace, options.set);
    const pods = await listObjects<PodObject>(client, 'pods', namespace, `${LABELS.ownerGss}=${options.set}`);
    const liveIds = new Set(pods.filter((pod) => !pod.metadata.deletionTimestamp).map((pod) => Number(/-(\d+)$/.exec(pod.metadata.name)?.[1])).filter(Number.isInteger));
    const { reserve, removed } = planReserve(set.spec.reserveGameServerIds ?? [], ids, liveIds);
    const replicas = set.spec.replicas ?? 0;
    const newReplicas = options.keepReplicas ? replicas : Math.max(0, replicas - removed.length);
    try {
      await writer(client, GAME_SERVER_SETS).patch(namespace, options.set, jsonPatch(reservePatch(set, reserve, newReplicas)), { dryRun: options.dryRun });
    } catch (error) {
      // The set's replicas or reserve list changed since the read: plan again from a fresh one.
      if ((isConflict(error) || isInvalid(error)) && attempt < ATTEMPTS && (await changed(target, set))) continue;
      throw error;
    }
    const suffix = options.dryRun ? ' (server dry run)' : '';
    io.stdout(`gameserverset.game.kruise.io/${options.set} patched${suffix}\n`);
    io.stdout(`reserved ids: ${reserve.join(',')}; rooms taken out: ${removed.map((id) => `${options.set}-${id}`).join(', ') || 'none'}; replicas ${replicas} -> ${newReplicas}\n`);
    return 0;
  }
}

async function changed(target: KubeTarget, set: GameServerSetObject): Promise<boolean> {
  const now = await getObject<GameServerSetObject>(target.client, GAME_SERVER_SET_PLURAL, target.namespace, set.metadata.name);
  return JSON.stringify([now.spec.replicas, now.spec.reserveGameServerIds]) !== JSON.stringify([set.spec.replicas, set.spec.reserveGameServerIds]);
}
