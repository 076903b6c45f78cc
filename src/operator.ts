// The operator as one unit: a manager with the GameServerSet and GameServer
// controllers registered on it. main.ts runs it as a process; tests and the
// benchmark run it in-process with their own options.
import { FIELD_MANAGER } from './api/constants.js';
import type { Config } from './config.js';
import type { Credentials } from './runtime/credentials.js';
import { registerGameServerController } from './controllers/game-server/index.js';
import { registerGameServerSetController } from './controllers/game-server-set/index.js';
import { registerNetworkController } from './controllers/network/index.js';
import { registerOkgMetrics } from './controllers/shared/okg-metrics.js';
import { registerExternalScaler } from './external-scaler/index.js';
import type { Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { Manager, type ManagerOptions } from './runtime/manager.js';

export interface OperatorOptions {
  readonly credentials: Credentials;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Manager options for tests (watch timings, lease release, HTTP). */
  readonly manager?: Partial<Pick<ManagerOptions, 'watcher' | 'releaseLeaseOnCancel' | 'serveHttp' | 'gracefulShutdownTimeoutMs'>>;
}

export function createOperator(options: OperatorOptions): Manager {
  const { credentials, config, logger } = options;
  const manager = new Manager({ credentials, config, logger, metrics: options.metrics ?? new Metrics(), fieldManager: FIELD_MANAGER, ...options.manager });
  registerGameServerSetController(manager, {
    workers: config.workers.gameServerSet,
    nodeLossTimeoutMs: config.nodeLossTimeoutMs,
    hostPortRange: config.network.hostPortRange,
    podBatchSize: config.podBatchSize,
  });
  registerGameServerController(manager, {
    workers: config.workers.gameServer,
    probeConcurrency: config.probeConcurrency,
    directProbeConcurrency: config.directProbeConcurrency,
    networkTiming: { totalWaitMs: config.network.totalWaitMs, intervalMs: config.network.intervalMs },
  });
  registerNetworkController(manager, { workers: config.workers.gameServer });
  registerOkgMetrics(manager); // OKG's okg_* series (issue 17)
  registerExternalScaler(manager, { port: config.externalScalerPort });
  return manager;
}
