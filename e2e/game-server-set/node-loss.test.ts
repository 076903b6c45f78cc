// Node loss: pods on a node that stopped reporting are deleted after the
// timeout, force-deleted after their grace period, and recreated on a healthy
// node under the same ids.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createFakeNode, createTestNamespace, deleteNode, deleteTestNamespace, eventually, kubectl, loseNode } from '../support/index.js';
import { applySet, gameServerSet, podsReady, startSetController, type SetController } from './harness.js';

let namespace: string;
let controller: SetController;
let nodes: string[];

beforeEach(async () => {
  namespace = await createTestNamespace('gss-node');
  controller = startSetController([namespace], 2_000);
  const suffix = namespace.slice(-6);
  nodes = [`gss-lost-${suffix}`, `gss-spare-${suffix}`];
  for (const node of nodes) await createFakeNode(node, { 'gss-e2e': namespace });
  await kubectl(['cordon', nodes[1]!]);
});
afterEach(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
  for (const node of nodes) await deleteNode(node);
});

describe('GameServerSet node loss', () => {
  it('moves the pods of a lost node to a healthy one, keeping their ids', async () => {
    const set = gameServerSet('web', 2);
    const template = (set.spec as { gameServerTemplate: { spec: Record<string, unknown> } }).gameServerTemplate.spec;
    template.nodeSelector = { 'gss-e2e': namespace };
    template.terminationGracePeriodSeconds = 1;
    await applySet(namespace, set);
    const before = await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-1']), { description: 'pods on the first node' });
    for (const pod of before.values()) expect(pod.spec?.nodeName).toBe(nodes[0]);

    await loseNode(nodes[0]!);
    await kubectl(['uncordon', nodes[1]!]);
    const after = await eventually(
      async () => {
        const pods = await podsReady(namespace, 'web', ['web-0', 'web-1']);
        return pods && [...pods.values()].every((p) => p.spec?.nodeName === nodes[1]) ? pods : false;
      },
      { description: 'pods recreated on the spare node', timeoutMs: 120_000, intervalMs: 1_000 },
    );
    for (const [name, pod] of after) expect(pod.metadata?.uid).not.toBe(before.get(name)?.metadata?.uid);
  });
});
