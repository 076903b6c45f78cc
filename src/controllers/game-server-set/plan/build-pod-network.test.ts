import { describe, expect, it } from '@jest/globals';
import { buildPod } from './build-pod.js';
import { aSet } from './test-fixtures.js';

describe('buildPod with a network preparation', () => {
  it('appends the plugin container ports to the named containers, after the template ones', () => {
    const template = { spec: { containers: [{ name: 'game', image: 'g:1', ports: [{ containerPort: 9090 }] }, { name: 'sidecar', image: 's:1' }] } };
    const pod = buildPod(aSet(), 0, 'rev', template, [], { containerPorts: { game: [{ containerPort: 7777, hostPort: 8003, protocol: 'UDP' }] } });
    expect(pod.spec.containers.map((c) => c.ports)).toEqual([[{ containerPort: 9090 }, { containerPort: 7777, hostPort: 8003, protocol: 'UDP' }], undefined]);
    expect(template.spec.containers[0]?.ports).toEqual([{ containerPort: 9090 }]);
  });
});
