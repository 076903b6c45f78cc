import { describe, expect, it } from '@jest/globals';
import { UsageError, parseArgs } from '../args.js';
import { parsePeerRates, PeerOptionError } from './options.js';

describe('parsePeerRates', () => {
  const ours = { qps: 200, burst: 400 };

  it("defaults to OKG's chart rate and ours", () => {
    expect(parsePeerRates(undefined, ours)).toEqual([
      { qps: 5, burst: 10, label: 'chart default' },
      { qps: 200, burst: 400, label: 'ours' },
    ]);
  });

  it('runs one setting when ours is the chart default', () => {
    expect(parsePeerRates(undefined, { qps: 5, burst: 10 })).toEqual([{ qps: 5, burst: 10, label: 'chart default' }]);
  });

  it('reads QPS/BURST pairs and names them', () => {
    expect(parsePeerRates('20/30, 200/400', ours)).toEqual([
      { qps: 20, burst: 30, label: 'custom' },
      { qps: 200, burst: 400, label: 'ours' },
    ]);
  });

  it.each([['5'], ['5/'], ['0/10'], ['10/5'], ['2.5/10'], [',']])('refuses %j', (raw) => {
    expect(() => parsePeerRates(raw, ours)).toThrow(PeerOptionError);
  });
});

describe('parseArgs --peer', () => {
  it('leaves the peer out by default', () => {
    expect(parseArgs([]).peer).toBeUndefined();
  });

  it('takes the archives folder and the rates', () => {
    const args = parseArgs(['--peer=okg', '--peer-archives', '/srv/peers', '--peer-rates=5/10', '--qps=100', '--burst=150']);
    expect(args.peer).toEqual({ name: 'okg', archivesDir: '/srv/peers', rates: [{ qps: 5, burst: 10, label: 'chart default' }] });
  });

  it('defaults the archives to ../shared/peers and pairs the chart default with our rate', () => {
    const args = parseArgs(['--peer=okg', '--qps=100', '--burst=150']);
    expect(args.peer?.archivesDir).toMatch(/\/shared\/peers$/);
    expect(args.peer?.rates.map((r) => `${r.qps}/${r.burst} ${r.label}`)).toEqual(['5/10 chart default', '100/150 ours']);
  });

  it('refuses another peer and peer flags without --peer', () => {
    expect(() => parseArgs(['--peer=agones'])).toThrow(UsageError);
    expect(() => parseArgs(['--peer-rates=5/10'])).toThrow(/need --peer=okg/);
  });
});
