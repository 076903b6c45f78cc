// A namespace per test: tests share one control plane and never see each
// other's objects.
import { randomBytes } from 'node:crypto';
import { CoreV1Api } from '@kubernetes/client-node';
import { adminKubeConfig } from './env.js';
import { eventually } from './eventually.js';

/**
 * Creates a namespace named `<prefix>-<random>` and returns its name once the
 * controller-manager has given it its `default` ServiceAccount: until then the
 * API server refuses every pod created in it (403 "serviceaccount default not
 * found"), which a test that creates pods itself would see as a failure.
 */
export async function createTestNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`.toLowerCase().slice(0, 63);
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { 'gamekeeper.dev/e2e': 'true' } } } });
  await eventually(() => core.readNamespacedServiceAccount({ name: 'default', namespace: name }), {
    timeoutMs: 60_000,
    description: `the default ServiceAccount of namespace ${name}`,
  });
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
