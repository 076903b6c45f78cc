// Kubernetes-HostPort on a real control plane (kube-scheduler's NodePorts
// filter is real): ports unique per node across two sets and 50 rooms, kept
// across an operator restart, exhaustion reported, ports reused after a
// scale-down; the network status carries the node's ExternalIP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { applySet, gameServerSet, livePods, readSet } from '../game-server-set/harness.js';
import { eventsOf, externalIp, giveNodesExternalIps, hostPortClashes, hostPortOf, networksIn, scheduledPods } from './harness.js';

// 20 ports on 3 nodes: room for 60 single-port pods, each port on up to 3 nodes.
const FLAGS = ['--host-port-range=8000-8019', '--network-total-wait=10s', '--network-interval=1s'];
let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('net-hostport');
  await giveNodesExternalIps();
  operator = await startOperator({ namespaces: [namespace], flags: FLAGS });
});
afterAll(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

const hostPortSet = (name: string, replicas: number) =>
  gameServerSet(name, replicas, { network: { networkType: 'Kubernetes-HostPort', networkConf: [{ name: 'ContainerPorts', value: 'game:7777/UDP' }] } });

describe('Kubernetes-HostPort', () => {
  it('gives 50 rooms of two sets host ports unique per node, kept across a restart, and reuses them after a scale-down', async () => {
    await applySet(namespace, hostPortSet('alpha', 30));
    await applySet(namespace, hostPortSet('beta', 20));
    const pods = await scheduledPods(namespace, ['alpha', 'beta'], 50);
    expect(hostPortClashes(pods)).toEqual([]);
    for (const pod of pods) {
      const port = hostPortOf(pod);
      expect(port).toBeGreaterThanOrEqual(8000);
      expect(port).toBeLessThanOrEqual(8019);
      expect(pod.spec?.containers[0]?.ports).toEqual([{ containerPort: 7777, hostPort: port, protocol: 'UDP' }]);
    }

    // The GameServer says where players connect: the node's ExternalIP and the host port.
    const names = pods.map((p) => p.metadata?.name ?? '');
    const statuses = await networksIn(namespace, names, 'Ready');
    for (const pod of pods) {
      const status = statuses.get(pod.metadata?.name ?? '');
      expect(status?.networkType).toBe('Kubernetes-HostPort');
      expect(status?.desiredNetworkState).toBe('Ready');
      expect(status?.externalAddresses).toEqual([{ ip: externalIp(pod.spec?.nodeName ?? ''), ports: [{ name: 'game-7777', port: hostPortOf(pod), protocol: 'UDP' }] }]);
      expect(status?.internalAddresses).toEqual([{ ip: pod.status?.podIP, ports: [{ name: 'game-7777', port: 7777, protocol: 'UDP' }] }]);
    }

    // Restart: the new operator rebuilds the table from the pods; new pods never take a port already held on their node.
    const before = new Map(pods.map((p) => [p.metadata?.name, [p.metadata?.uid, hostPortOf(p)]]));
    await operator.stop();
    operator = await startOperator({ namespaces: [namespace], flags: FLAGS });
    await kubectl(['scale', 'gss', 'beta', '-n', namespace, '--replicas=28']);
    const grown = await scheduledPods(namespace, ['alpha', 'beta'], 58);
    expect(hostPortClashes(grown)).toEqual([]);
    for (const pod of grown) {
      const old = before.get(pod.metadata?.name);
      if (old) expect([pod.metadata?.uid, hostPortOf(pod)]).toEqual(old);
    }

    // Exhaustion: 65 rooms do not fit 60 slots; the set says so and keeps the rooms it has.
    await kubectl(['scale', 'gss', 'beta', '-n', namespace, '--replicas=35']);
    const failure = await eventually(
      async () => (await readSet(namespace, 'beta')).status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.reason === 'HostPortsExhausted') ?? false,
      { description: 'ReplicaFailure HostPortsExhausted' },
    );
    expect(failure?.message).toMatch(/host ports 8000-8019 exhausted/);
    expect((await eventsOf(namespace, 'GameServerSet', 'beta')).some((e) => e.startsWith('Warning HostPortsExhausted: host ports 8000-8019 exhausted'))).toBe(true);
    // 30 + 30 fill the 60 slots; beta's last 5 rooms wait.
    expect(hostPortClashes(await scheduledPods(namespace, ['alpha', 'beta'], 60))).toEqual([]);
    expect((await livePods(namespace, 'beta')).size).toBe(30);

    // Scale-down frees ports; the waiting rooms get them.
    await kubectl(['scale', 'gss', 'alpha', '-n', namespace, '--replicas=20']);
    const final = await scheduledPods(namespace, ['alpha', 'beta'], 55);
    expect((await livePods(namespace, 'beta')).size).toBe(35);
    expect(hostPortClashes(final)).toEqual([]);
    await eventually(async () => (await readSet(namespace, 'beta')).status?.conditions?.some((c) => c.type === 'ReplicaFailure') === false, {
      description: 'ReplicaFailure cleared',
    });
  });

  it('a bad networkConf gives a Warning and a condition naming it; the set still runs its rooms', async () => {
    await applySet(namespace, gameServerSet('bad', 2, { network: { networkType: 'Kubernetes-HostPort', networkConf: [{ name: 'ContainerPorts', value: 'web:80' }] } }));
    const condition = await eventually(async () => (await readSet(namespace, 'bad')).status?.conditions?.find((c) => c.type === 'NetworkConfInvalid') ?? false, {
      description: 'NetworkConfInvalid',
    });
    expect(condition).toMatchObject({ status: 'True', reason: 'InvalidNetworkConf', message: 'network Kubernetes-HostPort: ContainerPorts: container "web" is not in the gameServerTemplate' });
    expect((await eventsOf(namespace, 'GameServerSet', 'bad')).some((e) => e.startsWith('Warning InvalidNetworkConf: network Kubernetes-HostPort: ContainerPorts'))).toBe(true);
    const pods = await scheduledPods(namespace, ['bad'], 2);
    expect(pods.every((p) => hostPortOf(p) === undefined)).toBe(true);
    // Its rooms never reach the network: after the (10 s) wait, OKG's GsNetworkState Warning.
    await networksIn(namespace, ['bad-0'], 'NotReady');
    await eventually(async () => (await eventsOf(namespace, 'GameServer', 'bad-0')).some((e) => e.startsWith('Warning GsNetworkState: Network wait timeout')), {
      description: 'GsNetworkState Warning',
      timeoutMs: 40_000,
    });
    // Fixing the conf clears the condition.
    await kubectl(['patch', 'gss', 'bad', '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { network: { networkType: 'Kubernetes-HostPort', networkConf: [{ name: 'ContainerPorts', value: 'game:80' }] } } })]);
    await eventually(async () => !(await readSet(namespace, 'bad')).status?.conditions?.some((c) => c.type === 'NetworkConfInvalid'), { description: 'condition cleared' });
  });
});
