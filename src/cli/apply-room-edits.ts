// Writes one edit to many rooms, each atomically (plan-room-edit.ts), a few
// at a time, and sorts the outcomes into changed / unchanged / skipped /
// failed.
import { GAME_SERVER_PLURAL } from '../api/constants.js';
import { isConflict, isInvalid, isNotFound } from '../runtime/errors.js';
import type { KubeClient } from '../runtime/kube-client.js';
import { isObjectNotFound } from '../runtime/write-errors.js';
import { jsonPatch, writer } from '../runtime/writes.js';
import { GAME_SERVERS } from '../controllers/shared/resources.js';
import { describeFailure } from './cli-io.js';
import { describeChange, planRoomEdit, type RoomEdit } from './plan-room-edit.js';
import { getObject, type GameServerObject, type Room } from './rooms.js';

export type RoomOutcome =
  | { readonly room: Room; readonly kind: 'changed' | 'unchanged' }
  | { readonly room: Room; readonly kind: 'skipped' | 'failed'; readonly reason: string };

export interface EditOptions {
  readonly ifOpsState?: string;
  /** Server-side dry run: validated and admitted, not stored. */
  readonly dryRun?: boolean;
  readonly beforeWrite?: (room: Room) => Promise<void>;
}

const CONCURRENCY = 8;

export async function applyRoomEdits(client: KubeClient, rooms: readonly Room[], edit: RoomEdit, options: EditOptions = {}): Promise<RoomOutcome[]> {
  const outcomes: RoomOutcome[] = new Array<RoomOutcome>(rooms.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rooms.length) {
      const index = next++;
      outcomes[index] = await applyRoomEdit(client, rooms[index]!, edit, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rooms.length) }, worker));
  return outcomes;
}

async function applyRoomEdit(client: KubeClient, room: Room, edit: RoomEdit, options: EditOptions): Promise<RoomOutcome> {
  const plan = planRoomEdit(room.gameServer, edit, options.ifOpsState);
  if (plan.kind === 'skip') return { room, kind: 'skipped', reason: plan.reason };
  if (plan.kind === 'unchanged') return { room, kind: 'unchanged' };
  await options.beforeWrite?.(room);
  try {
    await writer(client, GAME_SERVERS).patch(room.namespace, room.name, jsonPatch(plan.operations), { dryRun: options.dryRun === true });
    return { room, kind: 'changed' };
  } catch (error) {
    if (isObjectNotFound(error)) return { room, kind: 'skipped', reason: 'deleted since it was read' };
    // A failed `test` op is a 422 (whose message varies by server version), a stale resourceVersion a 409:
    // the room as it is now tells whether it changed under us.
    if (!isConflict(error) && !isInvalid(error)) return { room, kind: 'failed', reason: describeFailure(error) };
    const now = await getObject<GameServerObject>(client, GAME_SERVER_PLURAL, room.namespace, room.name).catch((readError: unknown) => {
      if (isNotFound(readError)) return undefined;
      throw readError;
    });
    const change = describeChange(room.gameServer, now);
    if (change) return { room, kind: 'skipped', reason: change };
    return { room, kind: 'failed', reason: describeFailure(error) };
  }
}

export interface EditSummary {
  readonly changed: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
}

export function summarize(outcomes: readonly RoomOutcome[]): EditSummary {
  const count = (kind: RoomOutcome['kind']): number => outcomes.filter((outcome) => outcome.kind === kind).length;
  return { changed: count('changed'), unchanged: count('unchanged'), skipped: count('skipped'), failed: count('failed') };
}

/** One line per room (stdout; failures go to stderr) and the summary, kubectl-style. */
export function formatOutcome(outcome: RoomOutcome, dryRun: boolean): string {
  const name = `gameserver.game.kruise.io/${outcome.room.name}`;
  const suffix = dryRun ? ' (server dry run)' : '';
  switch (outcome.kind) {
    case 'changed':
      return `${name} patched${suffix}\n`;
    case 'unchanged':
      return `${name} patched (no change)${suffix}\n`;
    case 'skipped':
      return `${name} skipped: ${outcome.reason}\n`;
    case 'failed':
      return `${name} failed: ${outcome.reason}\n`;
  }
}

export function formatSummary(summary: EditSummary): string {
  return `${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.skipped} skipped, ${summary.failed} failed\n`;
}
