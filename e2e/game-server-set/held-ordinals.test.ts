// State in the cluster: the ordinals a set holds after a scale-down by
// priority left a hole are recorded on the set (gamekeeper.dev/held-ordinals),
// so an operator that restarts (or a new leader) brings a pod deleted by hand
// back under its own ordinal, not in the hole.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { applySet, gameServerSet, livePods, patchSet, podsReady, readSet, setPodLabel, sorted, startSetController, type SetController } from './harness.js';

const HELD = 'gamekeeper.dev/held-ordinals';
let namespace: string;
let controller: SetController | undefined;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-held');
  controller = startSetController([namespace]);
});
afterEach(async () => {
  await controller?.stop();
  await deleteTestNamespace(namespace);
});

const heldAnnotation = async () => (await kubectl(['get', 'gss', 'web', '-n', namespace, '-o', `jsonpath={.metadata.annotations.${HELD.replace(/\./g, '\\.')}}`])).trim();

describe('held ordinals kept on the set', () => {
  it('a restarted operator recreates a pod deleted by hand under its own ordinal, not in the hole', async () => {
    await applySet(namespace, gameServerSet('web', 3));
    await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-1', 'web-2']));
    expect(await heldAnnotation()).toBe('');

    // a scale-down by priority leaves a hole at 1
    await setPodLabel(namespace, 'web-1', 'game.kruise.io/gs-opsState', 'WaitToBeDeleted');
    await eventually(async () => (await readSet(namespace, 'web')).status?.waitToBeDeletedReplicas === 1);
    await patchSet(namespace, 'web', { spec: { replicas: 2 } });
    await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-2']), { description: 'hole at 1' });
    await eventually(async () => expect(await heldAnnotation()).toBe('0,2'), { description: 'the held ordinals on the set' });

    // the operator goes away (its memory with it); a pod is deleted by hand meanwhile
    await controller!.stop();
    controller = undefined;
    await kubectl(['delete', 'pod', 'web-2', '-n', namespace, '--grace-period=0', '--force']);
    await eventually(async () => expect(sorted((await livePods(namespace, 'web')).keys())).toEqual(['web-0']), { description: 'web-2 gone' });

    controller = startSetController([namespace]);
    await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-2']), { description: 'web-2 back under its own ordinal' });
    expect(sorted((await livePods(namespace, 'web')).keys())).toEqual(['web-0', 'web-2']);

    // a scale-up fills the hole; the ordinals are the lowest again and the annotation goes
    await patchSet(namespace, 'web', { spec: { replicas: 3 } });
    await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-1', 'web-2']), { description: 'hole filled' });
    await eventually(async () => expect(await heldAnnotation()).toBe(''), { description: 'annotation removed' });
  });
});
