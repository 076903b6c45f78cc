import { describe, expect, it } from '@jest/globals';
import { formatAge, formatColumns, formatList, formatNames, formatRoomTable, parseDuration } from './format.js';
import type { Room } from './rooms.js';

const room = (name: string, extra: Partial<Room> = {}): Room => ({
  namespace: 'games',
  name,
  set: 'web',
  state: 'Ready',
  opsState: 'None',
  deletionPriority: '0',
  updatePriority: '0',
  revision: 'new',
  node: 'node-a',
  address: '10.0.0.7',
  createdAt: '2026-01-01T00:00:00Z',
  images: {},
  gameServer: { metadata: { name } },
  ...extra,
});
const NOW = Date.parse('2026-01-01T00:00:27Z');

describe('formatColumns', () => {
  it.each([
    ['kubectl get gs of the OKG docs', [['NAME', 'STATE', 'OPSSTATE', 'DP', 'UP', 'AGE'], ['minecraft-0', 'Ready', 'Allocated', '0', '0', '27s']], 'NAME          STATE   OPSSTATE    DP    UP    AGE\nminecraft-0   Ready   Allocated   0     0     27s\n'],
    ['the last column is not padded', [['A', 'B'], ['long-value', 'x']], 'A            B\nlong-value   x\n'],
    ['cells are at least 6 wide with padding', [['X', 'Y']], 'X     Y\n'],
  ])('%s', (_name, rows, expected) => {
    expect(formatColumns(rows)).toBe(expected);
  });
});

describe('formatAge (kubectl HumanDuration)', () => {
  it.each([
    [-5_000, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [27_000, '27s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [185_000, '3m5s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000 + 5 * 60_000, '3h5m'],
    [8 * 3_600_000, '8h'],
    [50 * 3_600_000, '2d2h'],
    [10 * 86_400_000, '10d'],
    [800 * 86_400_000, '2y70d'],
    [9 * 365 * 86_400_000, '9y'],
  ])('%d ms is %s', (ms, expected) => {
    expect(formatAge(ms)).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['30', 30_000],
    ['1.5s', 1_500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['', 'soon', '5x', '5m trailing', 'm5'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });
});

describe('formatRoomTable', () => {
  it('prints the default columns', () => {
    expect(formatRoomTable([room('web-0'), room('web-1', { opsState: 'Allocated', revision: 'old', deletionPriority: '5' })], { wide: false, allNamespaces: false, now: NOW })).toBe(
      [
        'NAME    STATE   OPSSTATE    DP    UP    REVISION   AGE',
        'web-0   Ready   None        0     0     new        27s',
        'web-1   Ready   Allocated   5     0     old        27s',
        '',
      ].join('\n'),
    );
  });
  it('-o wide adds set, node and address; -A the namespace; missing values read <none>/<unknown>', () => {
    expect(formatRoomTable([room('web-0', { node: '', address: '', revision: '', state: '' })], { wide: true, allNamespaces: true, now: NOW })).toBe(
      [
        'NAMESPACE   NAME    STATE    OPSSTATE   DP    UP    REVISION    AGE   SET   NODE     ADDRESS',
        'games       web-0   <none>   None       0     0     <unknown>   27s   web   <none>   <none>',
        '',
      ].join('\n'),
    );
  });
});

describe('formatList and formatNames', () => {
  it('prints a v1 List as JSON and YAML', () => {
    const items = [{ metadata: { name: 'web-0' } }];
    expect(JSON.parse(formatList(items, 'json'))).toEqual({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
    expect(formatList(items, 'yaml')).toBe("apiVersion: v1\nkind: List\nitems:\n  - metadata:\n      name: web-0\nmetadata:\n  resourceVersion: ''\n");
  });
  it('prints resource/name lines', () => {
    expect(formatNames([room('web-0'), room('web-1')])).toBe('gameserver.game.kruise.io/web-0\ngameserver.game.kruise.io/web-1\n');
  });
});

describe('formatColumns with an empty last cell', () => {
  it('leaves no trailing spaces', () => {
    expect(formatColumns([['Type', 'Status', 'Message'], ['PodNormal', 'True', '']])).toBe('Type        Status   Message\nPodNormal   True\n');
  });
});
