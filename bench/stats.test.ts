import { describe, expect, it } from '@jest/globals';
import { bucketDelta, histogramQuantile, percentile, summarize } from './stats.js';
import { bucketsOf, parseMetrics, sumOf } from './prom-text.js';
import { shuffled } from './fixtures.js';
import { parseArgs, UsageError } from './args.js';

describe('summarize', () => {
  it.each([
    [[3], 3, 3, 3],
    [[5, 1, 3], 3, 1, 5],
    [[4, 1, 3, 2], 2.5, 1, 4],
  ])('%j → median %d, min %d, max %d', (samples, median, min, max) => {
    expect(summarize(samples)).toEqual({ median, min, max, samples });
  });
  it('is undefined without samples', () => expect(summarize([])).toBeUndefined());
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each([
    [99, 99],
    [100, 100],
    [50, 50],
    [1, 1],
  ])('p%d of 1..100 is %d', (p, want) => expect(percentile(hundred, p)).toBe(want));
});

describe('histogramQuantile', () => {
  const buckets = new Map([
    [0.1, 50],
    [1, 90],
    [2, 100],
    [Infinity, 100],
  ]);
  it.each([
    [50, 0.1],
    [70, 0.1 + 0.9 * (20 / 40)],
    [99, 1 + (9 / 10) * 1],
  ])('p%d → %d', (p, want) => expect(histogramQuantile(buckets, p)).toBeCloseTo(want, 9));
  it('falls back to the last finite bound when the rank is in +Inf', () => {
    expect(histogramQuantile(new Map([[1, 1], [Infinity, 10]]), 99)).toBe(1);
  });
  it('is undefined without observations', () => expect(histogramQuantile(new Map([[1, 0], [Infinity, 0]]), 99)).toBeUndefined());
  it('windows a cumulative histogram', () => {
    expect([...bucketDelta(new Map([[1, 5], [Infinity, 9]]), new Map([[1, 2], [Infinity, 3]]))]).toEqual([[1, 3], [Infinity, 6]]);
  });
});

describe('parseMetrics', () => {
  const text = [
    '# HELP rest_client_requests_total Number of HTTP requests',
    '# TYPE rest_client_requests_total counter',
    'rest_client_requests_total{code="200",method="GET",host="127.0.0.1:6443"} 12',
    'rest_client_requests_total{code="201",method="POST",host="127.0.0.1:6443"} 3',
    'rest_client_requests_total{code="200",method="PATCH",host="127.0.0.1:6443"} 4',
    'gamekeeper_service_quality_probe_delay_seconds_bucket{le="0.5"} 7',
    'gamekeeper_service_quality_probe_delay_seconds_bucket{le="+Inf"} 8',
    'gamekeeper_service_quality_probe_delay_seconds_sum 1.5',
    'weird{path="a\\"b"} 1',
  ].join('\n');
  const samples = parseMetrics(text);
  it('sums counters by label', () => {
    expect(sumOf(samples, 'rest_client_requests_total')).toBe(19);
    expect(sumOf(samples, 'rest_client_requests_total', (l) => l.method !== 'GET')).toBe(7);
  });
  it('reads histogram buckets', () => {
    expect([...bucketsOf(samples, 'gamekeeper_service_quality_probe_delay_seconds')]).toEqual([[0.5, 7], [Infinity, 8]]);
  });
  it('unescapes label values', () => expect(samples.find((s) => s.name === 'weird')?.labels.path).toBe('a"b'));
});

describe('shuffled', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  it('is a permutation, the same for the same seed', () => {
    expect([...shuffled(items, 7)].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, 7)).toEqual(shuffled(items, 7));
    expect(shuffled(items, 7)).not.toEqual(shuffled(items, 8));
  });
});

describe('parseArgs', () => {
  it('defaults to N = 1000, 3 reps, 60 s, the operator defaults', () => {
    const args = parseArgs([]);
    expect(args).toMatchObject({ n: 1000, reps: 3, steadySeconds: 60, operator: 'build', settings: { qps: 200, burst: 400, gssWorkers: 4, gsWorkers: 32 } });
    expect(args.timeoutSeconds).toBe(300);
  });
  it('reads --flag=value and --flag value', () => {
    expect(parseArgs(['--n=5000', '--reps', '5', '--json', 'out.json', '--qps=200', '--burst=400'])).toMatchObject({
      n: 5000,
      reps: 5,
      jsonPath: 'out.json',
      timeoutSeconds: 1000,
      settings: { qps: 200, burst: 400 },
    });
  });
  it.each([['--n=x'], ['--bogus=1'], ['--steps=floor,nope'], ['--qps=500'], ['--operator=docker'], ['stray']])('refuses %s', (arg) => {
    expect(() => parseArgs([arg])).toThrow(UsageError);
  });
});
