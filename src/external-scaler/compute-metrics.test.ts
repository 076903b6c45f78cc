import { describe, expect, it } from '@jest/globals';
import {
  InvalidScalerMetadataError,
  computeDesiredReplicas,
  computeIsActive,
  maxAvailableRooms,
  minAvailableRooms,
  settleRooms,
  type ScalerPod,
} from './compute-metrics.js';

// OKG v1.0.0 pkg/externalscaler/externalscaler_test.go TestHandleMinNum, every
// vector, under its own name.
const okgHandleMinNum: { name: string; total: number; none: number; min: string; want: number | 'error' }[] = [
  { name: 'invalid minNumStr - not a number', total: 10, none: 2, min: 'abc', want: 'error' },
  { name: 'empty minNumStr - no scale up needed', total: 10, none: 2, min: '', want: 0 },
  { name: 'percentage - delta <= 0, no scale up needed', total: 10, none: 5, min: '0.5', want: 0 },
  { name: 'percentage - delta > 0, scale up needed', total: 10, none: 2, min: '0.5', want: 8 },
  { name: 'percentage - delta > 0, minNum > totalNum', total: 5, none: 1, min: '0.8', want: 16 },
  { name: 'percentage - exact match, no scale up', total: 20, none: 10, min: '0.5', want: 0 },
  { name: 'percentage - slightly below, scale up by 1', total: 19, none: 9, min: '0.5', want: 10 },
  { name: 'integer - minNum >= 1', total: 10, none: 2, min: '3', want: 3 },
  { name: 'integer - minNum >= 1, float string', total: 10, none: 2, min: '3.1', want: 4 },
  { name: 'integer - minNum is 1', total: 10, none: 0, min: '1', want: 1 },
  { name: 'invalid n - zero', total: 10, none: 2, min: '0', want: 0 },
  { name: 'invalid n - negative', total: 10, none: 2, min: '-1', want: 'error' },
  { name: 'invalid n - percentage >= 1 (e.g. 1.0 treated as integer 1)', total: 10, none: 2, min: '1.0', want: 1 },
  { name: 'percentage - totalNum is 0, noneNum is 0', total: 0, none: 0, min: '0.5', want: 0 },
  { name: 'integer - totalNum is 0, noneNum is 0', total: 0, none: 0, min: '5', want: 5 },
  { name: 'percentage - totalNum is 1, noneNum is 0, minNumStr 0.5', total: 1, none: 0, min: '0.5', want: 1 },
  { name: 'percentage - totalNum is 2, noneNum is 0, minNumStr 0.5', total: 2, none: 0, min: '0.5', want: 2 },
  { name: 'percentage - totalNum 100, noneNum 10, minNumStr 0.2', total: 100, none: 10, min: '0.2', want: 23 },
];

// Our additions: where Go's ParseFloat/ParseInt would accept what we refuse.
const ours: typeof okgHandleMinNum = [
  { name: 'ours: float32 rounding as Go ParseFloat(s, 32) (0.1 of 30 rooms, 1 idle)', total: 30, none: 1, min: '0.1', want: 4 },
  { name: 'ours: -0 is 0', total: 10, none: 2, min: '-0', want: 0 },
  { name: 'ours: exponent form', total: 10, none: 2, min: '2e0', want: 2 },
  { name: 'ours: NaN refused (OKG: error too)', total: 10, none: 2, min: 'NaN', want: 'error' },
  { name: 'ours: Inf refused (OKG: int(+Inf) is undefined)', total: 10, none: 2, min: 'Inf', want: 'error' },
  { name: 'ours: beyond float32 refused (OKG: ParseFloat range error)', total: 10, none: 2, min: '1e39', want: 'error' },
  { name: 'ours: surrounding spaces refused (OKG: ParseFloat error)', total: 10, none: 2, min: ' 3', want: 'error' },
];

describe('minAvailableRooms (OKG handleMinNum)', () => {
  it.each([...okgHandleMinNum, ...ours])('$name', ({ total, none, min, want }) => {
    if (want === 'error') expect(() => minAvailableRooms(total, none, min)).toThrow(InvalidScalerMetadataError);
    else expect(minAvailableRooms(total, none, min)).toBe(want);
  });
});

describe('maxAvailableRooms', () => {
  it.each([
    ['', undefined],
    ['0', 0],
    ['7', 7],
    ['+7', 7],
    ['2147483647', 2147483647],
  ] as const)('%j → %j', (text, want) => expect(maxAvailableRooms(text)).toBe(want));
  it.each(['-1', '2.5', 'abc', '2147483648', ' 3'])('%j is refused (OKG ignores it, or takes a negative cap)', (text) => {
    expect(() => maxAvailableRooms(text)).toThrow(InvalidScalerMetadataError);
  });
});

let next = 0;
const room = (opsState: string, extra: Partial<ScalerPod> = {}): ScalerPod => ({ ordinal: next++, opsState, deletionPriority: 0, deleting: false, ...extra });
const rooms = (spec: Record<string, number>): ScalerPod[] => Object.entries(spec).flatMap(([state, n]) => Array.from({ length: n }, () => room(state)));

interface MetricsCase {
  name: string;
  replicas: number;
  pods: ScalerPod[];
  metadata?: Record<string, string>;
  want: number;
}

const metrics: MetricsCase[] = [
  // OKG GetMetrics, a set at rest (pods == replicas): the same numbers as OKG.
  { name: 'OKG: nothing to do keeps replicas', replicas: 3, pods: rooms({ None: 2, Allocated: 1 }), want: 3 },
  { name: 'OKG: WaitToBeDeleted rooms are subtracted', replicas: 5, pods: rooms({ None: 1, WaitToBeDeleted: 2, Allocated: 2 }), want: 3 },
  {
    name: 'OKG: a WaitToBeDeleted room already Deleting is not subtracted',
    replicas: 3,
    pods: [room('WaitToBeDeleted', { deleting: true }), ...rooms({ WaitToBeDeleted: 1, None: 2 })],
    want: 2,
  },
  { name: 'OKG: fewer idle rooms than minAvailable scales up', replicas: 4, pods: rooms({ None: 1, Allocated: 3 }), metadata: { minAvailable: '3' }, want: 6 },
  {
    name: 'OKG: minAvailable wins over WaitToBeDeleted',
    replicas: 4,
    pods: rooms({ None: 1, WaitToBeDeleted: 1, Allocated: 2 }),
    metadata: { minAvailable: '2' },
    want: 5,
  },
  {
    name: 'OKG: minAvailable capped at maxAvailable',
    replicas: 4,
    pods: rooms({ None: 1, Allocated: 3 }),
    metadata: { minAvailable: '5', maxAvailable: '2' },
    want: 5,
  },
  { name: 'OKG: more idle rooms than maxAvailable scales down', replicas: 6, pods: rooms({ None: 5, Allocated: 1 }), metadata: { maxAvailable: '2' }, want: 3 },
  {
    name: 'OKG: WaitToBeDeleted wins over maxAvailable',
    replicas: 6,
    pods: rooms({ None: 4, WaitToBeDeleted: 1, Allocated: 1 }),
    metadata: { maxAvailable: '2' },
    want: 5,
  },
  {
    name: 'OKG: fractional minAvailable of the rooms',
    replicas: 10,
    pods: rooms({ None: 2, Allocated: 8 }),
    metadata: { minAvailable: '0.5' },
    want: 16,
  },
  { name: 'OKG: rooms without an opsState are not idle', replicas: 2, pods: rooms({ '': 2 }), metadata: { minAvailable: '1' }, want: 3 },
  { name: 'OKG: empty set with minAvailable', replicas: 0, pods: [], metadata: { minAvailable: '2' }, want: 2 },
  // Ours: a scale step in flight is not counted twice.
  {
    name: 'ours: WaitToBeDeleted rooms beyond replicas are already leaving (OKG would say 2)',
    replicas: 4,
    pods: rooms({ WaitToBeDeleted: 2, None: 2, Allocated: 2 }),
    want: 4,
  },
  {
    name: 'ours: Kill rooms leave before WaitToBeDeleted ones',
    replicas: 4,
    pods: rooms({ Kill: 1, WaitToBeDeleted: 2, None: 1, Allocated: 1 }),
    want: 2,
  },
  {
    name: 'ours: rooms still to be created count as idle (OKG would say 6 again)',
    replicas: 6,
    pods: rooms({ None: 1, Allocated: 3 }),
    metadata: { minAvailable: '3' },
    want: 6,
  },
  {
    name: 'ours: terminating idle rooms do not count',
    replicas: 2,
    pods: [room('None', { deleting: true }), ...rooms({ None: 1, Allocated: 1 })],
    metadata: { minAvailable: '2' },
    want: 3,
  },
];

describe('computeDesiredReplicas (OKG GetMetrics)', () => {
  it.each(metrics)('$name', ({ replicas, pods, metadata, want }) => {
    expect(computeDesiredReplicas(replicas, pods, metadata ?? {})).toBe(want);
  });

  it('refuses bad metadata instead of ignoring it', () => {
    expect(() => computeDesiredReplicas(3, rooms({ None: 3 }), { maxAvailable: 'two' })).toThrow(/maxAvailable="two": not an integer/);
    expect(() => computeDesiredReplicas(3, rooms({ None: 3 }), { minAvailable: '-1' })).toThrow(InvalidScalerMetadataError);
  });
});

describe('computeIsActive (OKG IsActive)', () => {
  it.each([
    { name: 'OKG: minAvailable above 0 is always active', replicas: 0, pods: [], metadata: { minAvailable: '0.1' }, want: true },
    { name: 'OKG: rooms besides WaitToBeDeleted ones are active', replicas: 2, pods: rooms({ WaitToBeDeleted: 1, Allocated: 1 }), metadata: {}, want: true },
    { name: 'OKG: only WaitToBeDeleted rooms is inactive', replicas: 2, pods: rooms({ WaitToBeDeleted: 2 }), metadata: {}, want: false },
    { name: 'OKG: an empty set is inactive', replicas: 0, pods: [], metadata: {}, want: false },
    { name: 'OKG: minAvailable 0 falls through', replicas: 0, pods: [], metadata: { minAvailable: '0' }, want: false },
    { name: 'OKG: a negative minAvailable falls through', replicas: 1, pods: rooms({ None: 1 }), metadata: { minAvailable: '-1' }, want: true },
  ] as { name: string; replicas: number; pods: ScalerPod[]; metadata: Record<string, string>; want: boolean }[])('$name', ({ replicas, pods, metadata, want }) => {
    expect(computeIsActive(replicas, pods, metadata)).toBe(want);
  });

  it('refuses an unparsable minAvailable (OKG: error)', () => {
    expect(() => computeIsActive(1, [], { minAvailable: 'abc' })).toThrow(InvalidScalerMetadataError);
  });
});

describe('settleRooms', () => {
  it('rooms the set protects from scale-down stay in the count', () => {
    // replicas 1 over two Allocated rooms and an idle one: only the idle room can leave
    const pods = rooms({ Allocated: 2, None: 1 });
    expect(settleRooms(1, pods, ['Allocated'])).toEqual({ total: 2, none: 0, waitToBeDeleted: 0 });
    expect(settleRooms(1, pods)).toEqual({ total: 1, none: 0, waitToBeDeleted: 0 });
  });

  it('counts the set as it will be at replicas', () => {
    expect(settleRooms(3, [room('None', { deleting: true }), ...rooms({ WaitToBeDeleted: 1, Allocated: 1 })])).toEqual({ total: 3, none: 1, waitToBeDeleted: 1 });
  });
});
