// The replica count KEDA's external scaler reports for a GameServerSet, as
// OpenKruise Game's pkg/externalscaler computes it (v1.0.0): metric
// `gssReplicas`, target 1, so that an HPA with an AverageValue target asks for
// exactly this many replicas. Pure: the gRPC shell hands in the set's
// replicas, its pods as the caches hold them and the ScaledObject's metadata.
//
// OKG's rules, in order (okg.md §4):
//  1. min = minAvailable (an integer, or a fraction of the rooms); capped at
//     maxAvailable. Fewer idle (`None`) rooms than min: replicas + min - none.
//  2. Else rooms marked WaitToBeDeleted (and not being deleted): replicas - those.
//  3. Else more idle rooms than maxAvailable: replicas + max - none.
//  4. Else replicas.
//
// Where we differ (README, "Compatibility with OpenKruise Game"): OKG counts
// the pods it lists at that instant, so while a scale step is in flight it
// counts rooms twice: a WaitToBeDeleted room the set is already removing
// (replicas lowered, pod not yet terminating) is subtracted again, and rooms
// the set is about to create are missing from the idle count. We count the
// set as it will be once it has carried out its current replicas: terminating
// pods are gone, the excess pods the set deletes (in its deletion order) are
// gone, and missing pods are there as idle rooms (a new GameServer starts
// `None`). For a set at rest this is OKG's count exactly. Also, metadata OKG
// ignores or mis-parses is refused (InvalidScalerMetadataError).
import { compareForDeletion } from '../controllers/game-server-set/plan/delete-order.js';
import { opsStateIn } from '../controllers/game-server-set/plan/ops-state-list.js';

export const METRIC_NAME = 'gssReplicas';
/** The metric's target: 1, so the HPA's desired replicas are the metric's value. */
export const METRIC_TARGET = 1;
/** ScaledObject `metadata` keys (OKG NoneGameServerMinNumberKey / NoneGameServerMaxNumberKey). */
export const MIN_AVAILABLE_KEY = 'minAvailable';
export const MAX_AVAILABLE_KEY = 'maxAvailable';

/** What the computation reads of a pod (and its GameServer). */
export interface ScalerPod {
  readonly ordinal: number;
  /** GameServer spec.opsState; `''` when unknown. */
  readonly opsState: string;
  readonly deletionPriority: number;
  /** Terminating, or GameServer state Deleting. */
  readonly deleting: boolean;
}

export type ScalerMetadata = Readonly<Record<string, string>>;

export class InvalidScalerMetadataError extends Error {
  constructor(
    readonly key: string,
    readonly value: string,
    reason: string,
  ) {
    super(`scaler metadata ${key}=${JSON.stringify(value)}: ${reason}`);
    this.name = 'InvalidScalerMetadataError';
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Go's strconv.ParseFloat(text, 32) for decimal text: the float32 nearest to
 * the value, widened back to a double (OKG computes with that, so 0.2 is
 * 0.20000000298…). Hex floats, `inf` and `nan`, which Go also accepts, and
 * values beyond float32's range are refused.
 */
export function parseFloat32(key: string, text: string): number {
  if (!DECIMAL.test(text)) throw new InvalidScalerMetadataError(key, text, 'not a decimal number');
  const value = Math.fround(Number(text));
  if (!Number.isFinite(value)) throw new InvalidScalerMetadataError(key, text, 'out of range');
  return value;
}

/**
 * OKG handleMinNum: the least number of idle rooms wanted, from `minAvailable`
 * over `total` rooms of which `none` are idle. An integer n ≥ 1 (or 0) is
 * ceil(n) rooms; a fraction 0 < n < 1 asks that idle/total ≥ n after adding
 * delta idle rooms: delta = (total·n − none)/(1 − n), 0 when ≤ 0, else
 * ceil(delta rounded to 2 decimals) + none. Unset: 0. Negative: refused.
 */
export function minAvailableRooms(total: number, none: number, text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  const n = parseFloat32(MIN_AVAILABLE_KEY, text);
  if (n > 0 && n < 1) {
    const delta = (total * n - none) / (1 - n);
    if (delta <= 0) return 0;
    return Math.ceil(Math.round(delta * 100) / 100) + none;
  }
  if (n >= 1 || n === 0) return Math.ceil(n) + 0; // + 0 turns -0 into 0
  throw new InvalidScalerMetadataError(MIN_AVAILABLE_KEY, text, 'must be 0, at least 1, or a fraction between 0 and 1');
}

/** `maxAvailable`: a non-negative 32-bit integer, or undefined when unset. */
export function maxAvailableRooms(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^[+-]?\d+$/.test(text)) throw new InvalidScalerMetadataError(MAX_AVAILABLE_KEY, text, 'not an integer');
  const value = Number(text);
  if (value < 0 || value > 2 ** 31 - 1) throw new InvalidScalerMetadataError(MAX_AVAILABLE_KEY, text, 'must be between 0 and 2147483647');
  return value + 0;
}

/** Rooms of the set once it has carried out `replicas`: how many, how many idle, how many waiting to be deleted. */
export interface SettledRooms {
  readonly total: number;
  readonly none: number;
  readonly waitToBeDeleted: number;
}

/**
 * The set as it will be once it reaches `replicas`: terminating pods gone; of
 * the live ones, the excess leave in the set's deletion order (Kill, then
 * WaitToBeDeleted, then idle…), except rooms whose opsState the set protects
 * from scale-down; missing ones arrive as idle rooms.
 */
export function settleRooms(replicas: number, pods: readonly ScalerPod[], protectedStates?: readonly string[]): SettledRooms {
  const live = pods.filter((pod) => !pod.deleting);
  const excess = Math.max(0, live.length - replicas);
  const deletable = protectedStates === undefined ? live : live.filter((pod) => !opsStateIn(protectedStates, pod.opsState));
  const leaving = new Set([...deletable].sort(compareForDeletion).slice(0, excess));
  const survivors = live.filter((pod) => !leaving.has(pod));
  const born = Math.max(0, replicas - live.length);
  return {
    total: survivors.length + born,
    none: survivors.filter((pod) => pod.opsState === 'None').length + born,
    waitToBeDeleted: survivors.filter((pod) => pod.opsState === 'WaitToBeDeleted').length,
  };
}

/** GetMetrics' `gssReplicas`: the replicas the set should have (rules 1–4 above). */
export function computeDesiredReplicas(replicas: number, pods: readonly ScalerPod[], metadata: ScalerMetadata, protectedStates?: readonly string[]): number {
  const rooms = settleRooms(replicas, pods, protectedStates);
  const max = maxAvailableRooms(metadata[MAX_AVAILABLE_KEY]);
  let min = minAvailableRooms(rooms.total, rooms.none, metadata[MIN_AVAILABLE_KEY]);
  if (max !== undefined && min > max) min = max;
  if (rooms.none < min) return replicas + min - rooms.none;
  if (rooms.waitToBeDeleted > 0) return replicas - rooms.waitToBeDeleted;
  if (max !== undefined && rooms.none > max) return replicas + max - rooms.none;
  return replicas;
}

/**
 * IsActive (KEDA scales a set from and to zero on it): true when minAvailable
 * is above 0, else when rooms remain besides those waiting to be deleted.
 * Like OKG, minAvailable is only parsed here, not range-checked.
 */
export function computeIsActive(replicas: number, pods: readonly ScalerPod[], metadata: ScalerMetadata, protectedStates?: readonly string[]): boolean {
  const text = metadata[MIN_AVAILABLE_KEY];
  if (text !== undefined && text !== '' && parseFloat32(MIN_AVAILABLE_KEY, text) > 0) return true;
  const rooms = settleRooms(replicas, pods, protectedStates);
  return rooms.total - rooms.waitToBeDeleted > 0;
}
