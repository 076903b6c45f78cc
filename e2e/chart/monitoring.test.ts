// The chart's dashboard ConfigMap and PrometheusRule as helm renders them:
// absent by default; when enabled, the ConfigMap carries the Grafana
// sidecar's label and the dashboard file verbatim, and the rule watches the
// Lease the chart's Deployment elects on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadAll } from 'js-yaml';
import { chartDir as chart, helm, RENDER_KUBE_VERSION } from './helm.js';

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: { groups?: { rules: { alert: string; expr: string; for: string; annotations: Record<string, string> }[] }[]; template?: { spec: { containers: { args: string[] }[] } } };
}

async function render(args: readonly string[]): Promise<Manifest[]> {
  const result = await helm(['template', 'games', chart, '--namespace', 'ops', '--kube-version', RENDER_KUBE_VERSION, ...args]);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return (loadAll(result.stdout) as (Manifest | null)[]).filter((doc): doc is Manifest => doc !== null);
}

describe('chart monitoring objects', () => {
  it('renders neither by default', async () => {
    const kinds = (await render([])).map((doc) => `${doc.kind}/${doc.metadata.name}`);
    expect(kinds.filter((kind) => kind.startsWith('PrometheusRule/') || kind.endsWith('-dashboard'))).toEqual([]);
  });

  it('renders the dashboard ConfigMap for the Grafana sidecar and the PrometheusRule when enabled', async () => {
    const docs = await render([
      '--set',
      'metrics.grafanaDashboard.enabled=true',
      '--set',
      'metrics.grafanaDashboard.namespace=monitoring',
      '--set',
      'metrics.grafanaDashboard.annotations.grafana_folder=Games',
      '--set',
      'metrics.prometheusRule.enabled=true',
      '--set',
      'metrics.prometheusRule.labels.release=kube-prometheus-stack',
      '--set',
      'metrics.prometheusRule.crashFor=1m',
    ]);
    const dashboard = docs.find((doc) => doc.kind === 'ConfigMap' && doc.metadata.name === 'games-gamekeeper-dashboard')!;
    expect(dashboard.metadata).toMatchObject({ namespace: 'monitoring', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'Games' } });
    expect(JSON.parse(dashboard.data!['gamekeeper.json']!)).toEqual(JSON.parse(readFileSync(join(chart, 'dashboards', 'gamekeeper.json'), 'utf8')));

    const rule = docs.find((doc) => doc.kind === 'PrometheusRule')!;
    expect(rule.metadata).toMatchObject({ name: 'games-gamekeeper', namespace: 'ops', labels: { release: 'kube-prometheus-stack' } });
    const rules = rule.spec!.groups!.flatMap((group) => group.rules);
    expect(rules.find((r) => r.alert === 'GameServersCrashing')!.for).toBe('1m');
    expect(rules.find((r) => r.alert === 'GameServersMaintaining')!.annotations.summary).toBe(
      '{{ $value }} rooms of {{ $labels.namespace }}/{{ $labels.gssName }} are in Maintaining',
    );
    const deployment = docs.find((doc) => doc.kind === 'Deployment')!;
    const lease = deployment.spec!.template!.spec.containers[0]!.args.find((arg) => arg.startsWith('--leader-elect-resource-name='))!.split('=')[1];
    expect(rules.find((r) => r.alert === 'GamekeeperNotLeading')!.expr).toBe(`(max(leader_election_master_status{name="${lease}"}) or vector(0)) < 1`);
  });
});
