import { describe, expect, it } from '@jest/globals';
import { buildRooms, type GameServerObject } from '../rooms.js';
import { formatDescription, type EventObject } from './describe.js';

const gs: GameServerObject = {
  metadata: { name: 'web-0', namespace: 'ns', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'game.kruise.io/owner-gss': 'web' } },
  spec: { opsState: 'Allocated', deletionPriority: 0, updatePriority: 2 },
  status: {
    currentState: 'Ready',
    conditions: [{ type: 'PodNormal', status: 'False', reason: 'CrashLoopBackOff', message: 'game restarted' }],
    serviceQualitiesConditions: [{ name: 'idle', status: 'True', result: 'idle', lastProbeTime: '2026-01-01T00:00:50Z', lastActionTransitionTime: '2026-01-01T00:00:30Z' }],
  },
};
const event = (reason: string, at: string, count = 1): EventObject => ({
  type: 'Normal',
  reason,
  message: `${reason} happened`,
  count,
  lastTimestamp: at,
  metadata: {},
  involvedObject: { kind: 'GameServer', name: 'web-0' },
  source: { component: 'gamekeeper' },
});

describe('formatDescription', () => {
  it('prints fields, conditions, service qualities and the events oldest first', () => {
    const [room] = buildRooms([gs], [], []);
    const text = formatDescription(gs, room!, [event('Later', '2026-01-01T00:00:40Z', 3), event('Earlier', '2026-01-01T00:00:10Z')], Date.parse('2026-01-01T00:01:00Z'));
    expect(text).toBe(
      [
        'Name:               web-0',
        'Namespace:          ns',
        'GameServerSet:      web',
        'State:              Ready',
        'OpsState:           Allocated',
        'Deletion Priority:  0',
        'Update Priority:    2',
        'Revision:           <none>',
        'Node:               <none>',
        'Address:            <none>',
        'Network:            <none>',
        'Created:            2026-01-01T00:00:00Z (60s ago)',
        'Conditions:',
        '  Type        Status   Reason             Message',
        '  PodNormal   False    CrashLoopBackOff   game restarted',
        'Service Qualities:',
        '  Name   Status   Result   Last Probe   Last Action',
        '  idle   True     idle     10s          30s',
        'Events:',
        '  Type     Reason    Age   From         Object             Message',
        '  Normal   Earlier   50s   gamekeeper   GameServer/web-0   Earlier happened',
        '  Normal   Later     20s   gamekeeper   GameServer/web-0   Later happened (x3)',
        '',
      ].join('\n'),
    );
  });
});
