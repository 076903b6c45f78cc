import { describe, expect, it } from '@jest/globals';
import { parseImages, planRelease, ReleaseInputError } from './plan-release.js';
import type { GameServerSetObject, Room } from './rooms.js';

const RECORD = JSON.stringify({ images: { game: 'game:2' }, newRooms: 2, replicas: 4 });

function set(extra: { type?: string; annotation?: string; replicas?: number } = {}): GameServerSetObject {
  return {
    metadata: { name: 'mc', ...(extra.annotation ? { annotations: { 'gamekeeper.dev/release': extra.annotation } } : {}) },
    spec: {
      replicas: extra.replicas ?? 2,
      updateStrategy: { type: extra.type ?? 'OnDelete' },
      gameServerTemplate: { spec: { containers: [{ name: 'sidecar', image: 'side:1' }, { name: 'game', image: 'game:1' }] } },
    },
  };
}

const room = (name: string, revision: Room['revision'], state: string, opsState = 'None'): Room => ({
  images: revision === '' ? {} : { sidecar: 'side:1', game: revision === 'new' ? 'game:2' : 'game:1' },
  namespace: 'ns',
  name,
  set: 'mc',
  state,
  opsState,
  deletionPriority: '0',
  updatePriority: '0',
  revision,
  node: '',
  address: '',
  createdAt: undefined,
  gameServer: { metadata: { name } },
});

describe('parseImages', () => {
  it('reads CONTAINER=IMAGE flags, sorted by container', () => {
    expect(parseImages(['z=img:2', 'game=repo/game:2.0=x'])).toEqual({ game: 'repo/game:2.0=x', z: 'img:2' });
  });
  it.each([[[]], [['game']], [['=img']], [['game=']]])('refuses %j', (flags) => {
    expect(() => parseImages(flags)).toThrow(ReleaseInputError);
  });
});

describe('planRelease', () => {
  const images = { game: 'game:2' };

  it('first switches a RollingUpdate set to OnDelete', () => {
    expect(planRelease(set({ type: 'RollingUpdate' }), [], { images })).toEqual({
      kind: 'onDelete',
      operations: [{ op: 'add', path: '/spec/updateStrategy', value: { type: 'OnDelete' } }],
    });
  });

  it('then sets the images, scales out by the room count and records the release, each guarded by a test', () => {
    expect(planRelease(set(), [], { images })).toEqual({
      kind: 'rollout',
      record: { images, newRooms: 2, replicas: 4 },
      operations: [
        { op: 'test', path: '/spec/gameServerTemplate/spec/containers/1/name', value: 'game' },
        { op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'game:2' },
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/annotations', value: { 'gamekeeper.dev/release': RECORD } },
      ],
    });
  });

  it('--new-rooms overrides the count; a release of other images starts over', () => {
    const step = planRelease(set({ annotation: JSON.stringify({ images: { game: 'game:1.5' }, newRooms: 1, replicas: 3 }) }), [], { images, newRooms: 5 });
    expect(step).toMatchObject({ kind: 'rollout', record: { newRooms: 5, replicas: 7 } });
    expect(step.kind === 'rollout' && step.operations.at(-1)).toEqual({ op: 'add', path: '/metadata/annotations/gamekeeper.dev~1release', value: JSON.stringify({ images, newRooms: 5, replicas: 7 }) });
  });

  it('refuses a container the template does not have', () => {
    expect(() => planRelease(set(), [], { images: { web: 'x' } })).toThrow(/container "web" is not in the template of mc \(it has sidecar, game\)/);
  });

  it('waits until enough rooms run the new images and are Ready (a room without a pod counts for nothing)', () => {
    const rooms = [room('mc-0', 'old', 'Ready'), room('mc-2', 'new', 'Ready'), room('mc-3', 'new', 'Creating'), room('mc-4', '', 'Ready')];
    expect(planRelease(set({ annotation: RECORD }), rooms, { images })).toEqual({ kind: 'wait', record: JSON.parse(RECORD), ready: 1, reason: '1/2 new rooms Ready' });
  });

  it('retires idle old rooms once enough new rooms are Ready, and names the busy ones', () => {
    const rooms = [
      room('mc-0', 'old', 'Ready', 'Allocated'),
      room('mc-1', 'old', 'Ready'),
      room('mc-2', 'old', 'NotReady', 'WaitToBeDeleted'),
      room('mc-3', 'old', 'Ready', 'Maintaining'),
      room('mc-4', 'new', 'Ready'),
      room('mc-5', 'new', 'Ready'),
    ];
    const step = planRelease(set({ annotation: RECORD }), rooms, { images });
    expect(step.kind).toBe('retire');
    if (step.kind !== 'retire') return;
    expect(step.idle.map((r) => r.name)).toEqual(['mc-1']);
    expect(step.busy.map((r) => r.name)).toEqual(['mc-0', 'mc-3']);
  });
});
