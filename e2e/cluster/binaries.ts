// Finds or builds the control plane's binaries (scripts/cluster/build.sh),
// cached outside the repository: a second call builds nothing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kubectl', 'helm'] as const;

export class BinaryBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BinaryBuildError';
  }
}

/** Runs the build script (progress on stderr) and resolves with the bin directory. */
export function ensureBinaries(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts/cluster/build.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', (error) => reject(new BinaryBuildError('could not run scripts/cluster/build.sh', { cause: error })));
    child.on('close', (code) => {
      const binDir = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new BinaryBuildError(`scripts/cluster/build.sh exited ${code}`));
      const missing = COMPONENTS.filter((name) => !existsSync(join(binDir, name)));
      if (missing.length > 0) return reject(new BinaryBuildError(`missing in ${binDir}: ${missing.join(', ')}`));
      resolve(binDir);
    });
  });
}
