// The local control plane behaves like a cluster: kwok runs pods through
// their lifecycle (Ready from containers and readiness gates), restarts a container in place when its image changes,
// serves pods/exec, the garbage collector cascades, nodes can be lost, and
// RBAC is enforced.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, KubeConfig, Watch, type V1Pod } from '@kubernetes/client-node';
import {
  adminKubeConfig,
  createFakeNode,
  createTestNamespace,
  deleteNode,
  deleteTestNamespace,
  eventually,
  kubectl,
  loseNode,
  nodeReadyStatus,
  runKubectl,
} from '../support/index.js';

let namespace: string;
let core: CoreV1Api;

beforeAll(async () => {
  namespace = await createTestNamespace('foundation');
  core = adminKubeConfig().makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await deleteTestNamespace(namespace);
});

function twoContainerPod(name: string): V1Pod {
  return {
    metadata: { name, namespace },
    spec: {
      containers: [
        { name: 'game', image: 'example.com/game:1.0' },
        { name: 'sidecar', image: 'example.com/sidecar:0.1' },
      ],
    },
  };
}

const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('local control plane', () => {
  it('runs a pod to Running and Ready on a fake node', async () => {
    await core.createNamespacedPod({ namespace, body: twoContainerPod('ready') });
    const pod = await eventually(
      async () => {
        const p = await core.readNamespacedPod({ namespace, name: 'ready' });
        return p.status?.phase === 'Running' && isReady(p) ? p : false;
      },
      { description: 'pod ready Running and Ready' },
    );
    expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
    expect(pod.status?.containerStatuses?.map((c) => c.imageID)).toEqual([expect.stringContaining('game:1.0'), expect.stringContaining('sidecar:0.1')]);
    expect(pod.status?.podIP).toMatch(/^127\./);
  });

  it('restarts only the container whose image was patched, keeping the pod', async () => {
    await core.createNamespacedPod({ namespace, body: twoContainerPod('inplace') });
    const before = await eventually(async () => {
      const p = await core.readNamespacedPod({ namespace, name: 'inplace' });
      return isReady(p) ? p : false;
    });
    await kubectl(['-n', namespace, 'patch', 'pod', 'inplace', '--type=json', '-p', '[{"op":"replace","path":"/spec/containers/1/image","value":"example.com/sidecar:0.2"}]']);
    const after = await eventually(
      async () => {
        const p = await core.readNamespacedPod({ namespace, name: 'inplace' });
        const sidecar = p.status?.containerStatuses?.find((c) => c.name === 'sidecar');
        return sidecar?.image === 'example.com/sidecar:0.2' && sidecar.ready && isReady(p) ? p : false;
      },
      { description: 'sidecar restarted on the new image' },
    );
    const status = (pod: V1Pod, name: string) => pod.status?.containerStatuses?.find((c) => c.name === name);
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(status(after, 'sidecar')?.restartCount).toBe(1);
    expect(status(after, 'sidecar')?.imageID).not.toBe(status(before, 'sidecar')?.imageID);
    expect(status(after, 'sidecar')?.lastState?.terminated).toBeDefined();
    expect(status(after, 'game')?.restartCount).toBe(0);
    expect(status(after, 'game')?.imageID).toBe(status(before, 'game')?.imageID);
    expect(status(after, 'game')?.containerID).toBe(status(before, 'game')?.containerID);
  });

  it('computes Ready from containers and readiness gates, as the kubelet does', async () => {
    // Held unscheduled (no scheduler has this name) until the test binds it,
    // so the gate can be opened before kwok first sees the pod on a node.
    const gatedPod = (name: string): V1Pod => ({
      metadata: { name, namespace },
      spec: { schedulerName: 'held-by-test', readinessGates: [{ conditionType: 'example.com/gate' }], containers: [{ name: 'game', image: 'example.com/game:1.0' }] },
    });
    const openGate = (name: string) =>
      kubectl(['-n', namespace, 'patch', 'pod', name, '--subresource=status', '--type=strategic', '-p', '{"status":{"conditions":[{"type":"example.com/gate","status":"True"}]}}']);
    const bind = (name: string) => core.createNamespacedPodBinding({ namespace, name, body: { metadata: { name }, target: { kind: 'Node', name: 'kwok-node-0' } } });
    const seen: string[] = [];
    const watch = await new Watch(adminKubeConfig()).watch(
      `/api/v1/namespaces/${namespace}/pods`,
      { fieldSelector: 'metadata.name=gate-open' },
      (_type: string, pod: V1Pod) => seen.push(`${pod.status?.phase}/${isReady(pod) ? 'Ready' : 'NotReady'}`),
      () => undefined,
    );
    try {
      // Gate already True when the containers start: Ready in the same status
      // update that makes the pod Running, never Running and NotReady.
      await core.createNamespacedPod({ namespace, body: gatedPod('gate-open') });
      await openGate('gate-open');
      await bind('gate-open');
      await eventually(async () => isReady(await core.readNamespacedPod({ namespace, name: 'gate-open' })), { description: 'gate-open Ready' });
      await eventually(async () => seen.includes('Running/Ready'), { description: 'the watch saw gate-open Ready' });
      expect(seen).not.toContain('Running/NotReady');
    } finally {
      watch.abort();
    }

    // Gate not yet True: Running but not Ready until the gate opens.
    await core.createNamespacedPod({ namespace, body: gatedPod('gate-closed') });
    await bind('gate-closed');
    const waiting = await eventually(
      async () => {
        const p = await core.readNamespacedPod({ namespace, name: 'gate-closed' });
        return p.status?.phase === 'Running' ? p : false;
      },
      { description: 'gate-closed Running' },
    );
    expect(waiting.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    await openGate('gate-closed');
    await eventually(async () => isReady(await core.readNamespacedPod({ namespace, name: 'gate-closed' })), { description: 'gate-closed Ready after the gate opened' });
  });

  it('runs pods/exec on this machine and returns output and exit code', async () => {
    await core.createNamespacedPod({ namespace, body: twoContainerPod('exec') });
    await eventually(async () => isReady(await core.readNamespacedPod({ namespace, name: 'exec' })));
    const ok = await runKubectl(['-n', namespace, 'exec', 'exec', '-c', 'game', '--', 'sh', '-c', 'echo hello from $0; exit 0']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('hello from sh');
    // kwok reports a non-zero exit as an exec error that names the status
    // (a real kubelet passes the code through; kubectl then exits with it).
    const failed = await runKubectl(['-n', namespace, 'exec', 'exec', '-c', 'game', '--', 'sh', '-c', 'exit 3']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('exit status 3');
  });

  it('deletes dependents through the garbage collector when the owner goes', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'owner' } } });
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: {
          name: 'dependent',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! }],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ namespace, name: 'owner' });
    await eventually(
      async () => {
        const left = await core.listNamespacedConfigMap({ namespace, fieldSelector: 'metadata.name=dependent' });
        return left.items.length === 0;
      },
      { description: 'dependent ConfigMap collected', timeoutMs: 60_000 },
    );
  });

  it('marks a node NotReady when its heartbeat stops', async () => {
    const node = `kwok-lost-${namespace.slice(-6)}`;
    await createFakeNode(node);
    try {
      await eventually(async () => (await nodeReadyStatus(node)) === 'True', { description: `${node} Ready` });
      await loseNode(node);
      await eventually(async () => (await nodeReadyStatus(node)) === 'Unknown', { description: `${node} NotReady`, timeoutMs: 90_000, intervalMs: 1_000 });
      const taints = (await core.readNode({ name: node })).spec?.taints?.map((t) => t.key);
      await eventually(async () => ((await core.readNode({ name: node })).spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable'), {
        description: `unreachable taint on ${node} (had ${taints?.join(',')})`,
      });
    } finally {
      await deleteNode(node);
    }
  });

  it('enforces RBAC: a service-account token without a role gets 403', async () => {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'nobody' } } });
    const token = await core.createNamespacedServiceAccountToken({ namespace, name: 'nobody', body: { spec: { expirationSeconds: 600, audiences: [] } } });
    const admin = adminKubeConfig();
    const cluster = admin.getCurrentCluster()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: cluster.server, caData: cluster.caData }],
      users: [{ name: 'nobody', token: token.status!.token }],
      contexts: [{ name: 'c', cluster: 'c', user: 'nobody' }],
      currentContext: 'c',
    });
    const asNobody = kc.makeApiClient(CoreV1Api);
    await expect(asNobody.listNamespacedPod({ namespace })).rejects.toMatchObject({ code: 403 });
  });
});
