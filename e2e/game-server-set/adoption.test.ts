// Switching over from OKG without losing a room: the pods and GameServers OKG
// leaves behind once its Advanced StatefulSet is deleted with
// --cascade=orphan are adopted as they are (same UIDs, no container
// restarted, ops fields kept); so are a set's own after
// `kubectl delete gss --cascade=orphan` and a second apply.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, waitForGarbageCollector, type TestOperator } from '../support/index.js';
import { applySet, containerStatus, core, gameServerSet, isReady, livePods, podsReady, readSet, setEvents, uids } from './harness.js';

let namespace: string;
let operator: TestOperator | undefined;

beforeEach(async () => {
  namespace = await createTestNamespace('gss-adopt');
  operator = undefined;
});
afterEach(async () => {
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

const names = ['web-0', 'web-1', 'web-2'];
const CONTAINERS = [
  { name: 'game', image: 'example.com/game:1.0' },
  { name: 'sidecar', image: 'example.com/sidecar:0.1' },
];

interface GameServerObject {
  metadata: { name: string; uid: string; ownerReferences?: { kind: string; uid: string; controller?: boolean }[] };
  spec: { opsState?: string; deletionPriority?: number | string };
  status?: { currentState?: string };
}

async function gameServers(): Promise<Map<string, GameServerObject>> {
  const list = JSON.parse(await kubectl(['get', 'gs', '-n', namespace, '-o', 'json'])) as { items: GameServerObject[] };
  return new Map(list.items.map((gs) => [gs.metadata.name, gs]));
}

const startedAt = (pod: V1Pod, container: string) => String(containerStatus(pod, container)?.state?.running?.startedAt ?? '');
const controllerUid = (object: { metadata?: { ownerReferences?: { uid: string; controller?: boolean }[] } } | undefined) =>
  object?.metadata?.ownerReferences?.find((ref) => ref.controller === true)?.uid;

/** A pod as OKG's Advanced StatefulSet made it, its owner gone: Kruise's labels, gates and conditions, no owner reference. */
async function createOkgPod(ordinal: number, opsState: string): Promise<void> {
  const name = `web-${ordinal}`;
  await core().createNamespacedPod({
    namespace,
    body: {
      metadata: {
        name,
        labels: {
          app: 'web',
          'game.kruise.io/owner-gss': 'web',
          'controller-revision-hash': 'web-7c9f8d6b5d',
          'statefulset.kubernetes.io/pod-name': name,
          'apps.kubernetes.io/pod-index': String(ordinal),
          'lifecycle.apps.kruise.io/state': 'Normal',
          'game.kruise.io/gs-opsState': opsState,
          'game.kruise.io/gs-update-priority': '0',
          'game.kruise.io/gs-delete-priority': '0',
          'game.kruise.io/gs-state': 'Ready',
          'game.kruise.io/network-disabled': 'false',
        },
        annotations: { 'example.com/note': 'from-template', 'lifecycle.apps.kruise.io/timestamp': '2026-11-01T10:00:00Z' },
      },
      spec: {
        hostname: name,
        subdomain: 'web',
        readinessGates: [{ conditionType: 'InPlaceUpdateReady' }, { conditionType: 'KruisePodReady' }],
        containers: CONTAINERS,
      },
    },
  });
  const now = new Date().toISOString();
  await kubectl([
    'patch', 'pod', name, '-n', namespace, '--subresource=status', '--type=strategic', '-p',
    JSON.stringify({
      status: {
        conditions: [
          { type: 'InPlaceUpdateReady', status: 'True', lastTransitionTime: now },
          { type: 'KruisePodReady', status: 'True', lastTransitionTime: now },
        ],
      },
    }),
  ]);
}

/** A GameServer as OKG made it under reclaimPolicy Cascade: owned by its pod. */
async function createOkgGameServer(pod: V1Pod, spec: Record<string, unknown>): Promise<void> {
  const name = pod.metadata?.name ?? '';
  const body = {
    apiVersion: 'game.kruise.io/v1alpha1',
    kind: 'GameServer',
    metadata: {
      name,
      labels: { app: 'web', 'game.kruise.io/owner-gss': 'web' },
      annotations: { 'example.com/note': 'from-template' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid: pod.metadata?.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { opsState: 'None', updatePriority: 0, deletionPriority: 0, networkDisabled: false, ...spec },
  };
  await kubectl(['create', '-n', namespace, '-f', '-'], { input: JSON.stringify(body) });
}

describe('adoption', () => {
  it('adopts the pods and GameServers OKG left behind: same UIDs, no restart, ops fields kept, nothing re-created', async () => {
    await createOkgPod(0, 'None');
    await createOkgPod(1, 'Allocated');
    await createOkgPod(2, 'None');
    const before = await eventually(() => podsReady(namespace, 'web', names), { description: 'OKG-shaped pods Running and Ready' });
    await createOkgGameServer(before.get('web-0')!, {});
    await createOkgGameServer(before.get('web-1')!, { opsState: 'Allocated' });
    await createOkgGameServer(before.get('web-2')!, { deletionPriority: 5 });
    const gsBefore = await gameServers();

    // The OKG manifest, unchanged, then the operator.
    await applySet(namespace, gameServerSet('web', 3, { updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }, CONTAINERS));
    operator = await startOperator({ namespaces: [namespace] });
    const set = await readSet(namespace, 'web');

    const adopted = await eventually(
      async () => {
        const pods = await livePods(namespace, 'web');
        return pods.size === 3 && [...pods.values()].every((p) => controllerUid(p) === set.metadata.uid) ? pods : false;
      },
      { description: 'every pod controlled by the set' },
    );
    const status = await eventually(async () => {
      const s = (await readSet(namespace, 'web')).status;
      return s?.readyReplicas === 3 && s.updatedReplicas === 3 && s.currentRevision === s.updateRevision ? s : false;
    }, { description: 'set status: 3 ready, all on the update revision' });
    await eventually(async () => [...(await gameServers()).values()].every((gs) => gs.status?.currentState === 'Ready'), { description: 'GameServers Ready' });

    const after = await livePods(namespace, 'web');
    expect(uids(after)).toEqual(uids(before));
    for (const [name, pod] of after) {
      expect(isReady(pod)).toBe(true);
      expect(pod.metadata?.labels?.['controller-revision-hash']).toBe(status.updateRevision);
      for (const container of ['game', 'sidecar']) {
        expect(containerStatus(pod, container)?.restartCount).toBe(0);
        expect(startedAt(pod, container)).toBe(startedAt(before.get(name)!, container));
      }
    }
    expect(adopted.size).toBe(3);
    const gsAfter = await gameServers();
    expect([...gsAfter.keys()].sort()).toEqual(names);
    for (const name of names) expect(gsAfter.get(name)?.metadata.uid).toBe(gsBefore.get(name)?.metadata.uid);
    expect(gsAfter.get('web-1')?.spec.opsState).toBe('Allocated');
    expect(String(gsAfter.get('web-2')?.spec.deletionPriority)).toBe('5');
    const reasons = (await setEvents(namespace, 'web')).map((e) => e.reason);
    expect(reasons).toContain('Adopted');
    expect(reasons).not.toContain('SuccessfulCreate');
    expect(reasons).not.toContain('SuccessfulDelete');
    expect(reasons).not.toContain('FailedCreate');

    // The adopted set scales as its own: the Allocated room is kept.
    await kubectl(['scale', 'gss', 'web', '-n', namespace, '--replicas=2']);
    const scaled = await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-1']), { description: 'web-2 scaled away' });
    expect(scaled.get('web-1')?.metadata?.uid).toBe(before.get('web-1')?.metadata?.uid);
  });

  it('a set deleted with --cascade=orphan and applied again adopts its pods and GameServers back (reclaimPolicy Delete)', async () => {
    operator = await startOperator({ namespaces: [namespace] });
    const manifest = gameServerSet('web', 2);
    (manifest.spec as { gameServerTemplate: Record<string, unknown> }).gameServerTemplate.reclaimPolicy = 'Delete';
    await applySet(namespace, manifest);
    const before = await eventually(() => podsReady(namespace, 'web', ['web-0', 'web-1']));
    await eventually(async () => (await gameServers()).size === 2, { description: 'two GameServers' });
    await kubectl(['patch', 'gs', 'web-1', '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { opsState: 'Allocated' } })]);
    const gsBefore = await gameServers();
    const firstUid = (await readSet(namespace, 'web')).metadata.uid;
    /** Both pods and both GameServers exist and have `uid` as controller (undefined: none). */
    const bothControlledBy = async (uid: string | undefined) => {
      const [pods, gss] = [await livePods(namespace, 'web'), await gameServers()];
      const all = [...pods.values(), ...gss.values()];
      return pods.size === 2 && gss.size === 2 && all.every((o) => controllerUid(o) === uid);
    };

    // The operator is stopped for the switch, as in a migration. Its ControllerRevisions go first: until
    // their data is stored canonically (issue 13), the garbage collector cannot orphan them ("data: field
    // is immutable") and the set's deletion would hang.
    await operator.stop();
    operator = undefined;
    // The collector orphans only the GameServers it has seen (e2e/support/garbage-collector.ts).
    await kubectl(['delete', 'controllerrevisions', '-n', namespace, '-l', 'game.kruise.io/owner-gss=web']);
    await waitForGarbageCollector(namespace);
    await kubectl(['delete', 'gss', 'web', '-n', namespace, '--cascade=orphan', '--wait=false']);
    await eventually(async () => bothControlledBy(undefined), { description: 'pods and GameServers orphaned by the garbage collector' });
    await eventually(async () => (await kubectl(['get', 'gss', '-n', namespace, '-o', 'name'])).trim() === '', {
      description: 'the set gone',
    });

    await applySet(namespace, manifest);
    operator = await startOperator({ namespaces: [namespace] });
    const set = await readSet(namespace, 'web');
    expect(set.metadata.uid).not.toBe(firstUid);
    await eventually(async () => bothControlledBy(set.metadata.uid), { description: 'pods and GameServers adopted by the new set' });
    await eventually(async () => (await readSet(namespace, 'web')).status?.readyReplicas === 2, { description: 'set status 2 ready' });
    const after = await livePods(namespace, 'web');
    expect(uids(after)).toEqual(uids(before));
    for (const pod of after.values()) expect(containerStatus(pod, 'game')?.restartCount).toBe(0);
    const gsAfter = await gameServers();
    for (const name of ['web-0', 'web-1']) expect(gsAfter.get(name)?.metadata.uid).toBe(gsBefore.get(name)?.metadata.uid);
    expect(gsAfter.get('web-1')?.spec.opsState).toBe('Allocated');
  });
});
