// Runs the operator in the test process, watching only the test's
// namespaces, so each test file has its own operator on the shared cluster.
import type { KubeConfig } from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createOperator } from '../../src/operator.js';
import { credentialsFromKubeConfig, type Credentials } from '../../src/runtime/credentials.js';
import type { Manager } from '../../src/runtime/manager.js';
import { adminKubeConfig } from './env.js';

export interface TestOperator {
  readonly manager: Manager;
  /** The operator's log lines so far (JSON), for failure messages. */
  readonly logs: readonly string[];
  /** Stops the operator (drains in-flight reconciles) and waits for it. */
  stop(): Promise<void>;
}

export interface StartOperatorOptions {
  /** Namespaces to watch (required: tests never watch the whole cluster). */
  readonly namespaces: readonly string[];
  /** Credentials to run with (default: admin). */
  readonly kubeConfig?: KubeConfig;
  /** Extra operator flags, e.g. `--node-loss-timeout=10s`. */
  readonly flags?: readonly string[];
}

export interface ManagerParts {
  readonly credentials: Credentials;
  readonly config: Config;
  readonly logger: Logger;
}

/**
 * Runs a manager built by `build` in the test process, with debug logs
 * captured (and echoed when E2E_OPERATOR_LOG=true). The operator, and tests
 * that need only one controller, start through here.
 */
export function startTestManager(options: StartOperatorOptions, build: (parts: ManagerParts) => Manager): TestOperator {
  const config = loadConfig(
    [`--namespaces=${options.namespaces.join(',')}`, '--leader-elect=false', '--kube-api-qps=200', '--kube-api-burst=400', '--external-scaler-port=0', ...(options.flags ?? [])],
    {},
  );
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.setEncoding('utf8').on('data', (line: string) => {
    logs.push(line.trimEnd());
    if (process.env.E2E_OPERATOR_LOG === 'true') process.stderr.write(line);
  });
  const logger = createLogger({ level: 'debug', stream });
  const manager = build({ credentials: credentialsFromKubeConfig(options.kubeConfig ?? adminKubeConfig()), config, logger });
  const abort = new AbortController();
  const running = manager.run(abort.signal);
  let failure: unknown;
  running.catch((error: unknown) => (failure = error));
  return {
    manager,
    logs,
    async stop() {
      abort.abort();
      await running.catch(() => undefined);
      if (failure) throw new Error('the operator failed while the test ran', { cause: failure });
    },
  };
}

/** The whole operator (both controllers), as main.ts runs it, without HTTP listeners. */
export function startOperator(options: StartOperatorOptions): Promise<TestOperator> {
  return Promise.resolve(startTestManager(options, (parts) => createOperator({ ...parts, manager: { serveHttp: false } })));
}
