// Everything one reconcile of a pod key reads, all from the shared caches.
// The zod parses of a cached GameServer and set are kept by object: a cached
// object never changes (a change brings a new one), and a set's 1000 pods
// each reconcile several times during a rollout, every one of them parsing
// the same set object again (a tenth of the controller's CPU in a profile).
import { LABELS, parseGameServer, parseGameServerSet, type GameServer, type GameServerSet } from '../../api/index.js';
import type { ParseResult } from '../../api/parse.js';
import type { Store } from '../../runtime/store.js';
import type { CachedClaim, CachedNode, CachedObject, CachedPod } from '../shared/informers.js';
import { OWNER_GSS_INDEX } from '../shared/informers.js';
import type { NodeLike, PersistentVolumeClaimLike } from './types.js';

export interface GameServerStores {
  readonly pods: Store<CachedPod>;
  readonly gameServers: Store<CachedObject>;
  readonly sets: Store<CachedObject>;
  readonly nodes: Store<CachedNode>;
  readonly claims: Store<CachedClaim>;
}

export interface Facts {
  readonly pod: CachedPod | undefined;
  /** The cached GameServer as stored (for writes: metadata, resourceVersion). */
  readonly gameServerObject: CachedObject | undefined;
  /** The same, validated with defaults applied; undefined if absent or invalid (see gameServerProblem). */
  readonly gameServer: GameServer | undefined;
  readonly gameServerProblem?: string;
  /** The pod's set, if it exists and is valid. */
  readonly set: GameServerSet | undefined;
  readonly node: NodeLike | undefined;
  /** Claims of the pod's set in its namespace, by name. */
  readonly claims: ReadonlyMap<string, PersistentVolumeClaimLike>;
}

export function readFacts(stores: GameServerStores, namespace: string, name: string): Facts {
  const pod = stores.pods.getByName(namespace, name);
  const gameServerObject = stores.gameServers.getByName(namespace, name);
  const parsed = gameServerObject ? memoized(parsedGameServers, gameServerObject, parseGameServer) : undefined;
  const setName = pod?.metadata?.labels?.[LABELS.ownerGss] ?? gameServerObject?.metadata?.labels?.[LABELS.ownerGss];
  const setObject = setName ? stores.sets.getByName(namespace, setName) : undefined;
  const setParsed = setObject ? memoized(parsedSets, setObject, parseGameServerSet) : undefined;
  const nodeName = pod?.spec?.nodeName;
  const claims = new Map<string, PersistentVolumeClaimLike>();
  if (setName) {
    for (const claim of stores.claims.byIndex(OWNER_GSS_INDEX, setName)) {
      if (claim.metadata?.namespace === namespace && claim.metadata.name) claims.set(claim.metadata.name, claim);
    }
  }
  return {
    pod,
    gameServerObject,
    gameServer: parsed?.ok ? parsed.value : undefined,
    ...(parsed && !parsed.ok ? { gameServerProblem: parsed.error } : {}),
    set: setParsed?.ok ? setParsed.value : undefined,
    node: nodeName ? stores.nodes.get(nodeName) : undefined,
    claims,
  };
}

const parsedGameServers = new WeakMap<CachedObject, ParseResult<GameServer>>();
const parsedSets = new WeakMap<CachedObject, ParseResult<GameServerSet>>();

function memoized<T>(memo: WeakMap<CachedObject, ParseResult<T>>, object: CachedObject, parse: (object: unknown) => ParseResult<T>): ParseResult<T> {
  let result = memo.get(object);
  if (result === undefined) {
    result = parse(object);
    memo.set(object, result);
  }
  return result;
}
