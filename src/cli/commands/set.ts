// kubectl gs set (ROOM... | --set SET | -l SELECTOR) and kubectl gs kill
// ROOM...: the ops fields of many rooms, each written atomically.
import { GAME_SERVER_PLURAL } from '../../api/constants.js';
import { isNotFound } from '../../runtime/errors.js';
import { applyRoomEdits, formatOutcome, formatSummary, summarize } from '../apply-room-edits.js';
import { CliError, describeFailure, type CliIo } from '../cli-io.js';
import type { KubeTarget } from '../kube-context.js';
import type { RoomEdit } from '../plan-room-edit.js';
import { buildRooms, getObject, listObjects, listRooms, roomSelector, type GameServerObject, type GameServerSetObject, type PodObject, type Room } from '../rooms.js';

export interface SetTargets {
  readonly names: readonly string[];
  readonly set?: string;
  readonly selector?: string;
}

export interface SetOptions extends SetTargets {
  readonly edit: RoomEdit;
  readonly ifOpsState?: string;
  readonly dryRun: boolean;
}

/** Which rooms a `set` names; rooms named but missing are reported as failed. */
async function resolveTargets(target: KubeTarget, targets: SetTargets): Promise<{ rooms: Room[]; missing: string[]; failures: string[] }> {
  const { client, namespace } = target;
  if (targets.names.length === 0) {
    return { rooms: await listRooms(client, { namespace, ...(targets.set ? { set: targets.set } : {}), ...(targets.selector ? { labelSelector: targets.selector } : {}) }), missing: [], failures: [] };
  }
  const missing: string[] = [];
  const failures: string[] = [];
  const found = await Promise.all(
    targets.names.map((name) =>
      getObject<GameServerObject>(client, GAME_SERVER_PLURAL, namespace, name).catch((error: unknown) => {
        if (isNotFound(error)) missing.push(name);
        else failures.push(`${name}: ${describeFailure(error)}`);
        return undefined;
      }),
    ),
  );
  const gameServers = found.filter((gs): gs is GameServerObject => gs !== undefined);
  const [pods, sets] = await Promise.all([listObjects<PodObject>(client, 'pods', namespace, roomSelector(undefined, undefined)), listObjects<GameServerSetObject>(client, 'gameserversets', namespace)]);
  return { rooms: buildRooms(gameServers, pods, sets), missing, failures };
}

export function validateTargets(targets: SetTargets): void {
  const kinds = [targets.names.length > 0, targets.set !== undefined, targets.selector !== undefined].filter(Boolean).length;
  if (kinds === 0) throw new CliError('name the rooms: ROOM..., --set SET or -l SELECTOR');
  if (targets.names.length > 0 && kinds > 1) throw new CliError('ROOM names cannot be combined with --set or -l');
}

export async function setCommand(target: KubeTarget, options: SetOptions, io: CliIo): Promise<number> {
  validateTargets(options);
  if (Object.values(options.edit).every((value) => value === undefined)) throw new CliError('nothing to set: give --ops-state, --deletion-priority or --update-priority');
  const { rooms, missing, failures } = await resolveTargets(target, options);
  for (const name of missing) io.stderr(`Error from server (NotFound): gameservers.game.kruise.io "${name}" not found\n`);
  for (const failure of failures) io.stderr(`error: ${failure}\n`);
  if (rooms.length === 0 && missing.length === 0 && failures.length === 0) {
    io.stderr(`No resources found in ${target.namespace} namespace.\n`);
    return 0;
  }
  const outcomes = await applyRoomEdits(target.client, rooms, options.edit, {
    ...(options.ifOpsState !== undefined ? { ifOpsState: options.ifOpsState } : {}),
    dryRun: options.dryRun,
    ...(io.beforeRoomWrite ? { beforeWrite: io.beforeRoomWrite } : {}),
  });
  for (const outcome of outcomes) (outcome.kind === 'failed' ? io.stderr : io.stdout)(formatOutcome(outcome, options.dryRun));
  const summary = summarize(outcomes);
  const failed = summary.failed + missing.length + failures.length;
  io.stdout(formatSummary({ ...summary, failed }));
  return failed > 0 ? 1 : 0;
}
