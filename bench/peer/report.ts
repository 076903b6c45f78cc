// Our operator next to the peer in one table: for each step, the median
// seconds (and the peer's multiple of ours) and the API requests per room,
// with one column per peer rate setting.
import type { BenchResult, StepRequests } from '../report.js';
import { summarize, type Summary } from '../stats.js';
import type { PeerResult, PeerRun, PeerStep } from './run-peer.js';

const STEPS: readonly { readonly step: PeerStep; readonly label: (n: number) => string }[] = [
  { step: 'scale-up', label: (n) => `scale-up 0→${n}, every GameServer Ready` },
  { step: 'update', label: (n) => `in-place sidecar update of ${n}` },
  { step: 'scale-down', label: (n) => `scale-down ${n}→${Math.floor(n / 2)} by priority` },
];

/** The rooms a step acts on: N, or the N/2 a scale-down deletes. */
const rooms = (step: PeerStep, n: number) => (step === 'scale-down' ? Math.floor(n / 2) : n);

const total = (byMethod: Record<string, number>) => Object.values(byMethod).reduce((a, b) => a + b, 0);

function oursSeconds(result: BenchResult, step: PeerStep): Summary | undefined {
  const s = result.samples;
  return summarize(step === 'scale-up' ? s.scaleUp : step === 'update' ? s.update : s.scaleDown.map((r) => r.seconds));
}

function peerSeconds(run: PeerRun, step: PeerStep): Summary | undefined {
  const s = run.samples;
  return summarize(step === 'scale-up' ? s.scaleUp : step === 'update' ? s.update : s.scaleDown.map((r) => r.seconds));
}

const seconds = (summary: Summary | undefined) =>
  summary === undefined ? '—' : summary.samples.length > 1 ? `${summary.median.toFixed(1)} s (${summary.min.toFixed(1)}–${summary.max.toFixed(1)})` : `${summary.median.toFixed(1)} s`;

/** The rows of the comparison: a header, then per step its seconds and its requests per room. */
export function comparisonRows(ours: BenchResult, peer: PeerResult): string[][] {
  const n = ours.n;
  const header = [
    'step',
    `gamekeeper ${ours.operator.qps}/${ours.operator.burst}`,
    ...peer.runs.map((run) => `OKG ${run.rate.qps}/${run.rate.burst} (${run.rate.label})`),
  ];
  const rows = [header];
  for (const { step, label } of STEPS) {
    const mine = oursSeconds(ours, step);
    rows.push([
      label(n),
      seconds(mine),
      ...peer.runs.map((run) => {
        const theirs = peerSeconds(run, step);
        return theirs && mine && mine.median > 0 ? `${seconds(theirs)} = ${(theirs.median / mine.median).toFixed(1)}×` : seconds(theirs);
      }),
    ]);
    const ourRequests = ours.samples.requests.filter((r: StepRequests) => r.step === step).map((r) => total(r.byMethod) / rooms(step, n));
    const perRoom = summarize(ourRequests);
    rows.push([
      '  API requests per room',
      perRoom ? perRoom.median.toFixed(1) : '—',
      ...peer.runs.map((run) => {
        const runs = run.samples.requests.filter((r) => r.step === step);
        const okg = summarize(runs.map((r) => total(r.byManager.okg ?? {}) / rooms(step, n)));
        const kruise = summarize(runs.map((r) => total(r.byManager.kruise ?? {}) / rooms(step, n)));
        return okg && kruise ? `${(okg.median + kruise.median).toFixed(1)} (OKG ${okg.median.toFixed(1)} + OpenKruise ${kruise.median.toFixed(1)})` : '—';
      }),
    ]);
  }
  return rows;
}

export function renderComparison(ours: BenchResult, peer: PeerResult): string {
  const rows = comparisonRows(ours, peer);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('');
  lines.push(
    `N = ${ours.n}; ${ours.reps} rep(s) of ours, medians (min–max) over reps; the peer (OKG ${peer.versions.okg}, OpenKruise ${peer.versions.kruise}) on a control plane of its own, same steps and done conditions.`,
  );
  for (const run of peer.runs) {
    const conflicts = STEPS.map(({ step }) => {
      const last = run.samples.requests.filter((r) => r.step === step).pop();
      const per = (manager: string) => ((last?.byCode?.[manager]?.['409'] ?? 0) / rooms(step, ours.n)).toFixed(2);
      return last?.byCode ? `${step} OKG ${per('okg')}, OpenKruise ${per('kruise')}` : undefined;
    }).filter((text) => text !== undefined);
    lines.push(
      `OKG ${run.rate.qps}/${run.rate.burst}: OpenKruise at ${run.kruiseRate.qps}/${run.kruiseRate.burst}, OKG workers ${peer.workers.gameServer}/${peer.workers.gameServerSet} (GameServer/GameServerSet)` +
        (conflicts.length > 0 ? `; conflicts (409) per room: ${conflicts.join('; ')}` : ''),
    );
  }
  const errors = [...peer.errors, ...peer.runs.flatMap((run) => run.errors)];
  if (errors.length > 0) {
    lines.push('peer errors:');
    for (const error of errors) lines.push(`  ${error}`);
  }
  return lines.join('\n');
}
