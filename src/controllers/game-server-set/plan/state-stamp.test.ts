import { describe, expect, it } from '@jest/globals';
import { ANNOTATIONS, IN_PLACE_UPDATE_READY, KRUISE_POD_READY, LABELS, LIFECYCLE } from '../../../api/constants.js';
import type { PodLike } from '../../game-server/types.js';
import { afterWrite, newPodOpsStamp, stateStamp, type PodWriteEffect, type StateStamp } from './state-stamp.js';

const NOW = '2026-11-26T02:00:00Z';
const T0 = '2026-11-26T01:00:00Z';

function pod(options: { state?: string; lifecycle?: string; inPlace?: 'True' | 'False'; ready?: 'True' | 'False'; containersReady?: boolean }): PodLike {
  const ready = options.containersReady ?? true;
  const labels: Record<string, string> = {};
  if (options.state !== undefined) labels[LABELS.gsState] = options.state;
  if (options.lifecycle !== undefined) labels[LIFECYCLE.stateLabel] = options.lifecycle;
  return {
    metadata: { name: 'gs-0', labels },
    spec: { containers: [{ name: 'game', image: 'g:1' }], readinessGates: [{ conditionType: IN_PLACE_UPDATE_READY }, { conditionType: KRUISE_POD_READY }] },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: options.ready ?? 'True', lastTransitionTime: T0 },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: T0 },
        { type: IN_PLACE_UPDATE_READY, status: options.inPlace ?? 'True', lastTransitionTime: T0 },
        { type: KRUISE_POD_READY, status: 'True', lastTransitionTime: T0 },
      ],
      containerStatuses: [{ name: 'game', ready, restartCount: 0, image: 'g:1', imageID: 'g@1' }],
    },
  };
}

/** A new pod just running: its gates' conditions never set, so Ready is False for them alone (or for a container too). */
function newPod(containersReady: boolean): PodLike {
  const base = pod({ lifecycle: 'Normal', ready: 'False', containersReady });
  const conditions = (base.status?.conditions ?? []).filter((c) => c.type !== IN_PLACE_UPDATE_READY && c.type !== KRUISE_POD_READY);
  return { ...base, status: { ...base.status, conditions } };
}

const closed = { type: IN_PLACE_UPDATE_READY, status: 'False', lastTransitionTime: NOW };
const opened = { type: IN_PLACE_UPDATE_READY, status: 'True', lastTransitionTime: NOW };
const lifecycle = (state: string) => ({ [LIFECYCLE.stateLabel]: state });
const stamped = (state: string, changed: boolean): StateStamp => ({
  labels: { [LABELS.gsState]: state },
  annotations: changed ? { [ANNOTATIONS.stateLastChangedTime]: NOW } : {},
});
const nothing: StateStamp = { labels: {}, annotations: {} };

describe('stateStamp', () => {
  const cases: [string, PodLike, PodWriteEffect, StateStamp][] = [
    ['step 1 of an update: the gate closes, PreparingUpdate → PreUpdate', pod({ state: 'Ready', lifecycle: 'Normal' }), { labels: lifecycle('PreparingUpdate'), conditions: [closed] }, stamped('PreUpdate', true)],
    ['step 2: images patched, Updating → Updating', pod({ state: 'PreUpdate', lifecycle: 'PreparingUpdate', inPlace: 'False', ready: 'False' }), { labels: lifecycle('Updating') }, stamped('Updating', true)],
    ['step 2 when the label still says Ready', pod({ state: 'Ready', lifecycle: 'PreparingUpdate', inPlace: 'False', ready: 'False' }), { labels: lifecycle('Updating') }, stamped('Updating', true)],
    [
      'step 3: the gate opens with every container ready → Ready although the kubelet has not caught up',
      pod({ state: 'Updating', lifecycle: 'Updating', inPlace: 'False', ready: 'False' }),
      { labels: lifecycle('Normal'), conditions: [opened] },
      stamped('Ready', true),
    ],
    [
      'step 3 with a container not ready → NotReady',
      pod({ state: 'Updating', lifecycle: 'Updating', inPlace: 'False', ready: 'False', containersReady: false }),
      { labels: lifecycle('Normal'), conditions: [opened] },
      stamped('NotReady', true),
    ],
    ['a pod without the label gets it, with no change time', pod({ lifecycle: 'Normal' }), { labels: lifecycle('PreparingUpdate'), conditions: [closed] }, stamped('PreUpdate', false)],
    [
      'a new pod: the gates open with every container ready → Ready, the first state (no change time)',
      newPod(true),
      { conditions: [opened, { type: KRUISE_POD_READY, status: 'True', lastTransitionTime: NOW }] },
      stamped('Ready', false),
    ],
    [
      'a new pod with a container not ready yet → NotReady',
      newPod(false),
      { conditions: [opened, { type: KRUISE_POD_READY, status: 'True', lastTransitionTime: NOW }] },
      stamped('NotReady', false),
    ],
    ['a label already right is left alone', pod({ state: 'Updating', lifecycle: 'Updating', inPlace: 'False', ready: 'False' }), { labels: lifecycle('Updating') }, nothing],
  ];
  it.each(cases)('%s', (_name, before, effect, expected) => {
    expect(stateStamp(before, effect, NOW)).toEqual(expected);
  });
});

describe('afterWrite', () => {
  it('merges labels and replaces conditions by type, leaving the cached pod as it was', () => {
    const before = pod({ state: 'Ready', lifecycle: 'Normal' });
    const after = afterWrite(before, { labels: lifecycle('PreparingUpdate'), conditions: [closed] });
    expect(after.metadata?.labels?.[LIFECYCLE.stateLabel]).toBe('PreparingUpdate');
    expect(after.metadata?.labels?.[LABELS.gsState]).toBe('Ready');
    expect(after.status?.conditions?.filter((c) => c.type === IN_PLACE_UPDATE_READY)).toEqual([closed]);
    expect(after.status?.conditions).toHaveLength(4);
    expect(before.metadata?.labels?.[LIFECYCLE.stateLabel]).toBe('Normal');
    expect(before.status?.conditions?.find((c) => c.type === IN_PLACE_UPDATE_READY)?.status).toBe('True');
  });
});

describe('newPodOpsStamp', () => {
  const cases: [string, Record<string, string>, Record<string, string>][] = [
    [
      "OKG's creation defaults for a template without ops labels",
      { app: 'web' },
      { [LABELS.gsOpsState]: 'None', [LABELS.gsUpdatePriority]: '0', [LABELS.gsDeletePriority]: '0', [LABELS.networkDisabled]: 'false' },
    ],
    [
      'ops labels the template sets are what the GameServer is built with',
      { [LABELS.gsOpsState]: 'Maintaining', [LABELS.gsDeletePriority]: '10', [LABELS.networkDisabled]: 'true' },
      { [LABELS.gsOpsState]: 'Maintaining', [LABELS.gsUpdatePriority]: '0', [LABELS.gsDeletePriority]: '10', [LABELS.networkDisabled]: 'true' },
    ],
  ];
  it.each(cases)('%s', (_name, labels, expected) => {
    expect(newPodOpsStamp(labels, NOW)).toEqual({ labels: expected, annotations: { [ANNOTATIONS.opsStateLastChangedTime]: NOW } });
  });
});
