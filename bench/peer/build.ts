// Finds or builds the peer (scripts/peer/build-okg.sh): OpenKruise Game and
// OpenKruise compiled from their pinned source archives into the cache next
// to the control plane's binaries. A second call builds nothing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../e2e/cluster/paths.js';

/** What the build script leaves in the peer's cache directory. */
export interface PeerBuild {
  readonly dir: string;
  readonly okgManager: string;
  readonly kruiseManager: string;
  /** CRD folders: OKG's (game.kruise.io) and OpenKruise's (apps.kruise.io, policy.kruise.io). */
  readonly crdDirs: readonly string[];
  /** OpenKruise's config/webhook (manifests.yaml, patch_manifests.yaml). */
  readonly kruiseWebhookDir: string;
  /** OKG's config/webhook (manifests.yaml). */
  readonly okgWebhookDir: string;
}

export class PeerBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PeerBuildError';
  }
}

export function peerLayout(dir: string): PeerBuild {
  return {
    dir,
    okgManager: join(dir, 'bin', 'okg-manager'),
    kruiseManager: join(dir, 'bin', 'kruise-manager'),
    crdDirs: [join(dir, 'okg', 'crd'), join(dir, 'kruise', 'crd')],
    kruiseWebhookDir: join(dir, 'kruise', 'webhook'),
    okgWebhookDir: join(dir, 'okg', 'webhook'),
  };
}

/** Runs the build script (its progress goes to our stderr) and resolves with the layout of its output. */
export function ensurePeer(archivesDir: string): Promise<PeerBuild> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts/peer/build-okg.sh'), archivesDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', (error) => reject(new PeerBuildError('could not run scripts/peer/build-okg.sh', { cause: error })));
    child.on('close', (code) => {
      if (code !== 0) return reject(new PeerBuildError(`scripts/peer/build-okg.sh exited ${code}`));
      const build = peerLayout(stdout.trim().split('\n').pop() ?? '');
      const missing = [build.okgManager, build.kruiseManager, ...build.crdDirs, build.kruiseWebhookDir, build.okgWebhookDir].filter((path) => !existsSync(path));
      if (missing.length > 0) return reject(new PeerBuildError(`the peer build left no ${missing.join(', ')}`));
      resolve(build);
    });
  });
}
