import { describe, expect, it } from '@jest/globals';
import { computePodSync, priorityString } from './compute-pod-sync.js';
import { gameServer, pod, syncedLabels } from './fixtures.js';
import { GS_SYNC_PREFIX } from './keys.js';
import { labelKeyProblem, labelValueProblem } from './label-syntax.js';
import type { GameServerLike, GameServerState, PodLike } from './types.js';

const NOW = new Date('2024-05-01T12:00:00.789Z');
const STAMP = '2024-05-01T12:00:00Z';

function synced(opsState = 'None', state: GameServerState = 'Ready') {
  const b = pod().running().ready();
  for (const [k, v] of Object.entries(syncedLabels(opsState, state))) b.label(k, v);
  return b;
}

describe('computePodSync', () => {
  const cases: [string, GameServerLike, PodLike, GameServerState, ReturnType<typeof computePodSync>['patch']][] = [
    ['nothing to change → null', gameServer(), synced().build(), 'Ready', null],
    [
      'new pod: every ops label, opsState time, no state time (no previous state)',
      gameServer(),
      pod().running().ready().build(),
      'Ready',
      {
        metadata: {
          labels: syncedLabels('None', 'Ready'),
          annotations: { 'game.kruise.io/opsState-last-changed-time': STAMP },
        },
      },
    ],
    [
      'opsState change → label and opsState-last-changed-time',
      gameServer({ spec: { opsState: 'Allocated' } }),
      synced().build(),
      'Ready',
      { metadata: { labels: { 'game.kruise.io/gs-opsState': 'Allocated' }, annotations: { 'game.kruise.io/opsState-last-changed-time': STAMP } } },
    ],
    [
      'state change from a previous state → label and state-last-changed-time',
      gameServer(),
      synced('None', 'Creating').build(),
      'Ready',
      { metadata: { labels: { 'game.kruise.io/gs-state': 'Ready' }, annotations: { 'game.kruise.io/state-last-changed-time': STAMP } } },
    ],
    [
      'priorities and networkDisabled as strings',
      gameServer({ spec: { updatePriority: 10, deletionPriority: '100', networkDisabled: true } }),
      synced().build(),
      'Ready',
      { metadata: { labels: { 'game.kruise.io/gs-update-priority': '10', 'game.kruise.io/gs-delete-priority': '100', 'game.kruise.io/network-disabled': 'true' } } },
    ],
    [
      'unset priorities and opsState fall back to the creation defaults',
      { metadata: { name: 'gs-0' }, spec: {} },
      synced().build(),
      'Ready',
      null,
    ],
    [
      'gs-sync/* labels and annotations are copied, others are not',
      gameServer({ labels: { [`${GS_SYNC_PREFIX}zone`]: 'a', team: 'x' }, annotations: { [`${GS_SYNC_PREFIX}match`]: 'ranked', note: 'y' } }),
      synced().build(),
      'Ready',
      { metadata: { labels: { [`${GS_SYNC_PREFIX}zone`]: 'a' }, annotations: { [`${GS_SYNC_PREFIX}match`]: 'ranked' } } },
    ],
    [
      'gs-sync/* already on the pod → nothing',
      gameServer({ labels: { [`${GS_SYNC_PREFIX}zone`]: 'a' } }),
      synced().label(`${GS_SYNC_PREFIX}zone`, 'a').build(),
      'Ready',
      null,
    ],
    [
      'image override differing from the pod → that container only',
      gameServer({ spec: { containers: [{ name: 'sidecar', image: 'sidecar:v2' }, { name: 'game', image: 'game:v1' }] } }),
      (() => {
        const b = pod().containers({ name: 'game', image: 'game:v1' }, { name: 'sidecar', image: 'sidecar:v1' }).running().ready();
        for (const [k, v] of Object.entries(syncedLabels('None', 'Ready'))) b.label(k, v);
        return b.build();
      })(),
      'Ready',
      { spec: { containers: [{ name: 'sidecar', image: 'sidecar:v2' }] } },
    ],
    [
      'override without an image is ignored',
      gameServer({ spec: { containers: [{ name: 'game' }] } }),
      synced().build(),
      'Ready',
      null,
    ],
  ];

  it.each(cases)('%s', (_name, gs, p, state, expected) => {
    expect(computePodSync({ gs, pod: p, state, now: NOW }).patch).toEqual(expected);
  });

  it('skips a value that is not a valid label and warns, keeping the rest of the patch', () => {
    const plan = computePodSync({ gs: gameServer({ spec: { opsState: 'Idle Server', deletionPriority: -5 } }), pod: synced().build(), state: 'Ready', now: NOW });
    expect(plan.patch).toBeNull();
    expect(plan.warnings.map((w) => [w.type, w.reason])).toEqual([
      ['Warning', 'InvalidPodLabel'],
      ['Warning', 'InvalidPodLabel'],
    ]);
    expect(plan.warnings[0]?.message).toContain('game.kruise.io/gs-opsState="Idle Server"');
    expect(plan.warnings[1]?.message).toContain('game.kruise.io/gs-delete-priority="-5"');
  });

  it.each<[string, GameServerLike]>([
    ['a new opsState', gameServer({ spec: { opsState: 'Allocated' } })],
    ['an image override', gameServer({ spec: { containers: [{ name: 'game', image: 'game:v2' }] } })],
  ])('writes only the state label Deleting to a terminating pod, as OKG does: not %s', (_name, gs) => {
    const terminating = synced().deleting().build();
    expect(computePodSync({ gs, pod: terminating, state: 'Deleting', now: NOW }).patch).toEqual({
      metadata: { labels: { 'game.kruise.io/gs-state': 'Deleting' }, annotations: { 'game.kruise.io/state-last-changed-time': '2024-05-01T12:00:00Z' } },
    });
    const labelled = synced().deleting().label('game.kruise.io/gs-state', 'Deleting').build();
    expect(computePodSync({ gs, pod: labelled, state: 'Deleting', now: NOW })).toEqual({ patch: null, warnings: [] });
  });

  it('warns about an override for a container the pod does not have', () => {
    const plan = computePodSync({ gs: gameServer({ spec: { containers: [{ name: 'ghost', image: 'x:1' }] } }), pod: synced().build(), state: 'Ready', now: NOW });
    expect(plan.patch).toBeNull();
    expect(plan.warnings).toEqual([{ type: 'Warning', reason: 'UnknownContainerOverride', message: 'spec.containers names ghost, which the pod does not have' }]);
  });
});

describe('priorityString', () => {
  it.each([
    [undefined, '0'],
    [null, '0'],
    ['', '0'],
    [0, '0'],
    [7, '7'],
    ['12', '12'],
  ] as const)('%p → %p', (input, expected) => {
    expect(priorityString(input)).toBe(expected);
  });
});

describe('label syntax', () => {
  it.each([
    ['', undefined],
    ['Ready', undefined],
    ['a.b-c_d', undefined],
    ['-5', 'start'],
    ['has space', 'start'],
    ['x'.repeat(64), '63'],
  ] as const)('value %p', (value, problem) => {
    const found = labelValueProblem(value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it.each([
    ['app', true],
    ['game.kruise.io/gs-state', true],
    ['gs-sync/zone', true],
    ['Bad_Prefix/x', false],
    ['/x', false],
    ['x/', false],
    ['-x', false],
  ] as const)('key %p valid=%p', (key, valid) => {
    expect(labelKeyProblem(key) === undefined).toBe(valid);
  });
});
