import { describe, expect, it } from '@jest/globals';
import { LABELS } from '../../../api/constants.js';
import { toProbedPod } from './probed-pod.js';

describe('toProbedPod', () => {
  it('carries the set the pod belongs to (backlog reports are per set), its address and container starts', () => {
    const pod = toProbedPod({
      metadata: { namespace: 'ns', name: 'gss-0', uid: 'u', labels: { [LABELS.ownerGss]: 'gss' } },
      spec: { containers: [{ name: 'game' }], hostNetwork: true },
      status: { phase: 'Running', podIP: '127.10.0.3', hostIP: '127.0.0.1', containerStatuses: [{ name: 'game', state: { running: { startedAt: '2026-11-26T00:00:00Z' } } }] },
    } as never);
    expect(pod).toMatchObject({ namespace: 'ns', podName: 'gss-0', setName: 'gss', podIP: '127.10.0.3', hostIP: '127.0.0.1', hostNetwork: true, probeable: true });
    expect(pod.startedAt.get('game')).toBe(Date.parse('2026-11-26T00:00:00Z'));
  });

  it('has no set for a pod without the owner label', () => {
    expect(toProbedPod({ metadata: { namespace: 'ns', name: 'p', uid: 'u' } }).setName).toBeUndefined();
  });
});
