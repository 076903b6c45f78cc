// Flags of `npm run bench`. Operator defaults come from src/config.ts, so the
// printed QPS/burst/workers are exactly what the operator ran with.
import { loadConfig } from '../src/config.js';
import { join } from 'node:path';
import { parseArgs as parseFlags } from 'node:util';
import { repoRoot } from '../e2e/cluster/paths.js';
import type { OperatorSettings } from './operator-process.js';
import { parsePeer, PeerOptionError, type PeerOptions } from './peer/options.js';

export const STEPS = ['floor', 'operator', 'steady', 'probes', 'direct-probes'] as const;
export type Step = (typeof STEPS)[number];

export interface BenchArgs {
  readonly n: number;
  readonly reps: number;
  readonly steadySeconds: number;
  readonly probeSeconds: number;
  /** periodSeconds of the probes of steps 7 and 8 (10 by default): a shorter period raises the due rate without more servers. */
  readonly probePeriodSeconds: number;
  readonly jsonPath: string;
  readonly settings: OperatorSettings;
  readonly floorConcurrency: number;
  readonly timeoutSeconds: number;
  readonly seed: number;
  /** build: compile src/ into node_modules/.cache/gamekeeper-bench/dist and run that; dist: run dist/main.js as built by `npm run build`; tsx: src/main.ts through the tsx loader. */
  readonly operator: 'build' | 'dist' | 'tsx';
  readonly nodes: number;
  readonly steps: ReadonlySet<Step>;
  /** With --peer=okg: OpenKruise Game run through the same steps on its own control plane, after ours. */
  readonly peer: PeerOptions | undefined;
  /** Where to write a V8 heap snapshot of the operator at the end of the run, after its memory figures were read. */
  readonly heapSnapshotPath: string | undefined;
}

/** Where the peer's pinned source archives are by default: ../shared/peers next to the checkout. */
export const DEFAULT_PEER_ARCHIVES = join(repoRoot, '..', 'shared', 'peers');

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `usage: npm run bench -- [flags]
  --n=1000                  game servers (the issue's N; must also run at 5000)
  --reps=3                  repetitions of the short steps (median, min, max)
  --steady-seconds=60       length of the steady-state window
  --probe-seconds=60        length of the probe window (at least 3 probe periods)
  --probe-period=10         periodSeconds of the probes (due: N/period exec probes, 2N/period httpGet+tcpSocket probes per second)
  --json=bench/results/latest.json   where the JSON figures go
  --qps, --burst            operator client rate (default: the operator's defaults)
  --gss-workers, --gs-workers, --probe-concurrency, --direct-probe-concurrency   operator workers (default: the operator's defaults)
  --floor-concurrency=200   requests in flight of the floor client (no client-side QPS limit)
  --timeout-seconds         bound of every wait (default max(300, N/5))
  --seed=1                  seed of the random WaitToBeDeleted/Allocated marks
  --operator=build          build: compile src/ (tsconfig.build.json) to node_modules/.cache/gamekeeper-bench/dist and run it (default);
                            dist: run dist/main.js from npm run build; tsx: src/main.ts through the tsx loader
                            (the loader adds ~100+ MB RSS: never quote its memory figures)
  --nodes=3                 kwok nodes
  --steps=floor,operator,steady,probes,direct-probes   which parts to run (--steps=floor,operator with --peer: the figures the table compares)
  --peer=okg                also build OpenKruise Game v1.0.0 + OpenKruise v1.8.4 from source (scripts/peer/build-okg.sh) and run
                            scale-up, in-place update and scale-down with them on a control plane of their own, after ours
  --peer-archives=DIR       the folder of the peer's pinned source archives (default ../shared/peers)
  --peer-rates=5/10,200/400 QPS/burst settings of the peer's managers (default OKG's chart default 5/10 and the operator's own)
  --heap-snapshot=PATH      write a V8 heap snapshot of the operator to PATH at the end of the run (after the memory
                            figures are read: the snapshot itself takes memory), for Chrome DevTools' Memory tab`;

/** The flags, every one taking a value (node:util's parseArgs reads `--flag=value` and `--flag value`). */
const FLAGS = [
  'n', 'reps', 'steady-seconds', 'probe-seconds', 'probe-period', 'json', 'qps', 'burst', 'gss-workers', 'gs-workers', 'probe-concurrency', 'direct-probe-concurrency',
  'floor-concurrency', 'timeout-seconds', 'seed', 'operator', 'nodes', 'steps', 'peer', 'peer-archives', 'peer-rates', 'heap-snapshot',
] as const;

/** The flags as given (node:util's parseArgs, strict: unknown flags and stray arguments are refused). */
function readFlags(argv: readonly string[]): Map<string, string> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { help: { type: 'boolean' }, ...Object.fromEntries(FLAGS.map((name) => [name, { type: 'string' as const }])) },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help === true) throw new UsageError('');
  return new Map(Object.entries(parsed.values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const flags = readFlags(argv);
  const number = (name: string, fallback: number, min: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new UsageError(`--${name}: want a number ≥ ${min}, got ${JSON.stringify(raw)}`);
    return value;
  };
  const defaults = loadConfig([], {});
  const n = Math.floor(number('n', 1000, 2));
  const steps = new Set<Step>();
  for (const step of (flags.get('steps') ?? STEPS.join(',')).split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(STEPS as readonly string[]).includes(step)) throw new UsageError(`--steps: unknown step ${JSON.stringify(step)} (want ${STEPS.join(', ')})`);
    steps.add(step as Step);
  }
  const settings: OperatorSettings = {
    qps: number('qps', defaults.kubeApi.qps, 0.001),
    burst: Math.floor(number('burst', defaults.kubeApi.burst, 1)),
    gssWorkers: Math.floor(number('gss-workers', defaults.workers.gameServerSet, 1)),
    gsWorkers: Math.floor(number('gs-workers', defaults.workers.gameServer, 1)),
    probeConcurrency: Math.floor(number('probe-concurrency', defaults.probeConcurrency, 1)),
    directProbeConcurrency: Math.floor(number('direct-probe-concurrency', defaults.directProbeConcurrency, 1)),
  };
  if (settings.burst < settings.qps) throw new UsageError('--burst must be at least --qps (the operator refuses otherwise)');
  let peer: PeerOptions | undefined;
  try {
    peer = parsePeer(flags.get('peer'), flags.get('peer-archives'), flags.get('peer-rates'), {
      archivesDir: DEFAULT_PEER_ARCHIVES,
      ours: { qps: settings.qps, burst: settings.burst },
    });
  } catch (error) {
    if (error instanceof PeerOptionError) throw new UsageError(error.message);
    throw error;
  }
  return {
    n,
    reps: Math.floor(number('reps', 3, 1)),
    steadySeconds: number('steady-seconds', 60, 1),
    probeSeconds: number('probe-seconds', 60, 1),
    probePeriodSeconds: Math.floor(number('probe-period', 10, 1)),
    jsonPath: flags.get('json') ?? 'bench/results/latest.json',
    settings,
    floorConcurrency: Math.floor(number('floor-concurrency', 200, 1)),
    timeoutSeconds: number('timeout-seconds', Math.max(300, Math.ceil(n / 5)), 1),
    seed: Math.floor(number('seed', 1, 0)),
    operator: operatorMode(flags.get('operator') ?? 'build'),
    nodes: Math.floor(number('nodes', 3, 1)),
    steps,
    peer,
    heapSnapshotPath: flags.get('heap-snapshot'),
  };
}

function operatorMode(value: string): BenchArgs['operator'] {
  if (value === 'build' || value === 'dist' || value === 'tsx') return value;
  throw new UsageError(`--operator: want build, dist or tsx, got ${JSON.stringify(value)}`);
}
