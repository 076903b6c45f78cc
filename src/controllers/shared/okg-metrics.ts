// OpenKruise Game's game metrics (pkg/metrics), with OKG's names, types and
// labels, so OKG's dashboards and alerts read this operator unchanged.
// Computed at scrape time from the shared caches (no API call), so a series
// goes when its room or set leaves the cache; okg_gameservers_total counts
// GameServers added to the cache, as OKG's informer handler does.
// One series of our own sits next to them: gamekeeper_gameserverset_replicas
// (desired, updated and updatedReady), which OKG's gsStatus values lack and
// scale/update progress and "stuck below replicas" alerts need.
import { Counter, Gauge, type Registry } from 'prom-client';
import { LABELS } from '../../api/constants.js';
import { GAME_SERVER_STATES, OPS_STATES } from '../../api/game-server.js';
import type { Manager } from '../../runtime/manager.js';
import type { Store } from '../../runtime/store.js';
import { gameServerInformer, gameServerSetInformer, podInformer, type CachedObject, type CachedPod } from './informers.js';

export const OKG_METRIC_NAMES = [
  'okg_gameservers_state_count',
  'okg_gameservers_opsState_count',
  'okg_gameservers_total',
  'okg_gameserversets_replicas_count',
  'okg_gameserver_deletion_priority',
  'okg_gameserver_update_priority',
  'okg_gameserver_ready_duration_seconds',
  'okg_gameserver_network_ready_duration_seconds',
] as const;

export const SET_REPLICAS_METRIC = 'gamekeeper_gameserverset_replicas';

type Labels = Record<string, string>;
export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

export interface OkgSeries {
  readonly stateCount: Sample[];
  readonly opsStateCount: Sample[];
  readonly replicasCount: Sample[];
  readonly deletionPriority: Sample[];
  readonly updatePriority: Sample[];
  readonly readyDuration: Sample[];
  readonly networkReadyDuration: Sample[];
  /** gamekeeper_gameserverset_replicas: desired (spec), updated, updatedReady. */
  readonly setReplicas: Sample[];
}

interface GameServerFacts {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string };
  spec?: { opsState?: string; deletionPriority?: unknown; updatePriority?: unknown };
  status?: {
    currentState?: string;
    deletionPriority?: unknown;
    updatePriority?: unknown;
    networkStatus?: { currentNetworkState?: string; lastTransitionTime?: string };
  };
}

interface SetFacts {
  metadata?: { name?: string; namespace?: string };
  spec?: { replicas?: number };
  status?: { updatedReplicas?: number; updatedReadyReplicas?: number; currentReplicas?: number; readyReplicas?: number; availableReplicas?: number; maintainingReplicas?: number; waitToBeDeletedReplicas?: number };
}

/** An IntOrString priority as OKG's IntValue reads it: the integer, or 0. */
function priorityValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return 0;
}

const seconds = (from: string | undefined, to: string | undefined): number | undefined => {
  if (!from || !to) return undefined;
  const value = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(value) && value >= 0 ? value : undefined;
};

/** Every okg_* gauge sample implied by the cached GameServers, sets and pods (pure). */
export function computeOkgSeries(gameServers: readonly GameServerFacts[], sets: readonly SetFacts[], pods: readonly CachedPod[]): OkgSeries {
  const states = new Map<string, number>(GAME_SERVER_STATES.map((state) => [state, 0]));
  const opsStates = new Map<string, Sample>();
  // Every known opsState of every set is reported, 0 when no room has it (as OKG's gauges stay at 0).
  for (const set of sets) {
    const namespace = set.metadata?.namespace ?? '';
    const gssName = set.metadata?.name ?? '';
    for (const opsState of OPS_STATES) opsStates.set(JSON.stringify([opsState, gssName, namespace]), { labels: { opsState, gssName, namespace }, value: 0 });
  }
  const podsByKey = new Map(pods.map((pod) => [`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`, pod]));
  const deletionPriority: Sample[] = [];
  const updatePriority: Sample[] = [];
  const readyDuration: Sample[] = [];
  const networkReadyDuration: Sample[] = [];
  for (const gs of gameServers) {
    const gsName = gs.metadata?.name ?? '';
    const gsNs = gs.metadata?.namespace ?? '';
    const gssName = gs.metadata?.labels?.[LABELS.ownerGss] ?? '';
    const state = gs.status?.currentState ?? '';
    states.set(state, (states.get(state) ?? 0) + 1);
    const opsState = gs.spec?.opsState ?? 'None';
    const key = JSON.stringify([opsState, gssName, gsNs]);
    const sample = opsStates.get(key);
    opsStates.set(key, { labels: { opsState, gssName, namespace: gsNs }, value: (sample?.value ?? 0) + 1 });
    deletionPriority.push({ labels: { gsName, gsNs }, value: priorityValue(gs.status?.deletionPriority ?? gs.spec?.deletionPriority) });
    updatePriority.push({ labels: { gsName, gsNs }, value: priorityValue(gs.status?.updatePriority ?? gs.spec?.updatePriority) });
    const pod = podsByKey.get(`${gsNs}/${gsName}`);
    const created = pod?.metadata?.creationTimestamp ?? gs.metadata?.creationTimestamp;
    if (state === 'Ready') {
      const ready = pod?.status?.conditions?.find((condition) => condition.type === 'Ready' && condition.status === 'True')?.lastTransitionTime;
      const duration = seconds(created, ready);
      if (duration !== undefined) readyDuration.push({ labels: { gsName, gsNs, gssName }, value: duration });
    }
    const network = gs.status?.networkStatus;
    if (network?.currentNetworkState === 'Ready') {
      const duration = seconds(created, network.lastTransitionTime);
      if (duration !== undefined) networkReadyDuration.push({ labels: { gsName, gsNs, gssName }, value: duration });
    }
  }
  const replicasCount: Sample[] = [];
  const setReplicas: Sample[] = [];
  for (const set of sets) {
    const base = { gssName: set.metadata?.name ?? '', gssNs: set.metadata?.namespace ?? '' };
    const status = set.status ?? {};
    const counts: [string, number | undefined][] = [
      ['current', status.currentReplicas ?? 0],
      ['ready', status.readyReplicas ?? 0],
      ['available', status.availableReplicas ?? 0],
      ['maintaining', status.maintainingReplicas],
      ['waitToBeDeleted', status.waitToBeDeletedReplicas],
    ];
    for (const [gsStatus, value] of counts) if (value !== undefined) replicasCount.push({ labels: { ...base, gsStatus }, value });
    setReplicas.push(
      { labels: { ...base, gsStatus: 'desired' }, value: set.spec?.replicas ?? 0 },
      { labels: { ...base, gsStatus: 'updated' }, value: status.updatedReplicas ?? 0 },
      { labels: { ...base, gsStatus: 'updatedReady' }, value: status.updatedReadyReplicas ?? 0 },
    );
  }
  return {
    stateCount: [...states].map(([state, value]) => ({ labels: { state }, value })),
    opsStateCount: [...opsStates.values()],
    replicasCount,
    deletionPriority,
    updatePriority,
    readyDuration,
    networkReadyDuration,
    setReplicas,
  };
}

export interface OkgStores {
  readonly gameServers: Store<CachedObject>;
  readonly sets: Store<CachedObject>;
  readonly pods: Store<CachedPod>;
}

/** The gauges of one scrape share one computation over the caches. */
const SNAPSHOT_MS = 100;

/** Registers the okg_* metrics on `registry`, read from `stores` at each scrape; returns the GameServer-added hook. */
export function registerOkgMetricsOn(registry: Registry, stores: OkgStores, clock: () => number = Date.now): { gameServerAdded(): void } {
  const registers = [registry];
  let snapshot: { at: number; series: OkgSeries } | undefined;
  const series = (): OkgSeries => {
    const now = clock();
    if (!snapshot || now - snapshot.at > SNAPSHOT_MS) {
      snapshot = {
        at: now,
        series: computeOkgSeries(stores.gameServers.list() as GameServerFacts[], stores.sets.list() as SetFacts[], stores.pods.list()),
      };
    }
    return snapshot.series;
  };
  const gauge = (name: string, help: string, labelNames: string[], pick: (all: OkgSeries) => Sample[]): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const sample of pick(series())) this.set(sample.labels, sample.value);
      },
    });
  };
  gauge('okg_gameservers_state_count', 'The number of gameservers per state', ['state'], (all) => all.stateCount);
  gauge('okg_gameservers_opsState_count', 'The number of gameservers per opsState', ['opsState', 'gssName', 'namespace'], (all) => all.opsStateCount);
  const total = new Counter({ name: 'okg_gameservers_total', help: 'The total of gameservers', registers });
  gauge('okg_gameserversets_replicas_count', 'The number of replicas per gameserverset', ['gssName', 'gssNs', 'gsStatus'], (all) => all.replicasCount);
  gauge('okg_gameserver_deletion_priority', 'The deletionPriority of gameserver', ['gsName', 'gsNs'], (all) => all.deletionPriority);
  gauge('okg_gameserver_update_priority', 'The updatePriority of gameserver', ['gsName', 'gsNs'], (all) => all.updatePriority);
  gauge('okg_gameserver_ready_duration_seconds', 'Seconds from the creation of a gameserver to Ready', ['gsName', 'gsNs', 'gssName'], (all) => all.readyDuration);
  gauge(
    'okg_gameserver_network_ready_duration_seconds',
    'Seconds from the creation of a gameserver to its network Ready',
    ['gsName', 'gsNs', 'gssName'],
    (all) => all.networkReadyDuration,
  );
  gauge(SET_REPLICAS_METRIC, 'Replicas of a GameServerSet: desired (spec.replicas), updated and updatedReady (of the update revision)', ['gssName', 'gssNs', 'gsStatus'], (all) => all.setReplicas);
  return { gameServerAdded: () => total.inc() };
}

/** The okg_* metrics of the operator, on the manager's registry, fed by the shared caches. */
export function registerOkgMetrics(manager: Manager): void {
  const gameServers = gameServerInformer(manager);
  const hooks = registerOkgMetricsOn(manager.metrics.registry, {
    gameServers: gameServers.store,
    sets: gameServerSetInformer(manager).store,
    pods: podInformer(manager).store,
  });
  gameServers.addHandler((oldObject, newObject) => {
    if (oldObject === undefined && newObject !== undefined) hooks.gameServerAdded();
  });
}
