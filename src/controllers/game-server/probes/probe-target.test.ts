import { describe, expect, it } from '@jest/globals';
import { probeContainer, probeHost, resolvePort, type ProbeTarget } from './probe-target.js';

const target: ProbeTarget = {
  namespace: 'ns',
  podName: 'p',
  containers: [
    { name: 'game', ports: [{ name: 'http', containerPort: 8080 }] },
    { name: 'sidecar', ports: [{ name: 'metrics', containerPort: 9090 }] },
  ],
  podIP: '10.0.0.1',
  hostIP: '192.168.0.1',
};

describe('probe targets', () => {
  it('runs exec in the named container, else the first one', () => {
    expect(probeContainer(target, { name: 'q' })).toBe('game');
    expect(probeContainer(target, { name: 'q', containerName: 'sidecar' })).toBe('sidecar');
    expect(() => probeContainer(target, { name: 'q', containerName: 'missing' })).toThrow(expect.objectContaining({ reason: 'ContainerNotFound' }));
  });

  it('resolves numbers and named ports', () => {
    expect(resolvePort(target, { name: 'q' }, 80)).toBe(80);
    expect(resolvePort(target, { name: 'q' }, '81')).toBe(81);
    expect(resolvePort(target, { name: 'q' }, 'metrics')).toBe(9090);
    expect(() => resolvePort(target, { name: 'q', containerName: 'game' }, 'metrics')).toThrow(expect.objectContaining({ reason: 'PortNotFound' }));
  });

  it('goes to the pod IP, the host IP for hostNetwork pods, or the given host', () => {
    expect(probeHost(target, undefined)).toBe('10.0.0.1');
    expect(probeHost({ ...target, hostNetwork: true }, undefined)).toBe('192.168.0.1');
    expect(probeHost(target, '10.0.0.1')).toBe('10.0.0.1');
    expect(() => probeHost(target, 'example.com')).toThrow(expect.objectContaining({ reason: 'InvalidProbe' }));
    expect(() => probeHost(target, '127.0.0.1')).toThrow(expect.objectContaining({ reason: 'InvalidProbe' }));
    expect(() => probeHost({ ...target, hostNetwork: true }, '10.0.0.1')).toThrow(expect.objectContaining({ reason: 'InvalidProbe' }));
    expect(() => probeHost({ ...target, podIP: undefined }, undefined)).toThrow(expect.objectContaining({ reason: 'NoTargetAddress' }));
  });
});
