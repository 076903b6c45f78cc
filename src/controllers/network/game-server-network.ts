// The GameServer's status.networkStatus from its pod (OKG syncNetworkStatus,
// pure): the plugin's report in the pod annotation game.kruise.io/network-status
// gives the addresses and the current state; spec.networkDisabled gives the
// desired state. While the two differ the GameServer controller looks again
// every interval, and past the total wait it records OKG's Warning
// GsNetworkState (networkWait).
import { ANNOTATIONS } from '../../api/constants.js';
import { NETWORK_STATES, type NetworkState, type NetworkStatus } from '../../api/game-server.js';

type Address = NonNullable<NetworkStatus['internalAddresses']>[number];

/** The pod annotation's report, or undefined when absent or unreadable. */
export function readPodNetworkStatus(annotations: Readonly<Record<string, string>> | undefined): Partial<NetworkStatus> | undefined {
  const text = annotations?.[ANNOTATIONS.networkStatus];
  if (text === undefined || text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Next networkStatus: undefined when the pod has no network plugin. createTime
 * is kept from the first write; lastTransitionTime moves when the desired or
 * the current state changes (OKG moves it on every pass without a report).
 */
export function computeGameServerNetwork(
  previous: NetworkStatus | undefined,
  podAnnotations: Readonly<Record<string, string>> | undefined,
  networkDisabled: boolean,
  now: string,
): NetworkStatus | undefined {
  const networkType = podAnnotations?.[ANNOTATIONS.networkType];
  if (networkType === undefined || networkType === '') return undefined;
  const report = readPodNetworkStatus(podAnnotations);
  const desiredNetworkState: NetworkState = networkDisabled ? 'NotReady' : 'Ready';
  const reported = report?.currentNetworkState;
  const currentNetworkState: NetworkState = reported !== undefined && (NETWORK_STATES as readonly string[]).includes(reported) ? reported : 'NotReady';
  const moved = previous?.desiredNetworkState !== desiredNetworkState || previous.currentNetworkState !== currentNetworkState;
  return {
    networkType,
    ...(report?.internalAddresses ? { internalAddresses: copyAddresses(report.internalAddresses) } : {}),
    ...(report?.externalAddresses ? { externalAddresses: copyAddresses(report.externalAddresses) } : {}),
    desiredNetworkState,
    currentNetworkState,
    createTime: previous?.createTime ?? now,
    lastTransitionTime: !moved && previous?.lastTransitionTime ? previous.lastTransitionTime : now,
  };
}

function copyAddresses(addresses: readonly Address[]): Address[] {
  return addresses.map((a) => ({ ...a, ...(a.ports ? { ports: a.ports.map((p) => ({ ...p })) } : {}) }));
}

export interface NetworkTiming {
  /** OKG NETWORK_TOTAL_WAIT_TIME (60 s). */
  readonly totalWaitMs: number;
  /** OKG NETWORK_PROBE_INTERVAL_TIME (5 s). */
  readonly intervalMs: number;
}

export type NetworkWait =
  | { readonly kind: 'settled' }
  | { readonly kind: 'waiting'; readonly recheckAfterMs: number }
  | { readonly kind: 'timedOut'; readonly waitedMs: number; readonly since: string };

/** Whether the current network state still waits for the desired one, and for how long. */
export function networkWait(status: NetworkStatus | undefined, nowMs: number, timing: NetworkTiming): NetworkWait {
  if (status === undefined || status.desiredNetworkState === status.currentNetworkState) return { kind: 'settled' };
  const since = status.lastTransitionTime ?? '';
  const sinceMs = Date.parse(since);
  const waited = Number.isNaN(sinceMs) ? 0 : Math.max(0, nowMs - sinceMs);
  if (waited < timing.totalWaitMs) return { kind: 'waiting', recheckAfterMs: Math.max(1, Math.min(timing.intervalMs, timing.totalWaitMs - waited)) };
  return { kind: 'timedOut', waitedMs: waited, since };
}

/** OKG's Warning reason when the network has not reached its desired state in time. */
export const GS_NETWORK_STATE_REASON = 'GsNetworkState';

/** Records each timeout once per transition: `key` → the lastTransitionTime already warned about. */
export class NetworkWaitWarnings {
  private readonly warned = new Map<string, string>();

  constructor(private readonly timing: NetworkTiming) {}

  /** What to do for `key`: a requeue while waiting, a Warning message once when the wait ran out. */
  check(key: string, status: NetworkStatus | undefined, nowMs: number): { requeueAfterMs?: number; warning?: string } {
    const wait = networkWait(status, nowMs, this.timing);
    if (wait.kind === 'settled') {
      this.warned.delete(key);
      return {};
    }
    if (wait.kind === 'waiting') return { requeueAfterMs: wait.recheckAfterMs };
    if (this.warned.get(key) === wait.since) return {};
    this.warned.set(key, wait.since);
    const desired = status?.desiredNetworkState ?? '';
    const current = status?.currentNetworkState ?? '';
    return {
      warning: `Network wait timeout: waited ${Math.round(wait.waitedMs / 1000)}s, max ${Math.round(this.timing.totalWaitMs / 1000)}s (desired ${desired}, current ${current})`,
    };
  }

  forget(key: string): void {
    this.warned.delete(key);
  }
}
