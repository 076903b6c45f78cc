import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in e2e/cluster/). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where `npm run cluster:up` keeps its state (git-ignored). */
export const localClusterDir = join(repoRoot, '.cluster');
