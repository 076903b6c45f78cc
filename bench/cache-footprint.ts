// The heap one game server costs in the operator's caches, layer by layer:
//   node_modules/.bin/node --expose-gc --import tsx bench/cache-footprint.ts [--n=10000]
// Builds N distinct copies of a real pod and GameServer (names, UIDs,
// container IDs, IPs and timestamps varied per copy as a cluster varies
// them), delivers each as a watch line (JSON.parse of the event) and keeps
// what the caches keep, measuring the heap after a full GC at each step.
// The "before round two" lines copy as normalizeObject did before its
// strings were shared (StringInterner) and objects kept their compact layout.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGameServer } from '../src/api/index.js';
import { toPodView } from '../src/controllers/game-server-set/views.js';
import { stripPod, type CachedObject, type CachedPod } from '../src/controllers/shared/informers.js';
import { deepFreeze, normalizeObject } from '../src/runtime/object.js';
import { repoRoot } from '../e2e/cluster/paths.js';

const n = Number(/^--n=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const { pod, gameServer } = JSON.parse(readFileSync(join(repoRoot, 'bench/cache-footprint-objects.json'), 'utf8')) as { pod: unknown; gameServer: unknown };

const hex = () => randomUUID().replaceAll('-', '');
const second = (i: number) => `2026-11-26T04:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}Z`;
/** Copy `i`: what differs between two rooms of one set (about ten rooms per second share their timestamps). */
function variant(object: unknown, i: number): string {
  const ownUid = randomUUID();
  return JSON.stringify({ type: 'MODIFIED', object })
    .replaceAll('bench-0', `bench-${i}`)
    .replace(/"uid":"[0-9a-f-]+"/, `"uid":"${ownUid}"`)
    .replace(/"resourceVersion":"\d+"/, `"resourceVersion":"${100_000 + i}"`)
    .replace(/kwok:\/\/[0-9a-f]+/g, () => `kwok://${hex()}${hex()}`)
    .replace(/127\.10\.0\.1/g, `127.10.${i >> 8}.${i & 255}`)
    .replace(/2026-11-26T\d\d:\d\d:\d\dZ/g, second(i));
}

const podLines = Array.from({ length: n }, (_, i) => variant(pod, i));
const gameServerLines = Array.from({ length: n }, (_, i) => variant(gameServer, i));
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const kept: unknown[] = [];
let before = heapUsed();
function step(label: string, keep: () => unknown[]): void {
  kept.push(keep());
  const after = heapUsed();
  process.stdout.write(`${label.padEnd(44)} ${String(Math.round((after - before) / n)).padStart(6)} bytes per server\n`);
  before = after;
}
/** normalizeObject's copy before round two: members added one by one, strings as parsed. */
function copyByMember(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyByMember);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (key !== 'managedFields') copy[key] = copyByMember(item);
  return copy;
}
const objectOf = (line: string) => (JSON.parse(line) as { object: CachedObject }).object;

process.stdout.write(`N = ${n}\n`);
step('pod, cached before round two', () => podLines.map((line) => deepFreeze(stripPod(copyByMember(objectOf(line)) as CachedPod))));
step('GameServer, cached before round two', () => gameServerLines.map((line) => deepFreeze(copyByMember(objectOf(line)) as CachedObject)));
kept.length = 0;
before = heapUsed();
const pods = podLines.map((line) => normalizeObject(objectOf(line) as CachedPod, stripPod));
step('pod, cached (normalizeObject + stripPod)', () => pods);
const gameServers = gameServerLines.map((line) => normalizeObject(objectOf(line)));
step('GameServer, cached (normalizeObject)', () => gameServers);
step('GameServer, zod parse (read-facts memo)', () => gameServers.map((object) => parseGameServer(object)));
step('pod view (PodViewCache)', () => pods.map((object, i) => toPodView('bench', object, gameServers[i])));
