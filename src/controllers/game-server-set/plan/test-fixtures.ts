// Builders for the planners' tables: a steady set and running, ready pods,
// each overridable field by field.
import type { PodView, SetView, UpdateStrategyView } from './types.js';

/** The fixed "now" of every table. */
export const NOW = Date.parse('2026-01-01T12:00:00Z');

/** RFC 3339 time `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString();
}

export interface SetOverrides extends Partial<Omit<SetView, 'updateStrategy' | 'scaleStrategy'>> {
  updateStrategy?: Partial<UpdateStrategyView>;
  scaleStrategy?: Partial<SetView['scaleStrategy']>;
}

export function aSet(overrides: SetOverrides = {}): SetView {
  const { updateStrategy, scaleStrategy, ...rest } = overrides;
  return {
    name: 'gss',
    namespace: 'default',
    uid: 'set-uid',
    generation: 1,
    replicas: 0,
    reserveGameServerIds: [],
    podManagementPolicy: 'Parallel',
    template: { spec: { containers: [{ name: 'app', image: 'app:v1' }] } },
    volumeClaimTemplates: [],
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    revisionHistoryLimit: 10,
    ...rest,
    scaleStrategy: { scaleDownStrategyType: 'General', ...scaleStrategy },
    updateStrategy: {
      type: 'RollingUpdate',
      partition: 0,
      maxUnavailable: 1,
      podUpdatePolicy: 'ReCreate',
      paused: false,
      minReadySeconds: 0,
      gracePeriodSeconds: 0,
      ...updateStrategy,
    },
  };
}

/** A running, ready pod of set `gss` on revision `r1`, Ready for an hour. */
export function aPod(ordinal: number, overrides: Partial<PodView> = {}): PodView {
  return {
    name: `gss-${ordinal}`,
    ordinal,
    uid: `uid-${ordinal}`,
    revision: 'r1',
    opsState: 'None',
    deletionPriority: 0,
    updatePriority: 0,
    phase: 'Running',
    ready: true,
    readySince: ago(3600),
    deleting: false,
    ...overrides,
  };
}

/** Running, ready pods for each ordinal. */
export function pods(...ordinals: number[]): PodView[] {
  return ordinals.map((ordinal) => aPod(ordinal));
}

/** A pod that is terminating (deletionTimestamp set, grace period still running). */
export function terminating(ordinal: number, overrides: Partial<PodView> = {}): PodView {
  return aPod(ordinal, { deleting: true, deletionTimestamp: new Date(NOW + 30_000).toISOString(), ...overrides });
}

/** A pod that exists but is not ready yet. */
export function notReady(ordinal: number, overrides: Partial<PodView> = {}): PodView {
  return aPod(ordinal, { ready: false, readySince: undefined, ...overrides });
}
