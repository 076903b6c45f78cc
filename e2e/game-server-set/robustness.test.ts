// What a controller must survive: a restart in the middle of a scale-up (no
// duplicate and no missing id), status writes only on change, and old
// revisions pruned to revisionHistoryLimit.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually } from '../support/index.js';
import { apps, applySet, gameServerSet, livePods, patchSet, podsReady, readSet, setPodLabel, startSetController, type SetController } from './harness.js';

let namespace: string;
let controller: SetController | undefined;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-robust');
});
afterEach(async () => {
  await controller?.stop();
  controller = undefined;
  await deleteTestNamespace(namespace);
});

const ids = (count: number) => Array.from({ length: count }, (_, i) => `web-${i}`);

describe('GameServerSet controller robustness', () => {
  it('restarted in the middle of a scale-up, ends with exactly the wanted ids', async () => {
    controller = startSetController([namespace]);
    await applySet(namespace, gameServerSet('web', 1));
    await eventually(() => podsReady(namespace, 'web', ids(1)));
    await patchSet(namespace, 'web', { spec: { replicas: 30 } });
    await eventually(async () => (await livePods(namespace, 'web')).size > 1, { intervalMs: 20 });
    await controller.stop();
    controller = startSetController([namespace]);
    const pods = await eventually(() => podsReady(namespace, 'web', ids(30)), { description: 'web-0..29', timeoutMs: 90_000 });
    expect(pods.size).toBe(30);
  });

  it('does not write an unchanged status', async () => {
    controller = startSetController([namespace]);
    await applySet(namespace, gameServerSet('web', 2));
    await eventually(() => podsReady(namespace, 'web', ids(2)));
    const steady = await eventually(async () => {
      const set = await readSet(namespace, 'web');
      return set.status?.availableReplicas === 2 ? set : false;
    });
    const reconciles = () => controller!.logs.filter((line) => line.includes('"reconciled') && line.includes('"name":"web"')).length;
    const seen = reconciles();
    // A pod event that changes nothing the status counts: the set is reconciled again.
    await setPodLabel(namespace, 'web-0', 'example.com/touched', 'yes');
    await eventually(() => reconciles() > seen, { description: 'another reconcile' });
    expect((await readSet(namespace, 'web')).metadata.resourceVersion).toBe(steady.metadata.resourceVersion);
  });

  it('prunes revisions beyond revisionHistoryLimit that no pod uses', async () => {
    controller = startSetController([namespace]);
    await applySet(namespace, gameServerSet('web', 1, { revisionHistoryLimit: 1, updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }));
    await eventually(() => podsReady(namespace, 'web', ids(1)));
    const revisionNames = async () => (await apps().listNamespacedControllerRevision({ namespace })).items.map((r) => r.metadata?.name ?? '');
    for (const version of ['0.2', '0.3', '0.4']) {
      await patchSet(namespace, 'web', [{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: `example.com/sidecar:${version}` }], 'json');
      await eventually(
        async () => {
          const set = await readSet(namespace, 'web');
          const pod = (await livePods(namespace, 'web')).get('web-0');
          return set.status?.observedGeneration === set.metadata.generation && set.status.currentRevision === set.status.updateRevision &&
            pod?.metadata?.labels?.['controller-revision-hash'] === set.status.updateRevision;
        },
        { description: `updated to sidecar ${version}`, timeoutMs: 60_000 },
      );
    }
    const set = await readSet(namespace, 'web');
    const names = await eventually(async () => {
      const list = await revisionNames();
      return list.length === 2 ? list : false;
    }, { description: 'the update revision and one old revision' });
    expect(names).toContain(set.status?.updateRevision);
  });
});
