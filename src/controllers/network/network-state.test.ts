import { describe, expect, it } from '@jest/globals';
import { computeGameServerNetwork, networkWait, NetworkWaitWarnings } from './game-server-network.js';
import { desiredHash, planObject } from './plan-object.js';
import { planNetworkCondition } from './set-network.js';
import { nodePortService } from './node-port/node-port-plugin.js';
import { serverFacts } from './fixtures.js';
import type { NetworkStatus } from '../../api/game-server.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:00:30Z';
const annotations = (report?: object) => ({
  'game.kruise.io/network-type': 'Kubernetes-NodePort',
  ...(report ? { 'game.kruise.io/network-status': JSON.stringify(report) } : {}),
});

describe('computeGameServerNetwork', () => {
  it('none without a network plugin on the pod', () => {
    expect(computeGameServerNetwork(undefined, {}, false, T0)).toBeUndefined();
  });

  it('starts desired Ready, current NotReady until the plugin reports', () => {
    expect(computeGameServerNetwork(undefined, annotations(), false, T0)).toEqual({
      networkType: 'Kubernetes-NodePort',
      desiredNetworkState: 'Ready',
      currentNetworkState: 'NotReady',
      createTime: T0,
      lastTransitionTime: T0,
    });
  });

  it('copies the report; lastTransitionTime moves only when a state changes; createTime stays', () => {
    const report = { currentNetworkState: 'Ready', externalAddresses: [{ ip: '1.2.3.4', ports: [{ name: '80', port: 31000, protocol: 'TCP' }] }] };
    const first = computeGameServerNetwork(undefined, annotations(report), false, T0);
    expect(first).toMatchObject({ currentNetworkState: 'Ready', externalAddresses: report.externalAddresses, lastTransitionTime: T0 });
    expect(computeGameServerNetwork(first, annotations(report), false, T1)?.lastTransitionTime).toBe(T0);
    const disabled = computeGameServerNetwork(first, annotations(report), true, T1);
    expect(disabled).toMatchObject({ desiredNetworkState: 'NotReady', currentNetworkState: 'Ready', createTime: T0, lastTransitionTime: T1 });
  });
});

describe('networkWait and the GsNetworkState warning', () => {
  const timing = { totalWaitMs: 60_000, intervalMs: 5_000 };
  const status = (desired: 'Ready' | 'NotReady', current: 'Ready' | 'NotReady'): NetworkStatus => ({ desiredNetworkState: desired, currentNetworkState: current, lastTransitionTime: T0 });
  const at = (seconds: number) => Date.parse(T0) + seconds * 1000;

  it.each([
    ['settled', status('Ready', 'Ready'), 10, { kind: 'settled' }],
    ['waiting: every interval', status('Ready', 'NotReady'), 10, { kind: 'waiting', recheckAfterMs: 5_000 }],
    ['waiting: the rest of the wait', status('Ready', 'NotReady'), 58, { kind: 'waiting', recheckAfterMs: 2_000 }],
    ['timed out', status('NotReady', 'Ready'), 61, { kind: 'timedOut', waitedMs: 61_000, since: T0 }],
  ])('%s', (_name, s, seconds, expected) => {
    expect(networkWait(s, at(seconds), timing)).toEqual(expected);
  });

  it('warns once per transition', () => {
    const warnings = new NetworkWaitWarnings(timing);
    const s = status('Ready', 'NotReady');
    expect(warnings.check('ns/a', s, at(10))).toEqual({ requeueAfterMs: 5_000 });
    expect(warnings.check('ns/a', s, at(61)).warning).toBe('Network wait timeout: waited 61s, max 60s (desired Ready, current NotReady)');
    expect(warnings.check('ns/a', s, at(70))).toEqual({});
    expect(warnings.check('ns/a', { ...s, lastTransitionTime: T1 }, at(91)).warning).toMatch(/waited 61s/);
  });
});

describe('planObject', () => {
  const desired = nodePortService({ ports: [{ port: 80, protocol: 'TCP' }], fixed: false }, serverFacts());
  const hash = desiredHash(desired);
  const observed = (changes: Record<string, unknown> = {}) => ({
    metadata: {
      uid: 'svc',
      resourceVersion: '7',
      annotations: { 'game.kruise.io/svc-hash': hash, 'other/keep': 'x' },
      ownerReferences: [{ kind: 'Pod', uid: 'pod-uid', controller: true }],
    },
    spec: { type: 'NodePort', clusterIP: '10.96.0.9', ports: [{ port: 80, protocol: 'TCP', nodePort: 31000 }] },
    ...changes,
  });

  it('creates a missing object with its hash', () => {
    const plan = planObject(desired, undefined);
    expect(plan.kind).toBe('create');
    expect(plan.kind === 'create' && (plan.body.metadata as { annotations: object }).annotations).toEqual({ 'game.kruise.io/svc-hash': hash });
  });

  it('keeps an object whose hash matches', () => {
    expect(planObject(desired, observed())).toEqual({ kind: 'keep' });
  });

  it('rewrites a changed object keeping clusterIP, node ports and others annotations', () => {
    const disabled = nodePortService({ ports: [{ port: 80, protocol: 'TCP' }], fixed: false }, serverFacts({ networkDisabled: true }));
    const plan = planObject(disabled, observed());
    expect(plan.kind).toBe('replace');
    const body = plan.kind === 'replace' ? (plan.body as { metadata: { resourceVersion: string; annotations: Record<string, string> }; spec: Record<string, unknown> }) : undefined;
    expect(body?.metadata.resourceVersion).toBe('7');
    expect(body?.metadata.annotations['other/keep']).toBe('x');
    expect(body?.spec).toMatchObject({ clusterIP: '10.96.0.9', selector: { 'game.kruise.io/svc-selector-disabled': 'room-3' }, ports: [{ port: 80, nodePort: 31000 }] });
  });

  it('waits for the garbage collector to remove the object of an earlier pod of this name', () => {
    const stale = observed({ metadata: { uid: 'svc', ownerReferences: [{ kind: 'Pod', uid: 'old-pod', controller: true }] } });
    expect(planObject(desired, stale).kind).toBe('waitForGarbageCollection');
  });
});

describe('planNetworkCondition', () => {
  const invalid = { kind: 'invalid', networkType: 'Kubernetes-HostPort', reason: 'InvalidNetworkConf', problems: [{ param: 'ContainerPorts', message: 'is required' }] } as const;

  it('sets the condition and warns once; clears it when the network is fine', () => {
    const first = planNetworkCondition([], invalid, T0);
    expect(first.conditions).toEqual([
      { type: 'NetworkConfInvalid', status: 'True', reason: 'InvalidNetworkConf', message: 'network Kubernetes-HostPort: ContainerPorts: is required', lastTransitionTime: T0 },
    ]);
    expect(first.warning?.reason).toBe('InvalidNetworkConf');
    const again = planNetworkCondition(first.conditions, invalid, T1);
    expect(again.warning).toBeUndefined();
    expect(again.conditions[0]?.lastTransitionTime).toBe(T0);
    expect(planNetworkCondition(first.conditions, { kind: 'none' }, T1).conditions).toEqual([]);
  });
});
