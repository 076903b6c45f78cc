export { registerNetworkController, NETWORK_CONTROLLER, type NetworkControllerOptions } from './controller/register.js';
export { NETWORK_PLUGINS, resolveNetwork, type ResolvedNetwork } from './plugins.js';
export type { NetworkPlugin, PodPreparation, PodNetworkStatus } from './types.js';
