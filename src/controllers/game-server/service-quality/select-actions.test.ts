import { describe, expect, it } from '@jest/globals';
import type { ServiceQualityCondition } from '../types.js';
import { normalizeResult, selectActions, type ActionSelection, type ActionTarget, type ProbeObservation, type ServiceQualityLike } from './select-actions.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const PROBED = new Date('2024-05-01T11:59:58Z');
const EARLIER = '2024-05-01T11:00:00Z';

// Seed 003: an idle probe marks idle servers WaitToBeDeleted and busy ones None.
const idle: ServiceQualityLike = {
  name: 'idle',
  permanent: false,
  serviceQualityAction: [
    { state: true, opsState: 'WaitToBeDeleted' },
    { state: false, opsState: 'None' },
  ],
};
const health: ServiceQualityLike = {
  name: 'health',
  serviceQualityAction: [
    { state: true, result: 'healthy', opsState: 'None', labels: { health: 'healthy' } },
    { state: true, result: 'degraded', opsState: 'Maintaining', labels: { health: 'degraded' }, annotations: { 'degraded-info': 'performance-issue' } },
    { state: false, opsState: 'WaitToBeDeleted', labels: { health: 'unhealthy' } },
  ],
};

const ok = (output = ''): ProbeObservation => ({ kind: 'result', success: true, output, at: PROBED });
const fail = (output = ''): ProbeObservation => ({ kind: 'result', success: false, output, at: PROBED });
const cond = (status: string, result = '', acted: string | null = EARLIER): ServiceQualityCondition => ({
  name: 'idle', status, result, lastProbeTime: EARLIER, lastTransitionTime: EARLIER, ...(acted ? { lastActionTransitionTime: acted } : {}),
});
const target = (opsState = 'None', extra: Partial<ActionTarget> = {}): ActionTarget => ({
  spec: { opsState, updatePriority: 0, deletionPriority: 0, networkDisabled: false }, labels: {}, annotations: {}, ...extra,
});

type Expectation = Partial<Pick<ActionSelection, 'fired' | 'spec' | 'labels' | 'annotations'>> & { warnings?: string[]; status?: string; result?: string; acted?: string | undefined };

describe('selectActions', () => {
  const cases: [string, ServiceQualityLike, ServiceQualityCondition | undefined, ProbeObservation, ActionTarget, Expectation][] = [
    ['first result fires (idle → WaitToBeDeleted)', idle, undefined, ok(), target(), { fired: true, spec: { opsState: 'WaitToBeDeleted' }, status: 'True', acted: '2024-05-01T12:00:00Z' }],
    ['same status and result: nothing fires', idle, cond('True'), ok(), target('WaitToBeDeleted'), { fired: false, spec: {}, acted: EARLIER }],
    ['a player joins (True → False) → None', idle, cond('True'), fail(), target('WaitToBeDeleted'), { fired: true, spec: { opsState: 'None' }, status: 'False' }],
    ['result change alone fires', idle, cond('True', 'a'), ok('b'), target('None'), { fired: true, spec: { opsState: 'WaitToBeDeleted' }, result: 'b' }],
    ['same status after a human changed opsState: not overridden', idle, cond('True'), ok(), target('Allocated'), { fired: false, spec: {} }],
    ['permanent and already acted: never again', { ...idle, permanent: true }, cond('True'), fail(), target('WaitToBeDeleted'), { fired: false, spec: {}, status: 'False', acted: EARLIER }],
    ['permanent, never acted: fires', { ...idle, permanent: true }, cond('True', '', null), fail(), target('WaitToBeDeleted'), { fired: true, spec: { opsState: 'None' } }],
    ['result matching picks the action for "degraded"', health, undefined, ok('degraded'), target(), { fired: true, spec: { opsState: 'Maintaining' }, labels: { health: 'degraded' }, annotations: { 'degraded-info': 'performance-issue' } }],
    ['result matching picks the action for "healthy"', health, undefined, ok('healthy\n'), target('Maintaining'), { fired: true, spec: { opsState: 'None' }, labels: { health: 'healthy' }, result: 'healthy' }],
    ['no action for this result: nothing fires, last action time kept', health, { ...cond('True', 'healthy'), name: 'health' }, ok('odd'), target(), { fired: false, spec: {}, acted: EARLIER }],
    ['no previous and no matching action: nothing fires, no action time', health, undefined, ok('odd'), target(), { fired: false, spec: {}, acted: undefined }],
    ['later actions overwrite earlier ones', { name: 'idle', serviceQualityAction: [{ state: true, opsState: 'Allocated', deletionPriority: 5 }, { state: true, opsState: 'Maintaining' }] }, undefined, ok(), target(), { fired: true, spec: { opsState: 'Maintaining', deletionPriority: 5 } }],
    ['a value equal to the current one is no change', idle, undefined, ok(), target('WaitToBeDeleted'), { fired: true, spec: {}, acted: '2024-05-01T12:00:00Z' }],
    ['opsState template', { name: 'p', serviceQualityAction: [{ state: true, opsState: '{{if eq .Result "0"}}WaitToBeDeleted{{else}}None{{end}}' }] }, undefined, ok('0'), target(), { fired: true, spec: { opsState: 'WaitToBeDeleted' } }],
    ['priority templates', { name: 'p', serviceQualityAction: [{ state: true, updatePriority: '{{.Result}}', deletionPriority: '{{if eq .Result "0"}}1{{else}}100{{end}}' }] }, undefined, ok('42'), target(), { fired: true, spec: { updatePriority: 42, deletionPriority: 100 } }],
    ['a priority that is not an integer warns and keeps the old value', { name: 'p', serviceQualityAction: [{ state: true, updatePriority: '{{.Result}}', opsState: 'Allocated' }] }, undefined, ok('many'), target(), { fired: true, spec: { opsState: 'Allocated' }, warnings: ['InvalidUpdatePriority'] }],
    ['deletion priority warning has its own reason', { name: 'p', serviceQualityAction: [{ state: true, deletionPriority: 'high' }] }, undefined, ok(), target(), { fired: true, spec: {}, warnings: ['InvalidDeletionPriority'] }],
    ['label and annotation templates', { name: 'p', serviceQualityAction: [{ state: true, labels: { load: '{{if gt .Result "80"}}high{{else}}low{{end}}' }, annotations: { 'player-count': '{{.Result}}' } }] }, undefined, ok('93'), target(), { fired: true, labels: { load: 'high' }, annotations: { 'player-count': '93' } }],
    ['a label value the API would refuse is skipped with a warning', { name: 'p', serviceQualityAction: [{ state: true, labels: { players: 'count {{.Result}}', ok: 'yes' } }] }, undefined, ok('3'), target(), { fired: true, labels: { ok: 'yes' }, warnings: ['InvalidServiceQualityLabel'] }],
    ['an opsState the API would refuse is skipped with a warning', { name: 'p', serviceQualityAction: [{ state: true, opsState: 'players: {{.Result}}' }] }, undefined, ok('3'), target(), { fired: true, spec: {}, warnings: ['InvalidOpsState'] }],
    ['a broken opsState template keeps the raw string, which is then refused', { name: 'p', serviceQualityAction: [{ state: true, opsState: '{{.Nope}}' }] }, undefined, ok(), target(), { fired: true, spec: {}, warnings: ['InvalidOpsState'] }],
    ['networkDisabled', { name: 'p', serviceQualityAction: [{ state: false, networkDisabled: true }] }, undefined, fail(), target(), { fired: true, spec: { networkDisabled: true } }],
    ['a probe that could not run: Unknown, nothing fires', idle, cond('True'), { kind: 'error', reason: 'ExecForbidden', message: 'pods/exec is forbidden', at: PROBED }, target('WaitToBeDeleted'), { fired: false, spec: {}, status: 'Unknown', result: 'ExecForbidden: pods/exec is forbidden', acted: EARLIER }],
    ['back from an error: fires again', idle, { ...cond('Unknown', 'ExecForbidden: x') }, ok(), target('None'), { fired: true, spec: { opsState: 'WaitToBeDeleted' }, status: 'True' }],
  ];

  it.each(cases)('%s', (_name, sq, previous, observation, t, expected) => {
    const selection = selectActions({ serviceQuality: sq, previous, observation, target: t, now: NOW });
    if (expected.fired !== undefined) expect(selection.fired).toBe(expected.fired);
    if (expected.spec !== undefined) expect(selection.spec).toEqual(expected.spec);
    expect(selection.labels).toEqual(expected.labels ?? {});
    expect(selection.annotations).toEqual(expected.annotations ?? {});
    expect(selection.warnings.map((w) => w.reason)).toEqual(expected.warnings ?? []);
    expect(selection.warnings.every((w) => w.type === 'Warning')).toBe(true);
    if (expected.status !== undefined) expect(selection.condition.status).toBe(expected.status);
    if (expected.result !== undefined) expect(selection.condition.result).toBe(expected.result);
    if ('acted' in expected) expect(selection.condition.lastActionTransitionTime).toBe(expected.acted);
    expect(selection.condition.name).toBe(sq.name);
    expect(selection.condition.lastProbeTime).toBe('2024-05-01T11:59:58Z');
  });

  it('lastTransitionTime is the later of the action time and the probe time', () => {
    const fired = selectActions({ serviceQuality: idle, previous: undefined, observation: ok(), target: target(), now: NOW });
    expect(fired.condition.lastTransitionTime).toBe('2024-05-01T12:00:00Z');
    const quiet = selectActions({ serviceQuality: idle, previous: cond('True'), observation: ok(), target: target(), now: NOW });
    expect(quiet.condition.lastTransitionTime).toBe('2024-05-01T11:59:58Z');
  });
});

describe('normalizeResult', () => {
  it.each([
    ['0\n', '0'],
    ['a|b|c', 'abc'],
    ['line1\r\nline2\n', 'line1line2'],
    ['plain', 'plain'],
  ])('%p → %p', (input, expected) => {
    expect(normalizeResult(input)).toBe(expected);
  });
});
