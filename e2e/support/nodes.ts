// Fake nodes: kwok manages nodes labelled gamekeeper.dev/kwok-managed=true.
// Taking the label away stops kwok's heartbeats (its node lease is no longer
// renewed), so the controller manager marks the node NotReady/unreachable.
import { CoreV1Api, setHeaderOptions } from '@kubernetes/client-node';
import { PatchStrategy } from '../../src/runtime/patch.js';
import { adminKubeConfig } from './env.js';

export const KWOK_MANAGED_LABEL = 'gamekeeper.dev/kwok-managed';

function core(): CoreV1Api {
  return adminKubeConfig().makeApiClient(CoreV1Api);
}

async function setManaged(name: string, managed: boolean): Promise<void> {
  await core().patchNode(
    { name, body: { metadata: { labels: { [KWOK_MANAGED_LABEL]: String(managed) } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/** Creates a fake node that kwok manages; it turns Ready within seconds. */
export async function createFakeNode(name: string, labels: Record<string, string> = {}): Promise<void> {
  await core().createNode({
    body: {
      metadata: {
        name,
        annotations: { 'kwok.x-k8s.io/node': 'fake' },
        labels: { [KWOK_MANAGED_LABEL]: 'true', 'kubernetes.io/hostname': name, type: 'kwok', ...labels },
      },
      status: {
        allocatable: { cpu: '1000', memory: '1Ti', pods: '1000000' },
        capacity: { cpu: '1000', memory: '1Ti', pods: '1000000' },
      },
    },
  });
}

/** Stops kwok's heartbeats for a node: it becomes NotReady after the controller manager's grace period (20 s). */
export function loseNode(name: string): Promise<void> {
  return setManaged(name, false);
}

/** Gives a lost node back to kwok. */
export function restoreNode(name: string): Promise<void> {
  return setManaged(name, true);
}

export async function nodeReadyStatus(name: string): Promise<string | undefined> {
  const node = await core().readNode({ name });
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

export async function deleteNode(name: string): Promise<void> {
  try {
    await core().deleteNode({ name });
  } catch {
    // already gone
  }
}
