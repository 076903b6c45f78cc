import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, parseDuration } from './config.js';

function problemsOf(argv: string[], env: Record<string, string> = {}): readonly string[] {
  try {
    loadConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has production defaults', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({
      kubeconfig: undefined,
      namespaces: [],
      workers: { gameServerSet: 4, gameServer: 32 },
      kubeApi: { qps: 200, burst: 400, requestTimeoutMs: 30_000 },
      logLevel: 'info',
      logFormat: 'json',
      metricsBindAddress: ':8080',
      healthProbeBindAddress: ':8081',
      leaderElection: { enabled: true, namespace: 'gamekeeper-system', name: 'gamekeeper-leader', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
      nodeLossTimeoutMs: 300_000,
      probeConcurrency: 64,
      directProbeConcurrency: 256,
      externalScalerPort: 6000,
    });
    expect(config.leaderElection.identity).toMatch(/_/);
  });

  it('is deeply frozen', () => {
    const config = loadConfig([], {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.leaderElection)).toBe(true);
    expect(Object.isFrozen(config.namespaces)).toBe(true);
  });

  it('reads flags in both forms, and flags win over the environment', () => {
    const config = loadConfig(
      ['--namespaces=a, b,a', '--gss-workers', '2', '--leader-elect=false', '--node-loss-timeout=0', '--log-level=debug'],
      { GAMEKEEPER_GSS_WORKERS: '9', GAMEKEEPER_GS_WORKERS: '3', GAMEKEEPER_KUBE_API_QPS: '12.5', GAMEKEEPER_KUBE_API_BURST: '20' },
    );
    expect(config.namespaces).toEqual(['a', 'b']);
    expect(config.workers).toEqual({ gameServerSet: 2, gameServer: 3 });
    expect(config.leaderElection.enabled).toBe(false);
    expect(config.nodeLossTimeoutMs).toBe(0);
    expect(config.kubeApi.qps).toBe(12.5);
    expect(config.logLevel).toBe('debug');
  });

  it('takes the kubeconfig, pod namespace and pod name from the usual variables', () => {
    const config = loadConfig([], { KUBECONFIG: '/tmp/kc', POD_NAMESPACE: 'games', POD_NAME: 'gamekeeper-0' });
    expect(config.kubeconfig).toBe('/tmp/kc');
    expect(config.leaderElection.namespace).toBe('games');
    expect(config.leaderElection.identity).toBe('gamekeeper-0');
  });

  it('takes the external-scaler port from flag or variable; 0 turns it off', () => {
    expect(loadConfig(['--external-scaler-port=0'], {}).externalScalerPort).toBe(0);
    expect(loadConfig([], { GAMEKEEPER_EXTERNAL_SCALER_PORT: '7000' }).externalScalerPort).toBe(7000);
    expect(problemsOf(['--external-scaler-port=70000']).join('\n')).toMatch(/--external-scaler-port: /);
  });

  it('a bare boolean flag means true', () => {
    expect(loadConfig(['--leader-elect'], { GAMEKEEPER_LEADER_ELECT: 'false' }).leaderElection.enabled).toBe(true);
  });

  it('reports every problem at once, naming flag and variable', () => {
    const problems = problemsOf(['--gss-workers=0', '--bogus=1', '--log-level=loud', 'stray', '--leader-elect-lease-duration=fast', '--metrics-bind-address=8080'], {
      GAMEKEEPER_PROBE_CONCURRENCY: '-1',
      GAMEKEEPER_NAMESPACES: 'ok,Not_Valid',
    });
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/--gss-workers: .*>=1/);
    expect(problems).toContain('unknown flag --bogus');
    expect(problems).toContain('unexpected argument "stray"');
    expect(problems.join('\n')).toMatch(/--log-level: /);
    expect(problems.join('\n')).toMatch(/--leader-elect-lease-duration: not a duration: "fast"/);
    expect(problems.join('\n')).toMatch(/--metrics-bind-address: want host:port/);
    expect(problems.join('\n')).toMatch(/GAMEKEEPER_PROBE_CONCURRENCY \(--probe-concurrency\)/);
    expect(problems.join('\n')).toMatch(/GAMEKEEPER_NAMESPACES \(--namespaces\): must be a DNS-1123 name/);
  });

  it.each([
    { name: 'lease not longer than renew deadline', argv: ['--leader-elect-lease-duration=10s'], problem: /lease-duration .* must be greater than --leader-elect-renew-deadline/ },
    { name: 'renew deadline too close to retry period', argv: ['--leader-elect-retry-period=9s'], problem: /renew-deadline .* 1.2/ },
    { name: 'burst below qps', argv: ['--kube-api-qps=500'], problem: /burst must be at least/ },
    { name: 'zero request timeout', argv: ['--request-timeout=0'], problem: /request-timeout must be greater than 0/ },
    { name: 'flag without a value', argv: ['--log-level'], problem: /needs a value/ },
  ])('rejects $name', ({ argv, problem }) => {
    expect(problemsOf(argv).join('\n')).toMatch(problem);
  });

  it('skips leader-election timing rules when leader election is off', () => {
    expect(loadConfig(['--leader-elect=false', '--leader-elect-lease-duration=1s'], {}).leaderElection.leaseDurationMs).toBe(1000);
  });

  it('the error message lists every problem', () => {
    expect(() => loadConfig(['--gss-workers=x', '--gs-workers=y'], {})).toThrow(/gss-workers[\s\S]*gs-workers/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['500ms', 500],
    ['15s', 15_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['10', undefined],
    ['', undefined],
    ['-5s', undefined],
    ['5 s', undefined],
  ])('%s → %s', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });
});
