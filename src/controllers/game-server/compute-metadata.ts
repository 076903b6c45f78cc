// The GameServer's own metadata the controller keeps: label
// game.kruise.io/node-name (the pod's node, OKG), merged into the
// service-quality actions' patch so both go in one write.
import { LABELS } from '../../api/constants.js';
import type { GameServerPatch } from './service-quality/compute-service-qualities.js';
import type { GameServerLike } from './types.js';

export function withNodeName(patch: GameServerPatch | null, gs: GameServerLike, nodeName: string | undefined): GameServerPatch | null {
  if (!nodeName || gs.metadata?.labels?.[LABELS.nodeName] === nodeName) return patch;
  const base = patch ?? {};
  return { ...base, metadata: { ...base.metadata, labels: { ...base.metadata?.labels, [LABELS.nodeName]: nodeName } } };
}
