import { describe, expect, it } from '@jest/globals';
import { stripPod, type CachedPod } from './informers.js';

const pod: CachedPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'set-0', namespace: 'ns', labels: { a: 'b' }, annotations: { c: 'd' } },
  spec: {
    nodeName: 'node-1',
    restartPolicy: 'Always',
    hostNetwork: true,
    readinessGates: [{ conditionType: 'InPlaceUpdateReady' }],
    containers: [{ name: 'game', image: 'game:1', ports: [{ containerPort: 7777 }], env: [{ name: 'X', value: '1' }], terminationMessagePath: '/dev/termination-log' }],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'data-set-0' } },
      { name: 'kube-api-access', projected: { sources: [] } },
    ],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    dnsPolicy: 'ClusterFirst',
  },
  status: {
    phase: 'Running',
    podIP: '10.0.0.1',
    podIPs: [{ ip: '10.0.0.1' }],
    qosClass: 'BestEffort',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'game',
        image: 'game:1',
        imageID: 'id',
        ready: true,
        restartCount: 1,
        state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00Z', containerID: 'x' } },
      },
    ],
  },
};

describe('stripPod', () => {
  it('keeps what the controllers read', () => {
    const stripped = stripPod(pod);
    expect(stripped.metadata).toEqual(pod.metadata);
    expect(stripped.spec).toEqual({
      nodeName: 'node-1',
      restartPolicy: 'Always',
      hostNetwork: true,
      readinessGates: [{ conditionType: 'InPlaceUpdateReady' }],
      containers: [{ name: 'game', image: 'game:1', ports: [{ containerPort: 7777 }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-set-0' } }],
    });
    expect(stripped.status).toEqual({
      phase: 'Running',
      podIP: '10.0.0.1',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'game',
          image: 'game:1',
          imageID: 'id',
          ready: true,
          restartCount: 1,
          state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
        },
      ],
    });
  });
});
