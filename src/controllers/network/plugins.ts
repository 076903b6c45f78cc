// The network plugins by networkType, and resolving a set's `spec.network`
// to its plugin and parsed conf (an unknown type or a bad parameter is
// reported, never thrown: the set keeps working without its network).
import { hostPortPlugin } from './host-port/host-port-plugin.js';
import { ingressPlugin } from './ingress/ingress-plugin.js';
import { nodePortPlugin } from './node-port/node-port-plugin.js';
import type { ConfContext, ConfProblem, NetworkConfParam, NetworkPlugin } from './types.js';

export const NETWORK_PLUGINS: ReadonlyMap<string, NetworkPlugin> = new Map<string, NetworkPlugin>(
  [hostPortPlugin, nodePortPlugin, ingressPlugin].map((plugin) => [plugin.networkType, plugin as NetworkPlugin]),
);

export interface NetworkSpec {
  readonly networkType?: string | undefined;
  readonly networkConf?: readonly NetworkConfParam[] | undefined;
}

export type ResolvedNetwork =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly plugin: NetworkPlugin; readonly conf: unknown }
  | { readonly kind: 'invalid'; readonly networkType: string; readonly reason: 'UnknownNetworkType' | 'InvalidNetworkConf'; readonly problems: readonly ConfProblem[] };

export function resolveNetwork(network: NetworkSpec | undefined, context: ConfContext): ResolvedNetwork {
  const networkType = network?.networkType;
  if (networkType === undefined || networkType === '') return { kind: 'none' };
  const plugin = NETWORK_PLUGINS.get(networkType);
  if (plugin === undefined) {
    const known = [...NETWORK_PLUGINS.keys()].join(', ');
    return { kind: 'invalid', networkType, reason: 'UnknownNetworkType', problems: [{ param: 'networkType', message: `${networkType} is not a network plugin of this operator (${known})` }] };
  }
  const parsed = plugin.parse(network?.networkConf ?? [], context);
  return parsed.ok ? { kind: 'ok', plugin, conf: parsed.conf } : { kind: 'invalid', networkType, reason: 'InvalidNetworkConf', problems: parsed.problems };
}

/** One line naming every bad parameter: `ContainerPorts: container "x" is not in the gameServerTemplate; ...`. */
export function describeProblems(problems: readonly ConfProblem[]): string {
  return problems.map((p) => `${p.param}: ${p.message}`).join('; ');
}
