// Kubernetes-NodePort on a real control plane: a NodePort Service per room
// selecting exactly its pod, taken off the network by networkDisabled (OKG's
// network-control scenario: the selector is swapped) and back, removed with
// the room by the garbage collector unless Fixed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { applySet, gameServerSet, livePods } from '../game-server-set/harness.js';
import { externalIp, giveNodesExternalIps, networksIn, readService } from './harness.js';

let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('net-nodeport');
  await giveNodesExternalIps();
  operator = await startOperator({ namespaces: [namespace], flags: ['--network-interval=1s'] });
});
afterAll(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

const nodePortSet = (name: string, replicas: number, fixed: boolean) =>
  gameServerSet(name, replicas, {
    network: {
      networkType: 'Kubernetes-NodePort',
      networkConf: [
        { name: 'PortProtocols', value: '7777/UDP,8080' },
        { name: 'Fixed', value: String(fixed) },
      ],
    },
  });

const patchGs = (name: string, spec: Record<string, unknown>) => kubectl(['patch', 'gs', name, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec })]);

describe('Kubernetes-NodePort', () => {
  it('makes a Service per room, swaps its selector with networkDisabled, and the room takes it along', async () => {
    await applySet(namespace, nodePortSet('np', 2, false));
    const statuses = await networksIn(namespace, ['np-0', 'np-1'], 'Ready');
    const pods = await livePods(namespace, 'np');
    for (const name of ['np-0', 'np-1']) {
      const service = await readService(namespace, name);
      const pod = pods.get(name);
      expect(service?.spec.type).toBe('NodePort');
      expect(service?.spec.selector).toEqual({ 'statefulset.kubernetes.io/pod-name': name });
      expect(service?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Pod', name, uid: pod?.metadata?.uid })]);
      const [udp, tcp] = service?.spec.ports ?? [];
      expect([udp?.port, udp?.protocol, tcp?.port, tcp?.protocol]).toEqual([7777, 'UDP', 8080, 'TCP']);
      const ip = externalIp(pod?.spec?.nodeName ?? '');
      expect(statuses.get(name)?.externalAddresses).toEqual([
        { ip, ports: [{ name: '7777', port: udp?.nodePort, protocol: 'UDP' }] },
        { ip, ports: [{ name: '8080', port: tcp?.nodePort, protocol: 'TCP' }] },
      ]);
      expect(statuses.get(name)?.internalAddresses?.[0]).toEqual({ ip: pod?.status?.podIP, ports: [{ name: '7777', port: 7777, protocol: 'UDP' }] });
    }
    // The pod annotation carries the plugin's report, as OKG's does.
    const annotation = await kubectl(['get', 'pod', 'np-0', '-n', namespace, '-o', 'jsonpath={.metadata.annotations.game\\.kruise\\.io/network-status}']);
    expect(JSON.parse(annotation)).toMatchObject({ networkType: 'Kubernetes-NodePort', currentNetworkState: 'Ready' });

    // networkDisabled: the Service selects no pod; desired and current NotReady; then back, on the same node ports.
    const nodePorts = (await readService(namespace, 'np-0'))?.spec.ports.map((p) => p.nodePort);
    await patchGs('np-0', { networkDisabled: true });
    await eventually(async () => (await readService(namespace, 'np-0'))?.spec.selector?.['game.kruise.io/svc-selector-disabled'] === 'np-0', { description: 'selector swapped' });
    expect((await readService(namespace, 'np-0'))?.spec.selector).toEqual({ 'game.kruise.io/svc-selector-disabled': 'np-0' });
    const disabled = await networksIn(namespace, ['np-0'], 'NotReady');
    expect(disabled.get('np-0')?.desiredNetworkState).toBe('NotReady');
    await patchGs('np-0', { networkDisabled: false });
    const enabled = await networksIn(namespace, ['np-0'], 'Ready');
    expect(enabled.get('np-0')?.desiredNetworkState).toBe('Ready');
    const back = await readService(namespace, 'np-0');
    expect(back?.spec.selector).toEqual({ 'statefulset.kubernetes.io/pod-name': 'np-0' });
    expect(back?.spec.ports.map((p) => p.nodePort)).toEqual(nodePorts);

    // A re-created pod gets a new Service (the old one went with its pod); a removed room takes its Service along.
    const oldUid = back?.metadata.uid;
    await kubectl(['delete', 'pod', 'np-0', '-n', namespace, '--wait=false']);
    await eventually(async () => {
      const service = await readService(namespace, 'np-0');
      const pod = (await livePods(namespace, 'np')).get('np-0');
      return service !== undefined && service.metadata.uid !== oldUid && service.metadata.ownerReferences?.[0]?.uid === pod?.metadata?.uid;
    }, { description: 'a new Service for the new pod np-0', timeoutMs: 90_000 });
    await kubectl(['scale', 'gss', 'np', '-n', namespace, '--replicas=1']);
    await eventually(async () => (await readService(namespace, 'np-1')) === undefined, { description: 'Service np-1 removed with its room', timeoutMs: 90_000 });
  });

  it('Fixed keeps the Service and its node ports across pod re-creation and scale-down; it goes with the set', async () => {
    await applySet(namespace, nodePortSet('fx', 1, true));
    await networksIn(namespace, ['fx-0'], 'Ready');
    const service = await readService(namespace, 'fx-0');
    expect(service?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'GameServerSet', name: 'fx' })]);
    const oldPod = (await livePods(namespace, 'fx')).get('fx-0')?.metadata?.uid;
    await kubectl(['delete', 'pod', 'fx-0', '-n', namespace, '--wait=false']);
    await eventually(async () => {
      const pod = (await livePods(namespace, 'fx')).get('fx-0');
      return pod !== undefined && pod.metadata?.uid !== oldPod && pod.status?.phase === 'Running';
    }, { description: 'fx-0 re-created', timeoutMs: 90_000 });
    await networksIn(namespace, ['fx-0'], 'Ready');
    const kept = await readService(namespace, 'fx-0');
    expect(kept?.metadata.uid).toBe(service?.metadata.uid);
    expect(kept?.spec.ports.map((p) => p.nodePort)).toEqual(service?.spec.ports.map((p) => p.nodePort));

    await kubectl(['scale', 'gss', 'fx', '-n', namespace, '--replicas=0']);
    await eventually(async () => (await livePods(namespace, 'fx')).size === 0, { description: 'fx scaled to 0' });
    expect((await readService(namespace, 'fx-0'))?.metadata.uid).toBe(service?.metadata.uid);
    await kubectl(['delete', 'gss', 'fx', '-n', namespace, '--wait=false']);
    await eventually(async () => (await readService(namespace, 'fx-0')) === undefined, { description: 'Service fx-0 removed with the set', timeoutMs: 90_000 });
  });

  it('AllowNotReadyContainers: the update waits until the Service keeps the room (publishNotReadyAddresses), then goes in place (OKG\'s blocker handshake)', async () => {
    const set = gameServerSet('side', 1, {
      updateStrategy: { rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } },
      network: {
        networkType: 'Kubernetes-NodePort',
        networkConf: [
          { name: 'PortProtocols', value: '7777/UDP' },
          { name: 'AllowNotReadyContainers', value: 'sidecar' },
        ],
      },
    });
    await applySet(namespace, set);
    await networksIn(namespace, ['side-0'], 'Ready');
    expect((await readService(namespace, 'side-0'))?.spec.publishNotReadyAddresses).toBeUndefined();
    const uid = (await livePods(namespace, 'side')).get('side-0')?.metadata?.uid;
    await kubectl(['patch', 'gss', 'side', '-n', namespace, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: 'example.com/sidecar:0.2' }])]);
    await eventually(async () => (await readService(namespace, 'side-0'))?.spec.publishNotReadyAddresses === true, {
      description: 'publishNotReadyAddresses during the in-place update',
      intervalMs: 100,
    });
    await eventually(async () => {
      const pod = (await livePods(namespace, 'side')).get('side-0');
      const sidecar = pod?.status?.containerStatuses?.find((c) => c.name === 'sidecar');
      const ready = pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      const settled = pod?.metadata?.labels?.['lifecycle.apps.kruise.io/state'] === 'Normal' && pod.metadata.labels['game.kruise.io/inplace-update-not-ready-blocker'] === 'true';
      return sidecar?.image === 'example.com/sidecar:0.2' && ready === true && settled && (await readService(namespace, 'side-0'))?.spec.publishNotReadyAddresses !== true;
    }, { description: 'updated in place, Ready, Normal with the blocker back, ready addresses only', timeoutMs: 90_000 });
    expect((await livePods(namespace, 'side')).get('side-0')?.metadata?.uid).toBe(uid);
  });
});
