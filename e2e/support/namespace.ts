// A namespace per test: tests share one control plane and never see each
// other's objects.
import { randomBytes } from 'node:crypto';
import { CoreV1Api } from '@kubernetes/client-node';
import { adminKubeConfig } from './env.js';

/** Creates a namespace named `<prefix>-<random>` and returns its name. */
export async function createTestNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`.toLowerCase().slice(0, 63);
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { 'gamekeeper.dev/e2e': 'true' } } } });
  return name;
}

/** Deletes a test namespace without waiting for it to go. */
export async function deleteTestNamespace(name: string): Promise<void> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  try {
    await core.deleteNamespace({ name });
  } catch {
    // already gone: nothing to clean
  }
}
