// The garbage collector orphans (or deletes) only the dependents its own
// informers have shown it. After a CRD changes (the chart tests upgrade the
// GameServer CRD on the shared control plane), the API server ends every watch
// on that kind and the controller-manager's watch of it comes back some
// seconds later; a `kubectl delete gss --cascade=orphan` in that window leaves
// the GameServers it has not seen with an owner reference to a deleted set,
// and the collector deletes them as dangling once it sees them. Measured: the
// collector saw GameServers created at 11:21:07.57 only at 11:21:09.40,
// after the set's orphaning had finished without them.
import { randomBytes, randomUUID } from 'node:crypto';
import { eventually } from './eventually.js';
import { kubectl } from './kubectl.js';

/**
 * Waits until the garbage collector has caught up on `namespace`'s
 * GameServers: a probe GameServer, created now with an owner that does not
 * exist, is deleted by the collector once its watch delivers it, and so after
 * every GameServer created before it. Run it with no operator watching
 * `namespace` (the probe has no pod).
 */
export async function waitForGarbageCollector(namespace: string, timeoutMs = 60_000): Promise<void> {
  const name = `gc-probe-${randomBytes(3).toString('hex')}`;
  const owner = { apiVersion: 'v1', kind: 'ConfigMap', name, uid: randomUUID() };
  const probe = { apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServer', metadata: { name, namespace, ownerReferences: [owner] }, spec: {} };
  await kubectl(['create', '-f', '-'], { input: JSON.stringify(probe) });
  await eventually(async () => (await kubectl(['get', 'gs', name, '-n', namespace, '--ignore-not-found', '-o', 'name'])).trim() === '', {
    timeoutMs,
    description: `the garbage collector deleting GameServer ${namespace}/${name} (its owner does not exist)`,
  });
}
