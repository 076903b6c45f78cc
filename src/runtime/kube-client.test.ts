import { describe, expect, it } from '@jest/globals';
import { resourceOfPath } from './kube-client.js';

describe('resourceOfPath', () => {
  it.each([
    ['/api/v1/namespaces/ns/pods', 'pods'],
    ['/api/v1/namespaces/ns/pods/p-0', 'pods'],
    ['/api/v1/namespaces/ns/pods/p-0/status', 'pods/status'],
    ['/api/v1/namespaces/ns/pods/p-0/exec?command=x', 'pods/exec'],
    ['/api/v1/nodes', 'nodes'],
    ['/api/v1/namespaces', 'namespaces'],
    ['/api/v1/namespaces/ns', 'namespaces'],
    ['/apis/game.kruise.io/v1alpha1/namespaces/ns/gameservers/gs-1/status', 'gameservers/status'],
    ['/apis/game.kruise.io/v1alpha1/gameserversets', 'gameserversets'],
    ['/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/gamekeeper', 'leases'],
    ['/apis/events.k8s.io/v1/namespaces/ns/events', 'events'],
  ])('%s → %s', (path, resource) => {
    expect(resourceOfPath(path)).toBe(resource);
  });
});
