import { describe, expect, it } from '@jest/globals';
import { publishNotReady } from './allow-not-ready.js';
import { serverFacts, node } from './fixtures.js';
import { hostPortPlugin, prepareHostPorts } from './host-port/host-port-plugin.js';
import { ingress, ingressService } from './ingress/ingress-plugin.js';
import { parseIngressConf } from './ingress/parse-conf.js';
import { nodeAddress } from './node-address.js';
import { nodePortPlugin, nodePortService } from './node-port/node-port-plugin.js';

describe('nodeAddress', () => {
  it.each([
    ['ExternalIP first', [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'ExternalIP', address: '1.2.3.4' }], '1.2.3.4'],
    ['InternalIP when no external one', [{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '10.0.0.1' }], '10.0.0.1'],
    ['none', [], undefined],
  ])('%s', (_name, addresses, expected) => {
    expect(nodeAddress(node('n', addresses))).toBe(expected);
  });
});

describe('Kubernetes-HostPort', () => {
  const conf = { mappings: [{ container: 'game', containerPort: 7777, protocol: 'UDP' }, { container: 'game', containerPort: undefined, protocol: 'TCPUDP' }] };

  it('prepares container ports in conf order; SameAsHost listens on the host port; TCPUDP opens both', () => {
    expect(prepareHostPorts(conf, [8005, 8009])).toEqual({
      containerPorts: {
        game: [
          { containerPort: 7777, hostPort: 8005, protocol: 'UDP' },
          { containerPort: 8009, hostPort: 8009, protocol: 'TCP' },
          { containerPort: 8009, hostPort: 8009, protocol: 'UDP' },
        ],
      },
    });
  });

  it('reports the node ExternalIP and the host ports; NotReady until scheduled with an IP', () => {
    const pod = { spec: { nodeName: 'node-a', containers: [{ name: 'game', ports: [{ containerPort: 7777, hostPort: 8005, protocol: 'UDP' }] }] } };
    expect(hostPortPlugin.computeStatus(conf, serverFacts({}, pod), {})).toEqual({
      networkType: 'Kubernetes-HostPort',
      currentNetworkState: 'Ready',
      internalAddresses: [{ ip: '10.0.0.3', ports: [{ name: 'game-7777', port: 7777, protocol: 'UDP' }] }],
      externalAddresses: [{ ip: '203.0.113.1', ports: [{ name: 'game-7777', port: 8005, protocol: 'UDP' }] }],
    });
    expect(hostPortPlugin.computeStatus(conf, serverFacts({ node: undefined }, pod), {}).currentNetworkState).toBe('NotReady');
  });
});

describe('Kubernetes-NodePort', () => {
  const conf = { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }], fixed: false };

  it('a Service per room selecting its pod, owned by the pod', () => {
    const { manifest } = nodePortService(conf, serverFacts());
    expect(manifest.metadata).toEqual({
      name: 'room-3',
      namespace: 'ns',
      labels: { 'game.kruise.io/owner-gss': 'room' },
      annotations: {},
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'room-3', uid: 'pod-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(manifest.spec).toEqual({
      type: 'NodePort',
      selector: { 'statefulset.kubernetes.io/pod-name': 'room-3' },
      ports: [
        { name: '80-tcp', port: 80, protocol: 'TCP', targetPort: 80 },
        { name: '80-udp', port: 80, protocol: 'UDP', targetPort: 80 },
      ],
    });
  });

  it('Fixed: owned by the set; networkDisabled: the selector matches no pod', () => {
    const { manifest } = nodePortService({ ...conf, fixed: true }, serverFacts({ networkDisabled: true }));
    expect(manifest.metadata.ownerReferences[0]).toMatchObject({ kind: 'GameServerSet', name: 'room', uid: 'set-uid' });
    expect(manifest.spec.selector).toEqual({ 'game.kruise.io/svc-selector-disabled': 'room-3' });
  });

  it('status: Ready with node ports; NotReady while a node port is missing or the selector is swapped', () => {
    const service = { spec: { selector: { 'statefulset.kubernetes.io/pod-name': 'room-3' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 31000 }] } };
    expect(nodePortPlugin.computeStatus(conf, serverFacts(), { Service: service })).toEqual({
      networkType: 'Kubernetes-NodePort',
      currentNetworkState: 'Ready',
      internalAddresses: [{ ip: '10.0.0.3', ports: [{ name: '80', port: 80, protocol: 'TCP' }] }],
      externalAddresses: [{ ip: '203.0.113.1', ports: [{ name: '80', port: 31000, protocol: 'TCP' }] }],
    });
    const noNodePort = { spec: { ports: [{ port: 80 }] } };
    expect(nodePortPlugin.computeStatus(conf, serverFacts(), { Service: noNodePort }).currentNetworkState).toBe('NotReady');
    const swapped = { spec: { ...service.spec, selector: { 'game.kruise.io/svc-selector-disabled': 'room-3' } } };
    expect(nodePortPlugin.computeStatus(conf, serverFacts(), { Service: swapped }).currentNetworkState).toBe('NotReady');
    expect(nodePortPlugin.computeStatus(conf, serverFacts(), {}).currentNetworkState).toBe('NotReady');
  });
});

describe('Kubernetes-Ingress', () => {
  const parsed = parseIngressConf([
    { name: 'Path', value: '/game<id>' },
    { name: 'Path', value: '/chat-<id>' },
    { name: 'PathType', value: 'Prefix' },
    { name: 'Port', value: '80' },
    { name: 'Port', value: '81' },
    { name: 'Host', value: 'r<id>.example.com' },
    { name: 'TlsSecretName', value: 'tls' },
  ]);
  if (!parsed.ok) throw new Error('conf');

  it('paths with the id; a path without its own type takes the first one; the Service exposes each port once', () => {
    const { manifest } = ingress(parsed.conf, serverFacts());
    expect(manifest.spec).toEqual({
      rules: [
        {
          host: 'r3.example.com',
          http: {
            paths: [
              { path: '/game3', pathType: 'Prefix', backend: { service: { name: 'room-3', port: { number: 80 } } } },
              { path: '/chat-3', pathType: 'Prefix', backend: { service: { name: 'room-3', port: { number: 81 } } } },
            ],
          },
        },
      ],
      tls: [{ secretName: 'tls' }],
    });
    expect(ingressService(parsed.conf, serverFacts()).manifest.spec.ports).toEqual([
      { name: '80', port: 80, protocol: 'TCP', targetPort: 80 },
      { name: '81', port: 81, protocol: 'TCP', targetPort: 81 },
    ]);
  });
});

describe('AllowNotReadyContainers', () => {
  const pod = (ready: boolean, containers: [string, boolean][], inPlace?: 'True' | 'False') => ({
    status: {
      podIP: '10.0.0.3',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }, ...(inPlace ? [{ type: 'InPlaceUpdateReady', status: inPlace }] : [])],
      containerStatuses: containers.map(([name, r]) => ({ name, ready: r, restartCount: 0, image: 'i', imageID: 'i' })),
    },
  });
  it.each([
    ['not configured', [], pod(false, [['sidecar', false]]), false],
    ['only a listed container not ready', ['sidecar'], pod(false, [['game', true], ['sidecar', false]]), true],
    ['in-place update about to start, all containers ready', ['sidecar'], pod(false, [['game', true], ['sidecar', true]], 'False'), true],
    ['the game container not ready', ['sidecar'], pod(false, [['game', false], ['sidecar', false]]), false],
    ['pod ready', ['sidecar'], pod(true, [['game', true], ['sidecar', true]]), false],
  ] as const)('%s', (_name, allowed, p, expected) => {
    expect(publishNotReady(serverFacts({ allowNotReadyContainers: [...allowed] }, p as never))).toBe(expected);
  });
});
