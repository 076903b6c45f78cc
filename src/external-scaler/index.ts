// OKG's KEDA external scaler, served by the operator process.
import { gameServerInformer, gameServerSetInformer, podInformer } from '../controllers/shared/informers.js';
import type { Manager } from '../runtime/manager.js';
import { ExternalScalerServer } from './grpc-server.js';
import { ScalerService } from './scaler-service.js';

export { ExternalScalerServer, PROTO_LOADER_OPTIONS, PROTO_PATH } from './grpc-server.js';
export { MAX_AVAILABLE_KEY, METRIC_NAME, MIN_AVAILABLE_KEY } from './compute-metrics.js';

/** Adds the external scaler on `port` (all interfaces) to the manager; port 0: nothing. */
export function registerExternalScaler(manager: Manager, options: { readonly port: number; readonly host?: string }): ExternalScalerServer | undefined {
  if (options.port === 0) return undefined;
  const service = new ScalerService({
    sets: gameServerSetInformer(manager).store,
    pods: podInformer(manager).store,
    gameServers: gameServerInformer(manager).store,
  });
  const server = new ExternalScalerServer({ port: options.port, host: options.host, service, logger: manager.logger.child({ component: 'external-scaler' }) });
  manager.add(server);
  return server;
}
