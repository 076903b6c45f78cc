// Builders for the network planners' tests.
import type { CachedNode, CachedPod } from '../shared/informers.js';
import type { ServerFacts } from './types.js';

export function serverFacts(overrides: Partial<ServerFacts> = {}, pod: Partial<CachedPod> = {}): ServerFacts {
  return {
    namespace: 'ns',
    name: 'room-3',
    ordinal: 3,
    pod: {
      metadata: { name: 'room-3', namespace: 'ns', uid: 'pod-uid' },
      spec: { containers: [{ name: 'game' }], nodeName: 'node-a' },
      status: { podIP: '10.0.0.3', conditions: [{ type: 'Ready', status: 'True' }] },
      ...pod,
    },
    node: node('node-a', [{ type: 'InternalIP', address: '192.168.0.1' }, { type: 'ExternalIP', address: '203.0.113.1' }]),
    set: { name: 'room', uid: 'set-uid' },
    networkDisabled: false,
    allowNotReadyContainers: [],
    ...overrides,
  };
}

export function node(name: string, addresses: { type: string; address: string }[]): CachedNode {
  return { metadata: { name }, status: { addresses } };
}
