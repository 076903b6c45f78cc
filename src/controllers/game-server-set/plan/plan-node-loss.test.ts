import { describe, expect, it } from '@jest/globals';
import { planNodeLoss, type NodeLossPlan } from './plan-node-loss.js';
import { NOW, aPod, ago } from './test-fixtures.js';
import type { NodeView, PodView } from './types.js';

const later = (seconds: number): string => new Date(NOW + seconds * 1000).toISOString();

interface Case {
  name: string;
  pods: PodView[];
  nodes: NodeView[];
  timeoutSeconds: number | undefined;
  expected: NodeLossPlan;
}

const cases: Case[] = [
  {
    name: 'disabled: nothing, whatever the nodes',
    pods: [aPod(0, { nodeName: 'n1' })],
    nodes: [{ name: 'n1', lostSince: ago(9999) }],
    timeoutSeconds: undefined,
    expected: { evict: [] },
  },
  {
    name: 'healthy node: nothing',
    pods: [aPod(0, { nodeName: 'n1' })],
    nodes: [{ name: 'n1' }],
    timeoutSeconds: 60,
    expected: { evict: [] },
  },
  {
    name: 'lost for less than the timeout: recheck when it expires',
    pods: [aPod(0, { nodeName: 'n1' })],
    nodes: [{ name: 'n1', lostSince: ago(20) }],
    timeoutSeconds: 60,
    expected: { evict: [], recheckAfterSeconds: 40 },
  },
  {
    name: 'lost for exactly the timeout: graceful delete',
    pods: [aPod(0, { nodeName: 'n1' })],
    nodes: [{ name: 'n1', lostSince: ago(60) }],
    timeoutSeconds: 60,
    expected: { evict: [{ name: 'gss-0', nodeName: 'n1', force: false }] },
  },
  {
    name: 'only the pods of the lost node',
    pods: [aPod(0, { nodeName: 'n1' }), aPod(1, { nodeName: 'n2' }), aPod(2)],
    nodes: [{ name: 'n1', lostSince: ago(600) }, { name: 'n2' }],
    timeoutSeconds: 60,
    expected: { evict: [{ name: 'gss-0', nodeName: 'n1', force: false }] },
  },
  {
    name: 'terminating within its grace period: wait for it',
    pods: [aPod(0, { nodeName: 'n1', deleting: true, deletionTimestamp: later(25) })],
    nodes: [{ name: 'n1', lostSince: ago(600) }],
    timeoutSeconds: 60,
    expected: { evict: [], recheckAfterSeconds: 25 },
  },
  {
    name: 'terminating past its grace period: force delete',
    pods: [aPod(0, { nodeName: 'n1', deleting: true, deletionTimestamp: ago(1) })],
    nodes: [{ name: 'n1', lostSince: ago(600) }],
    timeoutSeconds: 60,
    expected: { evict: [{ name: 'gss-0', nodeName: 'n1', force: true }] },
  },
  {
    name: 'node missing from the cache: left to Kubernetes pod GC',
    pods: [aPod(0, { nodeName: 'gone' })],
    nodes: [],
    timeoutSeconds: 60,
    expected: { evict: [] },
  },
  {
    name: 'timeout 0 evicts at once',
    pods: [aPod(0, { nodeName: 'n1' })],
    nodes: [{ name: 'n1', lostSince: ago(0) }],
    timeoutSeconds: 0,
    expected: { evict: [{ name: 'gss-0', nodeName: 'n1', force: false }] },
  },
];

describe('planNodeLoss', () => {
  it.each(cases)('$name', ({ pods, nodes, timeoutSeconds, expected }) => {
    expect(planNodeLoss(pods, { now: NOW, nodes, timeoutSeconds })).toEqual(expected);
  });
});
