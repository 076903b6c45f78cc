import { describe, expect, it } from '@jest/globals';
import { IN_PLACE_EVENT_NAMES, inPlaceUpdateMessages, planUpdate, revisionsForNewPods, type InPlaceUpdate, type UpdatePlan } from './plan-update.js';
import { NOW, aPod, aSet, ago, notReady, terminating, type SetOverrides } from './test-fixtures.js';
import type { PodTemplateView, PodView } from './types.js';

const template = (app: string, sidecar: string, extra: Record<string, unknown> = {}): PodTemplateView => ({
  metadata: { labels: { game: 'x' } },
  spec: {
    initContainers: [{ name: 'init', image: 'init:1' }],
    containers: [
      { name: 'app', image: app },
      { name: 'sidecar', image: sidecar },
    ],
    ...extra,
  },
});

/** r1 → r2 changes the sidecar image only; r1 → r3 also changes the pod spec. */
const templates = new Map<string, PodTemplateView>([
  ['r1', template('app:1', 'side:1')],
  ['r2', template('app:1', 'side:2')],
  ['r3', template('app:1', 'side:2', { terminationGracePeriodSeconds: 5 })],
]);

interface Case {
  name: string;
  set: SetOverrides;
  pods: PodView[];
  update?: string;
  expected: UpdatePlan;
}

const none: UpdatePlan = { recreate: [], inPlace: [], blocked: [] };
const sidecar = (name: string) => ({ name, revision: 'r2', containers: [{ name: 'sidecar', image: 'side:2' }] });
const old = (...ordinals: number[]) => ordinals.map((o) => aPod(o));

const ordering: Case[] = [
  { name: 'everything on the update revision: nothing', set: { replicas: 2 }, pods: old(0, 1), update: 'r1', expected: none },
  { name: 'maxUnavailable 1 recreates the highest ordinal first', set: { replicas: 3 }, pods: old(0, 1, 2), expected: { ...none, recreate: ['gss-2'] } },
  {
    name: 'higher updatePriority goes first',
    set: { replicas: 3 },
    pods: [aPod(0, { updatePriority: 10 }), aPod(1), aPod(2)],
    expected: { ...none, recreate: ['gss-0'] },
  },
  {
    name: 'negative updatePriority goes last',
    set: { replicas: 3, updateStrategy: { maxUnavailable: 2 } },
    pods: [aPod(0), aPod(1, { updatePriority: -1 }), aPod(2, { updatePriority: -1 })],
    expected: { ...none, recreate: ['gss-0', 'gss-2'] },
  },
  { name: 'maxUnavailable 2 takes two', set: { replicas: 3, updateStrategy: { maxUnavailable: 2 } }, pods: old(0, 1, 2), expected: { ...none, recreate: ['gss-2', 'gss-1'] } },
  { name: 'percent rounds down: 50% of 5 is 2', set: { replicas: 5, updateStrategy: { maxUnavailable: '50%' } }, pods: old(0, 1, 2, 3, 4), expected: { ...none, recreate: ['gss-4', 'gss-3'] } },
  { name: 'percent is at least 1: 10% of 5', set: { replicas: 5, updateStrategy: { maxUnavailable: '10%' } }, pods: old(0, 1, 2, 3, 4), expected: { ...none, recreate: ['gss-4'] } },
  {
    name: 'partition 2 of 5 updates 3, highest updatePriority first',
    set: { replicas: 5, updateStrategy: { partition: 2, maxUnavailable: 5 } },
    pods: [aPod(0, { updatePriority: 9 }), aPod(1), aPod(2, { updatePriority: 5 }), aPod(3), aPod(4)],
    expected: { ...none, recreate: ['gss-0', 'gss-2', 'gss-4'] },
  },
  {
    name: 'partition counts only pods still old',
    set: { replicas: 5, updateStrategy: { partition: 2, maxUnavailable: 5 } },
    pods: [aPod(0), aPod(1), aPod(2), aPod(3, { revision: 'r2' }), aPod(4, { revision: 'r2' })],
    expected: { ...none, recreate: ['gss-2'] },
  },
  { name: 'partition equal to replicas: nothing', set: { replicas: 3, updateStrategy: { partition: 3 } }, pods: old(0, 1, 2), expected: none },
  { name: 'partition above replicas: nothing', set: { replicas: 3, updateStrategy: { partition: 10 } }, pods: old(0, 1, 2), expected: none },
  { name: 'paused: nothing', set: { replicas: 3, updateStrategy: { paused: true } }, pods: old(0, 1, 2), expected: none },
  { name: 'OnDelete: nothing', set: { replicas: 3, updateStrategy: { type: 'OnDelete' } }, pods: old(0, 1, 2), expected: none },
  { name: 'empty set: nothing', set: { replicas: 0 }, pods: [], expected: none },
];

const pacing: Case[] = [
  {
    name: 'a not-ready pod uses the budget: the available target waits',
    set: { replicas: 3 },
    pods: [aPod(0), notReady(1), aPod(2)],
    expected: none,
  },
  {
    name: 'an unavailable target may always be updated',
    set: { replicas: 3 },
    pods: [aPod(0), notReady(1, { updatePriority: 5 }), aPod(2)],
    expected: { ...none, recreate: ['gss-1'] },
  },
  {
    name: 'an updated pod short of minReadySeconds blocks, recheck when it matures',
    set: { replicas: 3, updateStrategy: { minReadySeconds: 30 } },
    pods: [aPod(0), aPod(1), aPod(2, { revision: 'r2', readySince: ago(5) })],
    expected: { ...none, recheckAfterSeconds: 25 },
  },
  {
    name: 'an in-place update in progress counts as unavailable',
    set: { replicas: 3 },
    pods: [aPod(0), aPod(1), aPod(2, { revision: 'r2', inPlaceUpdating: true })],
    expected: none,
  },
  {
    name: 'a missing pod (ordinal being recreated) counts as unavailable',
    set: { replicas: 3 },
    pods: [aPod(0), aPod(1), terminating(2)],
    expected: none,
  },
  {
    name: 'terminating pods are never updated',
    set: { replicas: 2, updateStrategy: { maxUnavailable: 3 } },
    pods: [aPod(0), terminating(1)],
    expected: { ...none, recreate: ['gss-0'] },
  },
  {
    name: 'pods on reserved ordinals are left to the scale planner',
    set: { replicas: 2, reserveGameServerIds: [2], updateStrategy: { maxUnavailable: 3 } },
    pods: old(0, 1, 2),
    expected: { ...none, recreate: ['gss-1', 'gss-0'] },
  },
  {
    name: 'a failed pod is left to the scale planner but keeps its slot',
    set: { replicas: 2, updateStrategy: { maxUnavailable: 3 } },
    pods: [aPod(0), aPod(1, { phase: 'Failed', ready: false })],
    expected: { ...none, recreate: ['gss-0'] },
  },
];

const policies: Case[] = [
  {
    name: 'InPlaceIfPossible: image-only change goes in place',
    set: { replicas: 2, updateStrategy: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 } },
    pods: old(0, 1),
    expected: { ...none, inPlace: [sidecar('gss-1'), sidecar('gss-0')] },
  },
  {
    name: 'InPlaceIfPossible: any other change recreates',
    set: { replicas: 1, updateStrategy: { podUpdatePolicy: 'InPlaceIfPossible' } },
    pods: old(0),
    update: 'r3',
    expected: { ...none, recreate: ['gss-0'] },
  },
  {
    name: 'InPlaceIfPossible: unknown pod revision recreates',
    set: { replicas: 1, updateStrategy: { podUpdatePolicy: 'InPlaceIfPossible' } },
    pods: [aPod(0, { revision: '' })],
    expected: { ...none, recreate: ['gss-0'] },
  },
  {
    name: 'InPlaceOnly: image-only change goes in place',
    set: { replicas: 1, updateStrategy: { podUpdatePolicy: 'InPlaceOnly' } },
    pods: old(0),
    expected: { ...none, inPlace: [sidecar('gss-0')] },
  },
  {
    name: 'InPlaceOnly: never recreates, reports every blocked pod without using budget',
    set: { replicas: 2, updateStrategy: { podUpdatePolicy: 'InPlaceOnly' } },
    pods: old(0, 1),
    update: 'r3',
    expected: { ...none, blocked: [{ name: 'gss-1', reason: 'NotInPlaceUpdatable' }, { name: 'gss-0', reason: 'NotInPlaceUpdatable' }] },
  },
  {
    name: 'InPlaceOnly: unknown revision is reported',
    set: { replicas: 1, updateStrategy: { podUpdatePolicy: 'InPlaceOnly' } },
    pods: [aPod(0, { revision: 'gone' })],
    expected: { ...none, blocked: [{ name: 'gss-0', reason: 'RevisionUnknown' }] },
  },
  {
    name: 'a GameServer image override is never reverted: only the revision label moves',
    set: { replicas: 1, updateStrategy: { podUpdatePolicy: 'InPlaceIfPossible' } },
    pods: [aPod(0, { imageOverrides: { sidecar: 'side:hotfix' } })],
    expected: { ...none, inPlace: [{ name: 'gss-0', revision: 'r2', containers: [] }] },
  },
  {
    name: 'an override of another container does not stop the patch',
    set: { replicas: 1, updateStrategy: { podUpdatePolicy: 'InPlaceIfPossible' } },
    pods: [aPod(0, { imageOverrides: { app: 'app:hotfix' } })],
    expected: { ...none, inPlace: [sidecar('gss-0')] },
  },
  {
    name: 'ReCreate ignores in-place eligibility',
    set: { replicas: 1 },
    pods: old(0),
    expected: { ...none, recreate: ['gss-0'] },
  },
];

// gamekeeper.dev/update-ops-states
const idleOnly: Case[] = [
  {
    name: 'idle only: an Allocated room is skipped, the next idle one goes',
    set: { replicas: 3, updateOpsStates: ['None', 'WaitToBeDeleted'] },
    pods: [aPod(0), aPod(1), aPod(2, { opsState: 'Allocated' })],
    expected: { ...none, recreate: ['gss-1'] },
  },
  {
    name: 'idle only: in place too',
    set: { replicas: 2, updateOpsStates: ['None'], updateStrategy: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 } },
    pods: [aPod(0, { opsState: 'Maintaining' }), aPod(1)],
    expected: { ...none, inPlace: [sidecar('gss-1')] },
  },
  {
    name: 'idle only: nothing while every old room is busy',
    set: { replicas: 2, updateOpsStates: ['None'], updateStrategy: { maxUnavailable: 2 } },
    pods: [aPod(0, { opsState: 'Allocated' }), aPod(1, { opsState: 'Maintaining' })],
    expected: none,
  },
  {
    name: 'idle only: an unset opsState counts as None',
    set: { replicas: 2, updateOpsStates: ['None'], updateStrategy: { maxUnavailable: 2 } },
    pods: [aPod(0, { opsState: '' }), aPod(1, { opsState: 'Allocated' })],
    expected: { ...none, recreate: ['gss-0'] },
  },
  {
    name: 'idle only: the partition still leaves that many rooms old, idle ones updated first',
    set: { replicas: 4, updateOpsStates: ['None'], updateStrategy: { partition: 2, maxUnavailable: 4 } },
    pods: [aPod(0), aPod(1), aPod(2, { opsState: 'Allocated', updatePriority: 9 }), aPod(3)],
    expected: { ...none, recreate: ['gss-3', 'gss-1'] },
  },
  {
    name: 'idle only: a room that became idle is picked up',
    set: { replicas: 2, updateOpsStates: ['None', 'WaitToBeDeleted'] },
    pods: [aPod(0, { revision: 'r2' }), aPod(1, { opsState: 'WaitToBeDeleted' })],
    expected: { ...none, recreate: ['gss-1'] },
  },
  {
    name: 'idle only: an empty list updates nothing',
    set: { replicas: 1, updateOpsStates: [] },
    pods: old(0),
    expected: none,
  },
];

describe('planUpdate', () => {
  it.each([...ordering, ...pacing, ...policies, ...idleOnly])('$name', ({ set, pods, update, expected }) => {
    const plan = planUpdate(aSet(set), pods, { updateRevision: update ?? 'r2', templates }, NOW);
    expect(plan).toEqual(expected);
  });
});

describe('revisionsForNewPods', () => {
  const revisions = { currentRevision: 'r1', updateRevision: 'r2' };
  it.each([
    {
      name: 'no rollout in progress: update revision',
      set: { updateStrategy: { partition: 3 } },
      pods: old(0),
      ordinals: [1],
      revisions: { currentRevision: 'r2', updateRevision: 'r2' },
      expected: ['r2'],
    },
    {
      name: 'OnDelete: a deleted pod comes back on the update revision',
      set: { updateStrategy: { type: 'OnDelete' as const, partition: 3 } },
      pods: old(0, 1),
      ordinals: [2],
      revisions,
      expected: ['r2'],
    },
    {
      name: 'partition not yet met by old pods: current revision',
      set: { updateStrategy: { partition: 2 } },
      pods: [aPod(0, { revision: 'r2' }), aPod(1, { revision: 'r2' }), aPod(2)],
      ordinals: [3],
      revisions,
      expected: ['r1'],
    },
    {
      name: 'several new pods fill the partition, then the rest are updated',
      set: { updateStrategy: { partition: 2 } },
      pods: [aPod(0, { revision: 'r2' })],
      ordinals: [3, 1, 2],
      revisions,
      expected: ['r1', 'r1', 'r2'],
    },
    {
      name: 'partition already held by old pods: update revision',
      set: { updateStrategy: { partition: 1 } },
      pods: old(0),
      ordinals: [1],
      revisions,
      expected: ['r2'],
    },
  ])('$name', ({ set, pods, ordinals, revisions: given, expected }) => {
    const result = revisionsForNewPods(aSet(set), pods, ordinals, given);
    expect(result.map((r) => r.revision)).toEqual(expected);
    expect(result.map((r) => r.ordinal)).toEqual([...ordinals].sort((a, b) => a - b));
  });
});

describe('planUpdate with lifecycle states (Kruise isHealthy: a pod not Normal is unavailable)', () => {
  const revisions = { updateRevision: 'r2', templates };
  it('a PreparingDelete pod is never updated and not counted among the replicas', () => {
    const pods = [aPod(0), aPod(1, { lifecycleState: 'PreparingDelete' })];
    const plan = planUpdate(aSet({ replicas: 2, updateStrategy: { maxUnavailable: 2 } }), pods, revisions, NOW);
    expect(plan.recreate).toEqual(['gss-0']);
  });
  it('a pod an inPlaceUpdate hook holds in PreparingUpdate uses the maxUnavailable budget', () => {
    const pods = [aPod(0), aPod(1, { lifecycleState: 'PreparingUpdate' })];
    const plan = planUpdate(aSet({ replicas: 2, updateStrategy: { podUpdatePolicy: 'InPlaceIfPossible' } }), pods, revisions, NOW);
    expect(plan.inPlace.map((u) => u.name)).toEqual(['gss-1']);
  });
});

describe('inPlaceUpdateMessages', () => {
  const update = (name: string, revision = 'r2', image = 's:2'): InPlaceUpdate => ({ name, revision, containers: [{ name: 'sidecar', image }] });
  const cases: [string, InPlaceUpdate[], string[]][] = [
    ['nothing patched: no event', [], []],
    ['one pod: named as before', [update('gs-0')], ['updating Pod gs-0 in place to revision r2 (sidecar=s:2)']],
    ['a revision label only', [{ name: 'gs-0', revision: 'r2', containers: [] }], ['updating Pod gs-0 in place to revision r2']],
    ['several pods of one change: one event', [update('gs-0'), update('gs-1')], ['updating 2 Pods in place to revision r2 (sidecar=s:2): gs-0, gs-1']],
    [
      'more pods than are named: counted',
      Array.from({ length: IN_PLACE_EVENT_NAMES + 3 }, (_, i) => update(`gs-${i}`)),
      [`updating ${IN_PLACE_EVENT_NAMES + 3} Pods in place to revision r2 (sidecar=s:2): ${Array.from({ length: IN_PLACE_EVENT_NAMES }, (_, i) => `gs-${i}`).join(', ')} and 3 more`],
    ],
    [
      'different changes: one event each',
      [update('gs-0'), update('gs-1', 'r2', 's:3'), update('gs-2')],
      ['updating 2 Pods in place to revision r2 (sidecar=s:2): gs-0, gs-2', 'updating Pod gs-1 in place to revision r2 (sidecar=s:3)'],
    ],
  ];
  it.each(cases)('%s', (_name, updates, expected) => {
    expect(inPlaceUpdateMessages(updates)).toEqual(expected);
  });
});
