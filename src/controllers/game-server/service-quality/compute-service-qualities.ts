// All service qualities of a set for one GameServer: the new
// serviceQualitiesConditions, the GameServer merge patch the fired actions
// make, and the Warning events. Service qualities apply in the set's order, each
// seeing what the earlier ones set (later ones win), as in OKG.
import { PROBE_ERROR_REASON } from '../keys.js';
import type { GameServerEvent, GameServerLike, ServiceQualityCondition } from '../types.js';
import { selectActions, type ActionTarget, type ProbeObservation, type ServiceQualityLike, type SpecChanges } from './select-actions.js';

export interface ServiceQualitiesInput {
  serviceQualities: readonly ServiceQualityLike[];
  gs: GameServerLike;
  /** The outcome each probe currently reports, by service-quality name; absent while a probe has not reported yet. */
  observations: ReadonlyMap<string, ProbeObservation>;
  now: Date;
}

/** A JSON merge patch for the GameServer (not its status). */
export interface GameServerPatch {
  spec?: SpecChanges;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface ServiceQualitiesPlan {
  conditions: ServiceQualityCondition[];
  patch: GameServerPatch | null;
  warnings: GameServerEvent[];
}

export function computeServiceQualities(input: ServiceQualitiesInput): ServiceQualitiesPlan {
  const previousConditions = input.gs.status?.serviceQualitiesConditions ?? [];
  const target: ActionTarget = {
    spec: { ...input.gs.spec },
    labels: { ...input.gs.metadata?.labels },
    annotations: { ...input.gs.metadata?.annotations },
  };
  const spec: SpecChanges = {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const conditions: ServiceQualityCondition[] = [];
  const warnings: GameServerEvent[] = [];

  for (const sq of input.serviceQualities) {
    const previous = previousConditions.find((c) => c.name === sq.name);
    const observation = input.observations.get(sq.name);
    if (observation === undefined) {
      conditions.push(previous ?? { name: sq.name });
      continue;
    }
    const selection = selectActions({ serviceQuality: sq, previous, observation, target, now: input.now });
    conditions.push(selection.condition);
    warnings.push(...selection.warnings);
    if (observation.kind === 'error' && (previous?.status !== 'Unknown' || previous.result !== selection.condition.result)) {
      warnings.push({ type: 'Warning', reason: PROBE_ERROR_REASON, message: `service quality ${sq.name}: ${observation.reason}: ${observation.message}` });
    }
    Object.assign(spec, selection.spec);
    Object.assign(target.spec, selection.spec);
    Object.assign(labels, selection.labels);
    Object.assign(target.labels, selection.labels);
    Object.assign(annotations, selection.annotations);
    Object.assign(target.annotations, selection.annotations);
  }

  return { conditions, patch: buildPatch(input.gs, spec, labels, annotations), warnings };
}

function buildPatch(gs: GameServerLike, spec: SpecChanges, labels: Record<string, string>, annotations: Record<string, string>): GameServerPatch | null {
  const patch: GameServerPatch = {};
  const specChanges = Object.fromEntries(
    Object.entries(spec).filter(([key, value]) => String(gs.spec?.[key as keyof SpecChanges] ?? '') !== String(value)),
  ) as SpecChanges;
  if (Object.keys(specChanges).length > 0) patch.spec = specChanges;
  const changedLabels = Object.fromEntries(Object.entries(labels).filter(([k, v]) => gs.metadata?.labels?.[k] !== v));
  const changedAnnotations = Object.fromEntries(Object.entries(annotations).filter(([k, v]) => gs.metadata?.annotations?.[k] !== v));
  if (Object.keys(changedLabels).length > 0 || Object.keys(changedAnnotations).length > 0) {
    patch.metadata = {};
    if (Object.keys(changedLabels).length > 0) patch.metadata.labels = changedLabels;
    if (Object.keys(changedAnnotations).length > 0) patch.metadata.annotations = changedAnnotations;
  }
  return patch.spec || patch.metadata ? patch : null;
}
