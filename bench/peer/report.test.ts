import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../args.js';
import { newResult, type BenchResult } from '../report.js';
import { comparisonRows, renderComparison } from './report.js';
import { parseMetrics } from '../prom-text.js';
import { codeDelta, type PeerResult, type PeerRun } from './run-peer.js';

const scaleDown = (seconds: number) => ({ seconds, waitToBeDeleted: 10, allocated: 10, waitToBeDeletedKept: 0, allocatedDeleted: 0, marksOnPods: true });

function ours(): BenchResult {
  const result = newResult(parseArgs(['--n=100', '--qps=200', '--burst=400']), 'npm run bench', 'node main.js');
  result.samples.scaleUp.push(2, 4, 3);
  result.samples.update.push(5);
  result.samples.scaleDown.push(scaleDown(1));
  result.samples.requests.push(
    { rep: 1, step: 'scale-up', seconds: 3, byMethod: { POST: 200, PATCH: 300 } },
    { rep: 1, step: 'scale-down', seconds: 1, byMethod: { DELETE: 50, PATCH: 25 } },
  );
  return result;
}

function run(qps: number, burst: number, label: string, scaleUpSeconds: number): PeerRun {
  return {
    rate: { qps, burst, label },
    kruiseRate: label === 'chart default' ? { qps: 30, burst: 50 } : { qps, burst },
    commands: [],
    samples: {
      scaleUp: [scaleUpSeconds],
      update: [],
      scaleDown: [scaleDown(10)],
      requests: [
        {
          rep: 1,
          step: 'scale-up',
          seconds: scaleUpSeconds,
          byManager: { okg: { POST: 1000, PUT: 400 }, kruise: { POST: 100, PATCH: 250 } },
          byCode: { okg: { '201': 1000, '200': 300, '409': 100 }, kruise: { '200': 350 } },
          cpuSeconds: {},
        },
      ],
    },
    errors: label === 'chart default' ? ['peer 5/10 rep 1: timed out after 300 s waiting for the in-place sidecar update (…)'] : [],
  };
}

const peer = (): PeerResult => ({
  name: 'okg',
  versions: { okg: 'v1.0.0', kruise: 'v1.8.4' },
  workers: { gameServer: 10, gameServerSet: 10 },
  runs: [run(5, 10, 'chart default', 60), run(200, 400, 'ours', 12)],
  errors: [],
});

describe('comparisonRows', () => {
  it('puts the peer next to ours per step: seconds, its multiple of ours, requests per room by manager', () => {
    const rows = comparisonRows(ours(), peer());
    expect(rows[0]).toEqual(['step', 'gamekeeper 200/400', 'OKG 5/10 (chart default)', 'OKG 200/400 (ours)']);
    expect(rows[1]).toEqual(['scale-up 0→100, every GameServer Ready', '3.0 s (2.0–4.0)', '60.0 s = 20.0×', '12.0 s = 4.0×']);
    expect(rows[2]).toEqual(['  API requests per room', '5.0', '17.5 (OKG 14.0 + OpenKruise 3.5)', '17.5 (OKG 14.0 + OpenKruise 3.5)']);
  });

  it('shows a dash where a side has no figure, and counts a scale-down per deleted room', () => {
    const rows = comparisonRows(ours(), peer());
    expect(rows[3]).toEqual(['in-place sidecar update of 100', '5.0 s', '—', '—']);
    expect(rows[4]).toEqual(['  API requests per room', '—', '—', '—']);
    expect(rows[5]).toEqual(['scale-down 100→50 by priority', '1.0 s', '10.0 s = 10.0×', '10.0 s = 10.0×']);
    expect(rows[6]![1]).toBe('1.5');
  });
});

describe('renderComparison', () => {
  it('aligns the table and says the rates, the peer and its errors', () => {
    const text = renderComparison(ours(), peer());
    const lines = text.split('\n');
    expect(lines[0]!.indexOf('gamekeeper')).toBe(lines[2]!.indexOf('3.0 s'));
    expect(text).toContain('OKG 5/10: OpenKruise at 30/50');
    expect(text).toContain('OKG 200/400: OpenKruise at 200/400, OKG workers 10/10 (GameServer/GameServerSet); conflicts (409) per room: scale-up OKG 1.00, OpenKruise 0.00');
    expect(text).toContain('peer errors:\n  peer 5/10 rep 1: timed out');
  });
});

describe('codeDelta', () => {
  it("counts a manager's requests by status code between two scrapes", () => {
    const before = parseMetrics('rest_client_requests_total{code="200",host="h",method="GET"} 10\nrest_client_requests_total{code="409",host="h",method="PUT"} 1\n');
    const after = parseMetrics(
      'rest_client_requests_total{code="200",host="h",method="GET"} 15\nrest_client_requests_total{code="200",host="h",method="PUT"} 7\nrest_client_requests_total{code="409",host="h",method="PUT"} 4\nrest_client_requests_total{code="201",host="h",method="POST"} 2\n',
    );
    expect(codeDelta(before, after)).toEqual({ '200': 12, '409': 3, '201': 2 });
  });
});
