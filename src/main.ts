// The operator process: configuration → operator → run until SIGTERM/SIGINT.
// Exit codes: 0 after a graceful drain, 1 on a fatal error (e.g. leadership
// lost: the standby takes over), 2 on a bad configuration.
import { ConfigError, loadConfig } from './config.js';
import { createLogger, serializeError } from './observability/logger.js';
import { createOperator } from './operator.js';
import { KubeConfigError, loadCredentials } from './runtime/credentials.js';
import { shutdownSignal } from './runtime/signals.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, defaultMeta: { identity: config.leaderElection.identity } });
  const signal = shutdownSignal({ onSignal: (name) => logger.info('shutting down', { signal: name }) });
  let credentials;
  try {
    credentials = await loadCredentials(config.kubeconfig);
  } catch (error) {
    if (!(error instanceof KubeConfigError)) throw error;
    logger.error('cannot reach the cluster', { err: serializeError(error) });
    await new Promise<void>((resolve) => logger.on('finish', resolve).end());
    return 2;
  }
  const manager = createOperator({ credentials, config, logger });
  logger.info('starting', {
    namespaces: config.namespaces.length > 0 ? config.namespaces : 'all',
    workers: config.workers,
    kubeApi: config.kubeApi,
    leaderElection: config.leaderElection.enabled,
  });
  try {
    await manager.run(signal);
    return 0;
  } catch (error) {
    logger.error('fatal', { err: serializeError(error) });
    return 1;
  } finally {
    await new Promise<void>((resolve) => logger.on('finish', resolve).end());
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
