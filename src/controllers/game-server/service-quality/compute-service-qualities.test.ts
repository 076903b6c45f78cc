import { describe, expect, it } from '@jest/globals';
import { gameServer } from '../fixtures.js';
import { computeServiceQualities } from './compute-service-qualities.js';
import type { ProbeObservation, ServiceQualityLike } from './select-actions.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const AT = new Date('2024-05-01T11:59:59Z');
const ok = (output = ''): ProbeObservation => ({ kind: 'result', success: true, output, at: AT });
const fail = (output = ''): ProbeObservation => ({ kind: 'result', success: false, output, at: AT });

const idle: ServiceQualityLike = { name: 'idle', serviceQualityAction: [{ state: true, opsState: 'WaitToBeDeleted' }, { state: false, opsState: 'None' }] };
const healthy: ServiceQualityLike = { name: 'healthy', serviceQualityAction: [{ state: true, opsState: 'None' }, { state: false, opsState: 'Maintaining', labels: { health: 'bad' } }] };

describe('computeServiceQualities', () => {
  it('seed 003: an idle server becomes WaitToBeDeleted', () => {
    const plan = computeServiceQualities({ serviceQualities: [idle], gs: gameServer(), observations: new Map([['idle', ok()]]), now: NOW });
    expect(plan.patch).toEqual({ spec: { opsState: 'WaitToBeDeleted' } });
    expect(plan.conditions).toEqual([
      { name: 'idle', status: 'True', result: '', lastProbeTime: '2024-05-01T11:59:59Z', lastTransitionTime: '2024-05-01T12:00:00Z', lastActionTransitionTime: '2024-05-01T12:00:00Z' },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('is level-based: feeding the conditions back changes nothing', () => {
    const first = computeServiceQualities({ serviceQualities: [idle], gs: gameServer(), observations: new Map([['idle', ok()]]), now: NOW });
    const gs = gameServer({ spec: { opsState: 'WaitToBeDeleted' }, status: { serviceQualitiesConditions: first.conditions } });
    const again = computeServiceQualities({ serviceQualities: [idle], gs, observations: new Map([['idle', ok()]]), now: new Date('2024-05-01T12:05:00Z') });
    expect(again.patch).toBeNull();
    expect(again.conditions).toEqual(first.conditions);
  });

  it('later service qualities win, and see what earlier ones set', () => {
    const plan = computeServiceQualities({
      serviceQualities: [idle, healthy],
      gs: gameServer(),
      observations: new Map([['idle', ok()], ['healthy', fail()]]),
      now: NOW,
    });
    expect(plan.patch).toEqual({ spec: { opsState: 'Maintaining' }, metadata: { labels: { health: 'bad' } } });
    expect(plan.conditions.map((c) => [c.name, c.status])).toEqual([['idle', 'True'], ['healthy', 'False']]);
  });

  it('keeps the previous condition while a probe has not reported (e.g. after a restart)', () => {
    const previous = { name: 'idle', status: 'True', result: '', lastActionTransitionTime: '2024-05-01T10:00:00Z' };
    const plan = computeServiceQualities({
      serviceQualities: [idle, healthy],
      gs: gameServer({ status: { serviceQualitiesConditions: [previous] } }),
      observations: new Map(),
      now: NOW,
    });
    expect(plan.conditions).toEqual([previous, { name: 'healthy' }]);
    expect(plan.patch).toBeNull();
  });

  it('drops conditions of service qualities no longer in the set', () => {
    const plan = computeServiceQualities({
      serviceQualities: [idle],
      gs: gameServer({ status: { serviceQualitiesConditions: [{ name: 'gone', status: 'True' }] } }),
      observations: new Map(),
      now: NOW,
    });
    expect(plan.conditions).toEqual([{ name: 'idle' }]);
  });

  it('a probe error is a Warning once, and a condition with status Unknown', () => {
    const error: ProbeObservation = { kind: 'error', reason: 'ContainerNotFound', message: 'container minecraft is not in the pod', at: AT };
    const first = computeServiceQualities({ serviceQualities: [idle], gs: gameServer(), observations: new Map([['idle', error]]), now: NOW });
    expect(first.warnings).toEqual([
      { type: 'Warning', reason: 'ServiceQualityProbeError', message: 'service quality idle: ContainerNotFound: container minecraft is not in the pod' },
    ]);
    expect(first.conditions[0]).toMatchObject({ status: 'Unknown', result: 'ContainerNotFound: container minecraft is not in the pod' });
    expect(first.patch).toBeNull();
    const again = computeServiceQualities({
      serviceQualities: [idle], gs: gameServer({ status: { serviceQualitiesConditions: first.conditions } }), observations: new Map([['idle', error]]), now: NOW,
    });
    expect(again.warnings).toEqual([]);
  });

  it('an invalid priority warning comes through', () => {
    const sq: ServiceQualityLike = { name: 'p', serviceQualityAction: [{ state: true, updatePriority: '{{.Result}}' }] };
    const plan = computeServiceQualities({ serviceQualities: [sq], gs: gameServer(), observations: new Map([['p', ok('lots')]]), now: NOW });
    expect(plan.warnings.map((w) => w.reason)).toEqual(['InvalidUpdatePriority']);
    expect(plan.patch).toBeNull();
  });

  it('accepts the API types of a GameServerSet service quality', async () => {
    const { ServiceQualitySchema } = await import('../../../api/index.js');
    const parsed = ServiceQualitySchema.parse({ name: 'idle', exec: { command: ['bash', './idle.sh'] }, serviceQualityAction: [{ state: true, opsState: 'WaitToBeDeleted' }] });
    const plan = computeServiceQualities({ serviceQualities: [parsed], gs: gameServer(), observations: new Map([['idle', ok()]]), now: NOW });
    expect(plan.patch).toEqual({ spec: { opsState: 'WaitToBeDeleted' } });
  });
});
