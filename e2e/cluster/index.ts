export { ensureBinaries, COMPONENTS, BinaryBuildError } from './binaries.js';
export {
  startLocalControlPlane,
  stopLocalControlPlane,
  readClusterInfo,
  auditLogPath,
  KWOK_MANAGED_LABEL,
  POD_CIDR,
  type ControlPlaneInfo,
  type LocalControlPlaneOptions,
} from './local-control-plane.js';
export { restartComponent, stopComponent, startComponent, logTail, isAlive, listComponents } from './processes.js';
export { selectProvider, localProvider, kubeconfigProvider, k3sProvider, type ClusterProvider, type ProvidedCluster } from './providers.js';
export { repoRoot, localClusterDir } from './paths.js';
