// The lossless release of a room-based set (OKG's "房间服无损发布" workflow)
// as a level-based plan: each run reads the set and its rooms and does the
// next step, so a second run continues where the first stopped (pure).
//   1. updateStrategy OnDelete (running rooms are never recreated);
//   2. the new images, replicas raised by the number of new rooms, and the
//      release recorded on the set (one guarded patch);
//   3. wait until that many rooms run the new images and are Ready;
//   4. idle old rooms (opsState None) → WaitToBeDeleted; old rooms holding
//      players are reported and left alone.
import { RELEASE_ANNOTATION } from '../api/constants.js';
import type { JsonPatchOperation } from '../runtime/patch.js';
import { escapePointer } from '../runtime/patch.js';
import type { GameServerSetObject, Room } from './rooms.js';

export interface ReleaseRecord {
  /** container name → image, sorted by container. */
  readonly images: Readonly<Record<string, string>>;
  readonly newRooms: number;
  readonly replicas: number;
}

export type ReleaseStep =
  | { readonly kind: 'onDelete'; readonly operations: JsonPatchOperation[] }
  | { readonly kind: 'rollout'; readonly operations: JsonPatchOperation[]; readonly record: ReleaseRecord }
  | { readonly kind: 'wait'; readonly record: ReleaseRecord; readonly ready: number; readonly reason: string }
  | { readonly kind: 'retire'; readonly record: ReleaseRecord; readonly idle: Room[]; readonly busy: Room[] };

export class ReleaseInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseInputError';
  }
}

/** `game=repo/game:2` → { game: 'repo/game:2' }. */
export function parseImages(flags: readonly string[]): Record<string, string> {
  if (flags.length === 0) throw new ReleaseInputError('give at least one --image CONTAINER=IMAGE');
  const images: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0 || at === flag.length - 1) throw new ReleaseInputError(`--image ${JSON.stringify(flag)}: want CONTAINER=IMAGE`);
    images[flag.slice(0, at)] = flag.slice(at + 1);
  }
  return Object.fromEntries(Object.entries(images).sort(([a], [b]) => a.localeCompare(b)));
}

export function readRecord(set: GameServerSetObject): ReleaseRecord | undefined {
  const text = set.metadata.annotations?.[RELEASE_ANNOTATION];
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as ReleaseRecord;
    return typeof parsed.newRooms === 'number' && typeof parsed.images === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const sameImages = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface ReleaseOptions {
  readonly images: Readonly<Record<string, string>>;
  /** New rooms to start; default: as many as the set has rooms now. */
  readonly newRooms?: number;
}

export function planRelease(set: GameServerSetObject, rooms: readonly Room[], options: ReleaseOptions): ReleaseStep {
  const strategy = set.spec.updateStrategy;
  if (strategy?.type !== 'OnDelete') {
    return { kind: 'onDelete', operations: [{ op: 'add', path: '/spec/updateStrategy', value: { type: 'OnDelete' } }] };
  }
  const containers = set.spec.gameServerTemplate?.spec?.containers ?? [];
  for (const name of Object.keys(options.images)) {
    if (!containers.some((container) => container.name === name)) {
      throw new ReleaseInputError(`container ${JSON.stringify(name)} is not in the template of ${set.metadata.name} (it has ${containers.map((c) => c.name).join(', ')})`);
    }
  }
  const record = readRecord(set);
  if (!record || !sameImages(record.images, options.images)) {
    const replicas = set.spec.replicas ?? 0;
    const newRooms = options.newRooms ?? Math.max(1, replicas);
    const next: ReleaseRecord = { images: options.images, newRooms, replicas: replicas + newRooms };
    const operations: JsonPatchOperation[] = [];
    containers.forEach((container, index) => {
      const image = options.images[container.name];
      const path = `/spec/gameServerTemplate/spec/containers/${index}`;
      if (image === undefined || container.image === image) return;
      operations.push({ op: 'test', path: `${path}/name`, value: container.name }, { op: 'replace', path: `${path}/image`, value: image });
    });
    operations.push(
      set.spec.replicas === undefined
        ? { op: 'add', path: '/spec/replicas', value: next.replicas }
        : { op: 'test', path: '/spec/replicas', value: replicas },
      { op: 'replace', path: '/spec/replicas', value: next.replicas },
    );
    const annotations = set.metadata.annotations;
    operations.push(
      annotations
        ? { op: 'add', path: `/metadata/annotations/${escapePointer(RELEASE_ANNOTATION)}`, value: JSON.stringify(next) }
        : { op: 'add', path: '/metadata/annotations', value: { [RELEASE_ANNOTATION]: JSON.stringify(next) } },
    );
    return { kind: 'rollout', operations, record: next };
  }
  // A room is new when its pod runs the released images: OKG publishes no update revision, and
  // this holds on both operators (and before the operator has even seen the new template).
  const withPod = rooms.filter((room) => Object.keys(room.images).length > 0);
  const isNew = (room: Room): boolean => Object.entries(options.images).every(([container, image]) => room.images[container] === image);
  const ready = withPod.filter((room) => isNew(room) && room.state === 'Ready').length;
  if (ready < record.newRooms) return { kind: 'wait', record, ready, reason: `${ready}/${record.newRooms} new rooms Ready` };
  const old = withPod.filter((room) => !isNew(room));
  return {
    kind: 'retire',
    record,
    idle: old.filter((room) => room.opsState === 'None'),
    busy: old.filter((room) => room.opsState !== 'None' && room.opsState !== 'WaitToBeDeleted' && room.opsState !== 'Kill'),
  };
}
