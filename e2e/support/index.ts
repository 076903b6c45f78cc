export { adminKubeConfig, e2eEnvironment, E2E_ENV, type E2eEnvironment } from './env.js';
export { eventually, EventuallyTimeoutError, type EventuallyOptions } from './eventually.js';
export { kubectl, runCommand, runKubectl, KubectlError, type CommandResult, type KubectlOptions, type RunOptions } from './kubectl.js';
export { createTestNamespace, deleteTestNamespace } from './namespace.js';
export { createFakeNode, loseNode, restoreNode, nodeReadyStatus, deleteNode, KWOK_MANAGED_LABEL } from './nodes.js';
export { startOperator, startTestManager, type ManagerParts, type TestOperator, type StartOperatorOptions } from './operator.js';
export { OperatorProcess, type OperatorLogLine, type OperatorProcessOptions } from './operator-process.js';
export { podDeletions, type PodDeletion } from './audit.js';
export { waitForGarbageCollector } from './garbage-collector.js';
