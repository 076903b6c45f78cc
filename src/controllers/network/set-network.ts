// The GameServerSet side of the network plugins: the set's condition and
// Warning for a bad network (pure), and the pod preparation at creation
// (HostPort's allocation, through the ledger).
import { ANNOTATIONS } from '../../api/constants.js';
import type { SetCondition } from '../game-server-set/plan/types.js';
import type { HostPortLedger } from './host-port/host-port-ledger.js';
import { describeProblems, resolveNetwork, type NetworkSpec, type ResolvedNetwork } from './plugins.js';
import type { PodPreparation } from './types.js';

/** Condition type on a GameServerSet whose network cannot be set up: True with the bad parameters named. */
export const NETWORK_CONF_INVALID = 'NetworkConfInvalid';

export interface NetworkSetView {
  readonly network?: NetworkSpec | undefined;
  readonly template: { readonly spec: { readonly containers: readonly { readonly name: string }[] } };
}

/**
 * The network of a pod template of a revision: the set renders networkType
 * and networkConf into its annotations (plan-revision.ts), so a pod created
 * from an older revision gets that revision's network.
 */
export function networkOfAnnotations(annotations: Readonly<Record<string, string>> | undefined): NetworkSpec | undefined {
  const networkType = annotations?.[ANNOTATIONS.networkType];
  if (networkType === undefined) return undefined;
  const text = annotations?.[ANNOTATIONS.networkConf];
  let networkConf: NetworkSpec['networkConf'] = [];
  try {
    const parsed: unknown = text === undefined ? [] : JSON.parse(text);
    if (Array.isArray(parsed)) networkConf = parsed as NetworkSpec['networkConf'];
  } catch {
    // an unreadable conf is an empty one: the plugin reports what is missing
  }
  return { networkType, networkConf };
}

export function resolveSetNetwork(set: NetworkSetView): ResolvedNetwork {
  return resolveNetwork(set.network, { containerNames: set.template.spec.containers.map((c) => c.name) });
}

/**
 * `conditions` with the NetworkConfInvalid condition set or removed, and the
 * Warning to record when the problem is new or changed.
 */
export function planNetworkCondition(
  conditions: readonly SetCondition[],
  network: ResolvedNetwork,
  now: string,
): { conditions: SetCondition[]; warning?: { reason: string; message: string } } {
  const others = conditions.filter((c) => c.type !== NETWORK_CONF_INVALID);
  if (network.kind !== 'invalid') return { conditions: others };
  const message = `network ${network.networkType}: ${describeProblems(network.problems)}`;
  const previous = conditions.find((c) => c.type === NETWORK_CONF_INVALID);
  const same = previous?.status === 'True' && previous.message === message;
  const condition: SetCondition = { type: NETWORK_CONF_INVALID, status: 'True', reason: network.reason, message, lastTransitionTime: same ? previous.lastTransitionTime : now };
  return { conditions: [...others, condition], ...(same ? {} : { warning: { reason: network.reason, message: `${message}; game servers are created without their network` } }) };
}

/** Failure reason of a pod creation for want of host ports (ReplicaFailure reason, Warning reason). */
export const HOST_PORTS_EXHAUSTED = 'HostPortsExhausted';
/** A set short of host ports looks again this often. */
export const HOST_PORTS_RECHECK_MS = 5_000;

export type Preparation = { readonly ok: true; readonly preparation?: PodPreparation } | { readonly ok: false; readonly reason: string; readonly message: string };

/** Prepares pods at creation: the plugin's pod changes, with host ports taken from the ledger. */
export class PodNetworkPreparer {
  constructor(private readonly ledger: HostPortLedger) {}

  /** `template`: the revision's stored pod template, network annotations included. */
  prepare(template: NetworkSetView['template'] & { readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> } }, podKey: string): Preparation {
    const network = resolveSetNetwork({ network: networkOfAnnotations(template.metadata?.annotations), template });
    if (network.kind !== 'ok' || network.plugin.preparePod === undefined) return { ok: true };
    const needed = network.plugin.hostPortsNeeded?.(network.conf) ?? 0;
    const allocation = this.ledger.allocate(podKey, needed);
    if (!allocation.ok) return { ok: false, reason: HOST_PORTS_EXHAUSTED, message: allocation.message };
    return { ok: true, preparation: network.plugin.preparePod(network.conf, allocation.ports) };
  }

  /** The pod was not created: its host ports go back. */
  release(podKey: string): void {
    this.ledger.release(podKey);
  }
}
