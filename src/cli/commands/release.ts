// kubectl gs release SET --image CONTAINER=IMAGE: the lossless release in
// one command (plan-release.ts), with a progress bar while the new rooms
// come up. Every step is read back from the cluster, so running it again
// after a timeout or a ^C continues the same release.
import { SingleBar } from 'cli-progress';
import { GAME_SERVER_SET_PLURAL, RELEASE_ANNOTATION } from '../../api/constants.js';
import { isConflict, isInvalid } from '../../runtime/errors.js';
import type { JsonPatchOperation } from '../../runtime/patch.js';
import { jsonPatch, writer } from '../../runtime/writes.js';
import { GAME_SERVER_SETS } from '../../controllers/shared/resources.js';
import { applyRoomEdits, formatOutcome, summarize } from '../apply-room-edits.js';
import { CliError, type CliIo } from '../cli-io.js';
import type { KubeTarget } from '../kube-context.js';
import { planRelease, type ReleaseStep } from '../plan-release.js';
import { compareRoomNames, getObject, listRooms, type GameServerSetObject, type Room } from '../rooms.js';

export interface ReleaseCommandOptions {
  readonly set: string;
  readonly images: Readonly<Record<string, string>>;
  readonly newRooms?: number;
  readonly timeoutMs: number;
  /** Poll period of the wait (default 1 s). */
  readonly pollMs?: number;
}

interface Progress {
  update(ready: number, total: number, reason: string): void;
  /** All `total` new rooms are Ready. */
  finish(total: number): void;
  stop(): void;
}

export async function releaseCommand(target: KubeTarget, options: ReleaseCommandOptions, io: CliIo): Promise<number> {
  const { client, namespace } = target;
  const deadline = io.now() + options.timeoutMs;
  const name = `gameserverset.game.kruise.io/${options.set}`;
  let progress: Progress | undefined;
  try {
    for (;;) {
      const [set, rooms] = await Promise.all([
        getObject<GameServerSetObject>(client, GAME_SERVER_SET_PLURAL, namespace, options.set),
        listRooms(client, { namespace, set: options.set }),
      ]);
      const step: ReleaseStep = planRelease(set, rooms, { images: options.images, ...(options.newRooms !== undefined ? { newRooms: options.newRooms } : {}) });
      switch (step.kind) {
        case 'onDelete':
          if (await patchSet(target, set, step.operations)) io.stdout(`${name} updateStrategy set to OnDelete\n`);
          continue;
        case 'rollout':
          if (!(await patchSet(target, set, step.operations))) continue;
          io.stdout(`${name} image ${formatImages(step.record.images)}, replicas ${set.spec.replicas ?? 0} -> ${step.record.replicas} (${step.record.newRooms} new rooms)\n`);
          continue;
        case 'wait':
          progress ??= startProgress(io);
          progress.update(step.ready, step.record.newRooms, step.reason);
          if (io.now() >= deadline) {
            progress.stop();
            progress = undefined;
            throw new CliError(`timed out waiting for the new rooms: ${step.reason}; run the same command again to continue the release`);
          }
          await sleep(options.pollMs ?? 1000);
          continue;
        case 'retire': {
          progress?.finish(step.record.newRooms);
          progress = undefined;
          io.stdout(`${step.record.newRooms} new rooms Ready\n`);
          return await retire(target, step.idle, step.busy, io);
        }
      }
    }
  } finally {
    progress?.stop();
  }
}

async function retire(target: KubeTarget, idle: readonly Room[], busy: readonly Room[], io: CliIo): Promise<number> {
  const outcomes = await applyRoomEdits(target.client, idle, { opsState: 'WaitToBeDeleted' }, { ifOpsState: 'None', ...(io.beforeRoomWrite ? { beforeWrite: io.beforeRoomWrite } : {}) });
  for (const outcome of outcomes) (outcome.kind === 'failed' ? io.stderr : io.stdout)(formatOutcome(outcome, false));
  const summary = summarize(outcomes);
  // Rooms allocated between the read and the write are skipped by the guarded patch: they hold players too.
  const holding = [
    ...busy.map((room) => ({ name: room.name, what: room.opsState })),
    ...outcomes.flatMap((outcome) => (outcome.kind === 'skipped' ? [{ name: outcome.room.name, what: outcome.reason }] : [])),
  ].sort((a, b) => compareRoomNames(a.name, b.name));
  io.stdout(`old rooms marked WaitToBeDeleted: ${summary.changed}; remove them with a scale-in or let the autoscaler do it\n`);
  if (holding.length > 0) {
    io.stdout(`old rooms still holding players (left running): ${holding.length}\n`);
    for (const room of holding) io.stdout(`  ${room.name}\t${room.what}\n`);
  } else {
    io.stdout('no old room holds players\n');
  }
  return summary.failed > 0 ? 1 : 0;
}

/**
 * Applies one step's patch, whose `test` ops hold the values the step was
 * planned from; false when the set changed meanwhile (the step is planned
 * again from a fresh read).
 */
async function patchSet(target: KubeTarget, set: GameServerSetObject, operations: readonly JsonPatchOperation[]): Promise<boolean> {
  try {
    await writer(target.client, GAME_SERVER_SETS).patch(target.namespace, set.metadata.name, jsonPatch(operations));
    return true;
  } catch (error) {
    if (isConflict(error) || isInvalid(error)) {
      const now = await getObject<GameServerSetObject>(target.client, GAME_SERVER_SET_PLURAL, target.namespace, set.metadata.name);
      if (now.metadata.generation !== set.metadata.generation || now.metadata.annotations?.[RELEASE_ANNOTATION] !== set.metadata.annotations?.[RELEASE_ANNOTATION]) return false;
    }
    throw error;
  }
}

function startProgress(io: CliIo): Progress {
  if (io.interactive) {
    const bar = new SingleBar({ format: 'new rooms Ready [{bar}] {value}/{total} {reason}', stream: process.stderr, hideCursor: true, clearOnComplete: false });
    let started = false;
    return {
      update(ready, total, reason) {
        if (!started) bar.start(total, ready, { reason });
        else bar.update(ready, { reason });
        bar.setTotal(total);
        started = true;
      },
      finish(total) {
        if (started) bar.update(total, { reason: '' });
        bar.stop();
      },
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    update(ready, total, reason) {
      const line = `waiting: ${ready}/${total} new rooms Ready${reason.includes('/') ? '' : ` (${reason})`}\n`;
      if (line !== last) io.stderr(line);
      last = line;
    },
    finish: () => undefined,
    stop: () => undefined,
  };
}

function formatImages(images: Readonly<Record<string, string>>): string {
  return Object.entries(images)
    .map(([container, image]) => `${container}=${image}`)
    .join(', ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
