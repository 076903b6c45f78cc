import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(argv: string[]): readonly string[] {
  try {
    loadConfig(argv, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('network plugin settings', () => {
  it("defaults to OKG's: host ports 8000-9000, GsNetworkState after 60 s, checked every 5 s", () => {
    expect(loadConfig([], {}).network).toEqual({ hostPortRange: { min: 8000, max: 9000 }, totalWaitMs: 60_000, intervalMs: 5_000 });
  });

  it('reads flags and variables', () => {
    const config = loadConfig(['--host-port-range=30000-30100', '--network-total-wait=10s'], { GAMEKEEPER_NETWORK_INTERVAL: '500ms' });
    expect(config.network).toEqual({ hostPortRange: { min: 30000, max: 30100 }, totalWaitMs: 10_000, intervalMs: 500 });
  });

  it.each([
    ['--host-port-range=9000-8000', '--host-port-range: want 1 <= min <= max <= 65535'],
    ['--host-port-range=8000', '--host-port-range: want min-max, e.g. 8000-9000'],
    ['--host-port-range=0-10', '--host-port-range: want 1 <= min <= max <= 65535'],
    ['--network-interval=0', '--network-interval must be greater than 0'],
  ])('refuses %s', (flag, problem) => {
    expect(problemsOf([flag])).toEqual([problem]);
  });
});
