import { describe, expect, it } from '@jest/globals';
import { computeEvents, snapshotFromLabels, stateChangeEvents, withoutState, type EventSnapshot } from './compute-events.js';
import { syncedLabels } from './fixtures.js';
import type { GameServerEvent } from './types.js';

const normal = (message: string): GameServerEvent => ({ type: 'Normal', reason: 'GsStateChanged', message });
const warning = (message: string): GameServerEvent => ({ type: 'Warning', reason: 'GsStateChanged', message });

describe('computeEvents', () => {
  const cases: [string, EventSnapshot, EventSnapshot, GameServerEvent[]][] = [
    ['nothing changed', { opsState: 'None', state: 'Ready' }, { opsState: 'None', state: 'Ready' }, []],
    ['new pod (no previous labels) is quiet', {}, { opsState: 'None', state: 'Creating', updatePriority: '0' }, []],
    ['opsState to Allocated → Normal', { opsState: 'None' }, { opsState: 'Allocated' }, [normal('OpsState turn from None to Allocated')]],
    ['opsState to Maintaining → Warning', { opsState: 'None' }, { opsState: 'Maintaining' }, [warning('OpsState turn from None to Maintaining')]],
    ['opsState to WaitToBeDeleted → Normal', { opsState: 'None' }, { opsState: 'WaitToBeDeleted' }, [normal('OpsState turn from None to WaitToBeDeleted')]],
    ['state to Crash → Warning', { state: 'Ready' }, { state: 'Crash' }, [warning('State turn from Ready to Crash')]],
    ['state Crash → Ready → Normal', { state: 'Crash' }, { state: 'Ready' }, [normal('State turn from Crash to Ready')]],
    ['priorities and networkDisabled, in OKG order', { deletionPriority: '0', updatePriority: '0', networkDisabled: 'false' }, { deletionPriority: '10', updatePriority: '5', networkDisabled: 'true' }, [
      normal('DeletionPriority turn from 0 to 10'), normal('UpdatePriority turn from 0 to 5'), normal('NetworkDisabled turn from false to true'),
    ]],
    ['field missing in next is no event', { opsState: 'None' }, {}, []],
    ['condition turning False → Warning with its reason', { conditions: [{ type: 'NodeNormal', status: 'True' }] }, { conditions: [{ type: 'NodeNormal', status: 'False', reason: 'Ready:NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] }, [
      { type: 'Warning', reason: 'Ready:NodeStatusUnknown', message: 'Kubelet stopped posting node status.' },
    ]],
  ];
  it.each(cases)('%s', (_name, previous, next, expected) => {
    expect(computeEvents(previous, next)).toEqual(expected);
  });
});

describe('snapshotFromLabels', () => {
  it('reads the ops labels', () => {
    expect(snapshotFromLabels({ ...syncedLabels('Allocated', 'Ready', 3, 4), other: 'x' })).toEqual({
      state: 'Ready', opsState: 'Allocated', updatePriority: '3', deletionPriority: '4', networkDisabled: 'false',
    });
  });
});

describe('stateChangeEvents', () => {
  const cases: [string, string | undefined, string, GameServerEvent[]][] = [
    ['first state of a new GameServer is quiet', undefined, 'Ready', []],
    ['empty previous state is quiet', '', 'Creating', []],
    ['same state is quiet', 'Ready', 'Ready', []],
    ['Ready → Updating → Normal', 'Ready', 'Updating', [normal('State turn from Ready to Updating')]],
    ['Updating → Ready → Normal', 'Updating', 'Ready', [normal('State turn from Updating to Ready')]],
    ['to Crash → Warning', 'Ready', 'Crash', [warning('State turn from Ready to Crash')]],
  ];
  it.each(cases)('%s', (_name, previous, next, expected) => {
    expect(stateChangeEvents(previous, next)).toEqual(expected);
  });
});

describe('withoutState', () => {
  it('drops the state, whose event comes from the status', () => {
    expect(withoutState({ state: 'Ready', opsState: 'None' })).toEqual({ opsState: 'None' });
    expect(computeEvents(withoutState({ state: 'Ready', opsState: 'None' }), withoutState({ state: 'Updating', opsState: 'Allocated' }))).toEqual([
      normal('OpsState turn from None to Allocated'),
    ]);
  });
});
