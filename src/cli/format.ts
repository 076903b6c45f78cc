// Output as kubectl prints it: aligned columns without borders (its
// tabwriter: cells at least 6 wide, 3 spaces of padding, the last column
// unpadded), ages as HumanDuration, -o json|yaml as a v1 List, -o name as
// resource/name.
import { dump as toYaml } from 'js-yaml';
import type { Room } from './rooms.js';

export const OUTPUT_FORMATS = ['wide', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const MIN_WIDTH = 6;
const PADDING = 3;

/** Rows as kubectl's tabwriter aligns them; one line each, "\n"-terminated. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, MIN_WIDTH - PADDING, cell.length)));
  }
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + PADDING))).join('').trimEnd())
    .map((line) => `${line}\n`)
    .join('');
}

/** kubectl's duration.HumanDuration. */
export function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (years < 8) {
    const days = Math.floor(hours / 24) - years * 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

export function ageOf(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  return formatAge(now - Date.parse(timestamp));
}

export interface TableOptions {
  readonly wide: boolean;
  readonly allNamespaces: boolean;
  readonly now: number;
}

/** The room table of `kubectl gs list`. */
export function formatRoomTable(rooms: readonly Room[], options: TableOptions): string {
  const header = ['NAME', 'STATE', 'OPSSTATE', 'DP', 'UP', 'REVISION', 'AGE', ...(options.wide ? ['SET', 'NODE', 'ADDRESS'] : [])];
  const rows = rooms.map((room) => [
    room.name,
    room.state || '<none>',
    room.opsState,
    room.deletionPriority,
    room.updatePriority,
    room.revision || '<unknown>',
    ageOf(room.createdAt, options.now),
    ...(options.wide ? [room.set || '<none>', room.node || '<none>', room.address || '<none>'] : []),
  ]);
  const withNamespace = options.allNamespaces ? [['NAMESPACE', ...header], ...rooms.map((room, i) => [room.namespace, ...rows[i]!])] : [header, ...rows];
  return formatColumns(withNamespace);
}

/** `-o json|yaml` of objects: a v1 List, as kubectl get prints several. */
export function formatList(items: readonly unknown[], format: 'json' | 'yaml'): string {
  const list = { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
  return format === 'json' ? `${JSON.stringify(list, null, 4)}\n` : toYaml(list, { noRefs: true, lineWidth: -1 });
}

export function formatNames(rooms: readonly Room[]): string {
  return rooms.map((room) => `gameserver.game.kruise.io/${room.name}\n`).join('');
}

/** Parses a kubectl-style duration: 90s, 5m, 1h30m, 250ms; a bare number is seconds. */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) throw new Error(`invalid duration ${JSON.stringify(text)} (e.g. 90s, 5m, 1h30m)`);
  return parts.reduce((total, part) => total + Number(part[1]) * units[part[2]!]!, 0);
}
