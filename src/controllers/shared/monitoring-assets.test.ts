// The chart's Grafana dashboard and alert rules: valid JSON / YAML, and every
// PromQL expression names only series this operator exports (collected from
// a registry holding all of them).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { Metrics } from '../../observability/metrics.js';
import type { Store } from '../../runtime/store.js';
import type { CachedObject, CachedPod } from './informers.js';
import { registerOkgMetricsOn } from './okg-metrics.js';

const CHART = join(import.meta.dirname, '..', '..', '..', 'charts', 'gamekeeper');

/** Names of every exported series (a histogram's _bucket, _sum and _count). */
async function exportedSeries(): Promise<Set<string>> {
  const metrics = new Metrics();
  const empty = { list: () => [] } as unknown as Store<CachedObject>;
  registerOkgMetricsOn(metrics.registry, { gameServers: empty, sets: empty, pods: empty as unknown as Store<CachedPod> });
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

/** The metric names a PromQL expression reads: identifiers left once strings, matchers, ranges, groupings and calls are removed. */
export function seriesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\S+/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = stripped.slice(match.index + match[0].length);
    if (/^\s*\(/.test(after)) continue; // a function or aggregation
    if (['and', 'or', 'unless', 'bool', 'group_left', 'group_right', 'inf', 'nan'].includes(match[0].toLowerCase())) continue;
    names.push(match[0]);
  }
  return names;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { uid: string };
  targets?: { expr: string; refId: string }[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; definition?: string }[] };
}

const dashboard = JSON.parse(readFileSync(join(CHART, 'dashboards', 'gamekeeper.json'), 'utf8')) as Dashboard;

/** rules/gamekeeper.rules.yaml as the chart's `tpl` renders it with the default values. */
function renderedRules(): { groups: { name: string; rules: { alert: string; expr: string; for: string; labels: { severity: string } }[] }[] } {
  const values = parseYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { metrics: { prometheusRule: Record<string, string> } };
  const text = readFileSync(join(CHART, 'rules', 'gamekeeper.rules.yaml'), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replaceAll('{{ "{{" }}', '{{')
    .replaceAll('{{ "}}" }}', '}}')
    .replaceAll('{{ include "gamekeeper.fullname" . }}', 'gamekeeper')
    .replace(/\{\{ \.Values\.metrics\.prometheusRule\.(\w+) \}\}/g, (_all, key: string) => values.metrics.prometheusRule[key]!);
  const leftover = /\{\{ [^$]/.exec(text); // only Prometheus' own {{ $labels }} / {{ $value }} may remain
  if (leftover) throw new Error(`unrendered template in the rules at ${leftover.index}`);
  return parseYaml(text) as ReturnType<typeof renderedRules>;
}

describe('seriesOf', () => {
  it.each([
    ['histogram_quantile(0.99, sum by (le, verb) (rate(rest_client_request_duration_seconds_bucket[5m])))', ['rest_client_request_duration_seconds_bucket']],
    ['(max(leader_election_master_status{name="x-leader"}) or vector(0)) < 1', ['leader_election_master_status']],
    ['a{x="b{c}"} / on(gssName) group_left b - c offset 5m', ['a', 'b', 'c']],
  ])('%s', (expr, names) => {
    expect(seriesOf(expr)).toEqual(names);
  });
});

describe('Grafana dashboard', () => {
  const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);

  it('is a dashboard of uniquely numbered panels, each on the ${datasource} variable', () => {
    expect(dashboard.uid).toBe('gamekeeper-rooms');
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid).toBe('${datasource}');
      expect(panel.targets?.length).toBeGreaterThan(0);
      expect(panel.gridPos.w).toBeGreaterThan(0);
    }
    expect(targets.length).toBeGreaterThan(15);
  });

  it('reads only series the operator exports', async () => {
    const exported = await exportedSeries();
    const used = [
      ...targets.flatMap((target) => seriesOf(target.expr)),
      ...dashboard.templating.list.flatMap((v) => (v.definition ? [/label_values\(([a-zA-Z_:][\w:]*)/.exec(v.definition)![1]!] : [])),
    ];
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
    for (const name of ['okg_gameservers_state_count', 'okg_gameservers_opsState_count', 'okg_gameserversets_replicas_count', 'controller_runtime_reconcile_time_seconds_bucket', 'rest_client_request_duration_seconds_bucket', 'gamekeeper_service_quality_probes_total']) {
      expect(used).toContain(name);
    }
  });

  it('uses only the variables it defines', () => {
    const defined = new Set(dashboard.templating.list.map((v) => v.name));
    const used = new Set(JSON.stringify(dashboard.panels).match(/\$(\w+)/g)?.map((v) => v.slice(1)));
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
  });
});

describe('PrometheusRule rules', () => {
  const rules = renderedRules().groups.flatMap((group) => group.rules);

  it('alert on Maintaining and Crash rooms, a set below replicas, probes failing to run or falling behind, no leader', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(['GameServersMaintaining', 'GameServersCrashing', 'GameServerSetBelowReplicas', 'GameServerProbesFailingToRun', 'GameServerProbesFallingBehind', 'GamekeeperNotLeading']);
    for (const rule of rules) {
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
    }
    expect(rules.at(-1)!.expr).toContain('leader_election_master_status{name="gamekeeper-leader"}');
  });

  it('read only series the operator exports', async () => {
    const exported = await exportedSeries();
    const used = rules.flatMap((rule) => seriesOf(rule.expr));
    expect(used.length).toBeGreaterThanOrEqual(6);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });
});
