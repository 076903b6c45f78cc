import { describe, expect, it } from '@jest/globals';
import {
  computeConditions,
  conditionWarnings,
  nodeNormal,
  persistentVolumeNormal,
  podNormal,
} from './compute-conditions.js';
import { node, pod, pv, pvc } from './fixtures.js';
import type { GameServerCondition, GameServerConditionType, NodeLike, PodLike } from './types.js';

const NOW = new Date('2024-05-01T12:00:00.456Z');
const EARLIER = '2024-05-01T11:00:00Z';

describe('podNormal', () => {
  const cases: [string, PodLike, { status: string; reason?: string; message?: string }][] = [
    ['running and ready', pod().running().ready().build(), { status: 'True' }],
    [
      'unschedulable',
      pod().pending().condition('PodScheduled', 'False', { reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }).build(),
      { status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' },
    ],
    [
      'evicted pod: status reason first',
      pod().failed('Evicted', 'The node was low on resource: memory.').build(),
      { status: 'False', reason: 'Evicted', message: 'The node was low on resource: memory.' },
    ],
    [
      'crash loop: not ready, waiting reason and last termination, joined and de-duplicated',
      pod().running().crashLooping('game').notReady().build(),
      {
        status: 'False',
        reason: 'ContainersNotReady; CrashLoopBackOff; ContainerTerminated:Error',
        message: 'containers with unready status: [game]; container game: back-off 10s restarting failed container=game; container game: ExitCode: 1',
      },
    ],
    [
      'image pull back-off',
      pod().running().waiting('game', 'ImagePullBackOff', 'Back-off pulling image "game:v9"').notReady().build(),
      {
        status: 'False',
        reason: 'ContainersNotReady; ImagePullBackOff',
        message: 'containers with unready status: [game]; container game: Back-off pulling image "game:v9"',
      },
    ],
    [
      'OOM killed container, terminated now',
      pod().running().terminated('game', 137, 'OOMKilled').notReady().build(),
      { status: 'False', reason: 'ContainersNotReady; ContainerTerminated:OOMKilled', message: 'containers with unready status: [game]; container game: ExitCode: 137' },
    ],
    [
      'terminated message is kept before the exit code',
      pod().running().terminated('game', 2, 'Error', 'config missing\n').ready().build(),
      { status: 'False', reason: 'ContainerTerminated:Error', message: 'container game: config missing ExitCode: 2' },
    ],
    [
      'restarted and running again: the last termination is history',
      pod().running().ready().containerStatus('game', { restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }).build(),
      { status: 'True' },
    ],
    [
      'Ready False while containers are ready (a readiness gate)',
      pod().running().ready().condition('Ready', 'False', { reason: 'ReadinessGatesNotReady', message: 'the status of pod readiness gate "custom" is not "True", but False' }).readinessGate('custom').build(),
      { status: 'False', reason: 'ReadinessGatesNotReady', message: 'the status of pod readiness gate "custom" is not "True", but False' },
    ],
    [
      'Ready False only because of InPlaceUpdateReady: an update, not a problem',
      pod().running().ready().readinessGate('InPlaceUpdateReady').inPlaceUpdate(EARLIER).condition('Ready', 'False', { reason: 'ReadinessGatesNotReady' }).build(),
      { status: 'True' },
    ],
    [
      'Ready False only because of KruisePodReady (a lifecycle hook with markPodNotReady): a hold, not a problem',
      pod().running().ready().readinessGate('KruisePodReady').condition('KruisePodReady', 'False', { reason: 'LifecycleHook' }).condition('Ready', 'False', { reason: 'ReadinessGatesNotReady' }).build(),
      { status: 'True' },
    ],
    [
      'completed init container is fine',
      pod().running().ready().initContainerStatus('init', { state: { terminated: { exitCode: 0, reason: 'Completed' } } }).build(),
      { status: 'True' },
    ],
    [
      'failed init container',
      pod().pending().condition('Initialized', 'False', { reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]' })
        .initContainerStatus('init', { state: { terminated: { exitCode: 1, reason: 'Error' } } }).build(),
      { status: 'False', reason: 'ContainersNotInitialized; ContainerTerminated:Error', message: 'containers with incomplete status: [init]; container init: ExitCode: 1' },
    ],
    [
      'condition without a reason still names itself',
      pod().pending().condition('PodScheduled', 'Unknown').build(),
      { status: 'False', reason: 'PodScheduled:Unknown' },
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(podNormal(input)).toEqual(expected);
  });
});

describe('nodeNormal', () => {
  const cases: [string, NodeLike | undefined, { status: string; reason?: string; message?: string }][] = [
    ['healthy node', node(), { status: 'True' }],
    ['NotReady node', node('n', { Ready: ['False', 'KubeletNotReady', 'container runtime is down'] }), { status: 'False', reason: 'Ready:KubeletNotReady', message: 'container runtime is down' }],
    ['unreachable node (Unknown, no reason)', node('n', { Ready: 'Unknown' }), { status: 'False', reason: 'Ready:Unknown' }],
    ['memory pressure', node('n', { MemoryPressure: ['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'] }), { status: 'False', reason: 'MemoryPressure:KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }],
    ['SufficientIP False', node('n', { SufficientIP: ['False', 'NoFreeIP'] }), { status: 'False', reason: 'SufficientIP:NoFreeIP' }],
    ['two problems', node('n', { Ready: ['False', 'KubeletNotReady'], DiskPressure: ['True', 'KubeletHasDiskPressure'] }), { status: 'False', reason: 'Ready:KubeletNotReady; DiskPressure:KubeletHasDiskPressure' }],
    ['node gone', undefined, { status: 'False', reason: 'NodeNotFound', message: 'node node-1 of the pod is not in the cluster' }],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(nodeNormal('node-1', input)).toEqual(expected);
  });
});

describe('persistentVolumeNormal', () => {
  const withClaims = pod().running().claim('data', 'data-gs-0').claim('logs', 'logs-gs-0').build();
  const cases: [string, PodLike, Map<string, ReturnType<typeof pvc>>, Map<string, ReturnType<typeof pv>> | undefined, object][] = [
    ['no claims', pod().running().build(), new Map(), new Map(), { status: 'True' }],
    ['all bound and healthy', withClaims, new Map([['data-gs-0', pvc('data-gs-0', 'pv-1')], ['logs-gs-0', pvc('logs-gs-0', 'pv-2')]]), new Map([['pv-1', pv('pv-1')], ['pv-2', pv('pv-2')]]), { status: 'True' }],
    ['claim missing', withClaims, new Map([['logs-gs-0', pvc('logs-gs-0', 'pv-2')]]), new Map([['pv-2', pv('pv-2')]]), { status: 'False', reason: 'PersistentVolumeClaim Not Found', message: 'There is no pvc named default/data-gs-0 in cluster' }],
    ['claim not bound', withClaims, new Map([['data-gs-0', pvc('data-gs-0')], ['logs-gs-0', pvc('logs-gs-0', 'pv-2')]]), new Map([['pv-2', pv('pv-2')]]), { status: 'False', reason: 'PersistentVolume Not Found', message: 'There is no pv which pvc default/data-gs-0 is bound with' }],
    ['volume gone', withClaims, new Map([['data-gs-0', pvc('data-gs-0', 'pv-1')], ['logs-gs-0', pvc('logs-gs-0', 'pv-2')]]), new Map([['pv-2', pv('pv-2')]]), { status: 'False', reason: 'PersistentVolume Not Found', message: 'There is no pv which pvc default/data-gs-0 is bound with' }],
    ['volume failed, PVs watched', withClaims, new Map([['data-gs-0', pvc('data-gs-0', 'pv-1')], ['logs-gs-0', pvc('logs-gs-0', 'pv-2')]]), new Map([['pv-1', pv('pv-1', 'VolumeFailed', 'disk detached')], ['pv-2', pv('pv-2')]]), { status: 'False', reason: 'VolumeFailed', message: 'disk detached' }],
    ['PVs not watched: bound claims count as fine', withClaims, new Map([['data-gs-0', pvc('data-gs-0', 'pv-1')], ['logs-gs-0', pvc('logs-gs-0', 'pv-2')]]), undefined, { status: 'True' }],
    ['two claims missing: one reason, two messages', withClaims, new Map(), new Map(), { status: 'False', reason: 'PersistentVolumeClaim Not Found', message: 'There is no pvc named default/data-gs-0 in cluster; There is no pvc named default/logs-gs-0 in cluster' }],
  ];
  it.each(cases)('%s', (_name, input, pvcs, pvs, expected) => {
    expect(persistentVolumeNormal(input, pvcs, pvs)).toEqual(expected);
  });
});

describe('computeConditions', () => {
  const healthy = pod().running().ready().build();

  it('lists PodNormal, NodeNormal and PersistentVolumeNormal with a first transition time', () => {
    const result = computeConditions({ pod: healthy, node: node(), pvcs: new Map(), now: NOW });
    expect(result.conditions).toEqual([
      { type: 'PodNormal', status: 'True', lastTransitionTime: '2024-05-01T12:00:00Z' },
      { type: 'NodeNormal', status: 'True', lastTransitionTime: '2024-05-01T12:00:00Z' },
      { type: 'PersistentVolumeNormal', status: 'True', lastTransitionTime: '2024-05-01T12:00:00Z' },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('omits NodeNormal for an unscheduled pod', () => {
    const result = computeConditions({ pod: pod().pending().build(), pvcs: new Map(), now: NOW });
    expect(result.conditions.map((c) => c.type)).toEqual(['PodNormal', 'PersistentVolumeNormal']);
  });

  it('keeps lastTransitionTime while the status is unchanged, even when the reason changes', () => {
    const previous: GameServerCondition[] = [
      { type: 'PodNormal', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: EARLIER },
      { type: 'NodeNormal', status: 'True', lastTransitionTime: EARLIER },
    ];
    const crashing = pod().running().crashLooping('game').notReady().build();
    const { conditions } = computeConditions({ pod: crashing, node: node(), pvcs: new Map(), previous, now: NOW });
    expect(conditions.find((c) => c.type === 'PodNormal')?.lastTransitionTime).toBe(EARLIER);
    expect(conditions.find((c) => c.type === 'NodeNormal')?.lastTransitionTime).toBe(EARLIER);
    expect(conditions.find((c) => c.type === 'PersistentVolumeNormal')?.lastTransitionTime).toBe('2024-05-01T12:00:00Z');
  });

  it('moves lastTransitionTime when the status flips', () => {
    const previous: GameServerCondition[] = [{ type: 'NodeNormal', status: 'True', lastTransitionTime: EARLIER }];
    const { conditions, warnings } = computeConditions({ pod: healthy, node: node('node-1', { Ready: ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'] }), pvcs: new Map(), previous, now: NOW });
    expect(conditions.find((c) => c.type === 'NodeNormal')).toEqual({
      type: 'NodeNormal', status: 'False', reason: 'Ready:NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2024-05-01T12:00:00Z',
    });
    expect(warnings).toEqual([{ type: 'Warning', reason: 'Ready:NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }]);
  });
});

describe('conditionWarnings', () => {
  const c = (type: GameServerConditionType, status: 'True' | 'False', reason?: string, message?: string): GameServerCondition => ({
    type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}),
  });
  const cases: [string, GameServerCondition[], GameServerCondition[], string[]][] = [
    ['True → False warns with the reason', [c('PodNormal', 'True')], [c('PodNormal', 'False', 'CrashLoopBackOff', 'back-off')], ['CrashLoopBackOff']],
    ['first sight False (non-startup) warns', [], [c('PodNormal', 'False', 'Unschedulable')], ['Unschedulable']],
    ['False unchanged: no repeat', [c('PodNormal', 'False', 'CrashLoopBackOff', 'a')], [c('PodNormal', 'False', 'CrashLoopBackOff', 'b')], []],
    ['False with a new reason warns again', [c('PodNormal', 'False', 'ContainersNotReady')], [c('PodNormal', 'False', 'ContainersNotReady; ImagePullBackOff')], ['ContainersNotReady; ImagePullBackOff']],
    ['a new pod starting (startup reasons only) is quiet', [], [c('PodNormal', 'False', 'ContainersNotReady; ContainerCreating')], []],
    ['startup reasons after being normal warn', [c('PodNormal', 'True')], [c('PodNormal', 'False', 'ContainersNotReady')], ['ContainersNotReady']],
    ['False → True is quiet', [c('PodNormal', 'False', 'X')], [c('PodNormal', 'True')], []],
    ['readiness gate closed outside an update warns', [c('PodNormal', 'True')], [c('PodNormal', 'False', 'ReadinessGatesNotReady')], ['ReadinessGatesNotReady']],
    ['each condition on its own', [c('PodNormal', 'True'), c('NodeNormal', 'True')], [c('PodNormal', 'False', 'A'), c('NodeNormal', 'False', 'Ready:B')], ['A', 'Ready:B']],
  ];
  it.each(cases)('%s', (_name, previous, next, reasons) => {
    const warnings = conditionWarnings(previous, next);
    expect(warnings.map((w) => w.reason)).toEqual(reasons);
    expect(warnings.every((w) => w.type === 'Warning' && w.message.length > 0)).toBe(true);
  });

  const updating: [string, GameServerCondition[], GameServerCondition[], string[]][] = [
    ['the gate closing for a hot update is quiet', [c('PodNormal', 'True')], [c('PodNormal', 'False', 'ReadinessGatesNotReady')], []],
    ['containers restarting in place are quiet', [c('PodNormal', 'False', 'ReadinessGatesNotReady')], [c('PodNormal', 'False', 'ContainersNotReady; ContainerCreating')], []],
    [
      'the replaced container that completed (exit 0) while restarting in place is quiet',
      [c('PodNormal', 'True')],
      [c('PodNormal', 'False', 'ContainersNotReady; ContainerCreating; ContainerTerminated:Completed')],
      [],
    ],
    ['a replaced container that ended in an error still warns', [c('PodNormal', 'True')], [c('PodNormal', 'False', 'ContainersNotReady; ContainerTerminated:Error')], ['ContainersNotReady; ContainerTerminated:Error']],
    ['a new image that cannot be pulled still warns', [c('PodNormal', 'True')], [c('PodNormal', 'False', 'ContainersNotReady; ErrImagePull')], ['ContainersNotReady; ErrImagePull']],
    ['a node going away still warns', [c('NodeNormal', 'True')], [c('NodeNormal', 'False', 'Ready:NodeStatusUnknown')], ['Ready:NodeStatusUnknown']],
  ];
  it.each(updating)('while updating in place: %s', (_name, previous, next, reasons) => {
    expect(conditionWarnings(previous, next, { updating: true }).map((w) => w.reason)).toEqual(reasons);
  });
});
