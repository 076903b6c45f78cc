// Configuration from command-line flags and environment variables (a flag
// wins over its variable), validated by zod into one frozen Config. Every
// problem is reported at once, each naming its flag and variable.
//
// Durations are Go-style (`15s`, `500ms`, `5m`, `1h30m`; `0` alone allowed).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './observability/logger.js';

export interface Config {
  /** Path of a kubeconfig; undefined: in-cluster config, else the default loading rules. */
  readonly kubeconfig: string | undefined;
  /** Namespaces to watch; empty: all namespaces. */
  readonly namespaces: readonly string[];
  readonly workers: { readonly gameServerSet: number; readonly gameServer: number };
  readonly kubeApi: { readonly qps: number; readonly burst: number; readonly requestTimeoutMs: number };
  readonly logLevel: LogLevel;
  /** json for log pipelines (the default), text for a person at a terminal. */
  readonly logFormat: LogFormat;
  readonly metricsBindAddress: string;
  readonly healthProbeBindAddress: string;
  readonly leaderElection: {
    readonly enabled: boolean;
    readonly namespace: string;
    readonly name: string;
    readonly identity: string;
    readonly leaseDurationMs: number;
    readonly renewDeadlineMs: number;
    readonly retryPeriodMs: number;
  };
  /** How long a game server's node may be unreachable before it counts as lost; 0 disables. */
  readonly nodeLossTimeoutMs: number;
  /** Service-quality probes running at the same time, process-wide. */
  readonly probeConcurrency: number;
  readonly directProbeConcurrency: number;
  /** Every cached object is re-delivered to the handlers this often (jittered); 0: never. */
  readonly syncPeriodMs: number;
  /**
   * Most pods one reconcile of a set creates, and most it deletes or updates;
   * the rest wait for the next pass, so one huge set cannot fill the client's
   * queue for minutes (other sets are served between its passes).
   */
  readonly podBatchSize: number;
  /** Network plugins (issue 16). */
  readonly network: {
    /** Host ports Kubernetes-HostPort hands out, inclusive (OKG: 8000-9000). */
    readonly hostPortRange: { readonly min: number; readonly max: number };
    /** How long a GameServer's network may differ from its desired state before a GsNetworkState Warning (OKG: 60 s). */
    readonly totalWaitMs: number;
    /** How often a GameServer whose network differs from its desired state is looked at again (OKG: 5 s). */
    readonly intervalMs: number;
  };
  /** Port of KEDA's external-scaler gRPC service (all interfaces); 0 turns it off. */
  readonly externalScalerPort: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go-style duration, or undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * UNITS[unit!]!;
  return Math.round(total);
}

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(text)} (use e.g. 500ms, 15s, 5m)` });
    return z.NEVER;
  }
  return ms;
});
const integer = (min: number) => z.coerce.number().int().min(min);
const positive = z.coerce.number().positive();
const boolean = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => ['true', '1', 'yes'].includes(value));
const list = z.string().transform((text) => [...new Set(text.split(',').map((item) => item.trim()).filter(Boolean))]);
const bindAddress = z.string().regex(/^(\[[^\]]+\]|[^:\s]*):\d{1,5}$|^0$/, 'want host:port or :port');
const portRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, 'want min-max, e.g. 8000-9000')
  .transform((text) => {
    const [min, max] = text.split('-').map(Number) as [number, number];
    return { min, max };
  })
  .refine(({ min, max }) => min >= 1 && max <= 65535 && min <= max, 'want 1 <= min <= max <= 65535');
const dnsName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-1123 name').max(253);

interface Option {
  readonly flag: string;
  readonly env: readonly string[];
  readonly schema: z.ZodType;
  readonly default: () => unknown;
}

const env = (name: string): string[] => [`GAMEKEEPER_${name}`];

const OPTIONS = {
  kubeconfig: { flag: 'kubeconfig', env: [...env('KUBECONFIG'), 'KUBECONFIG'], schema: z.string().min(1), default: () => undefined },
  namespaces: { flag: 'namespaces', env: env('NAMESPACES'), schema: list.pipe(z.array(dnsName)), default: () => [] },
  gssWorkers: { flag: 'gss-workers', env: env('GSS_WORKERS'), schema: integer(1).max(256), default: () => 4 },
  gsWorkers: { flag: 'gs-workers', env: env('GS_WORKERS'), schema: integer(1).max(256), default: () => 32 },
  podBatchSize: { flag: 'pod-batch-size', env: env('POD_BATCH_SIZE'), schema: integer(1).max(100_000), default: () => 500 },
  // Client-side rate limit. Above controller-runtime's 20/30 (sized for
  // controllers with a handful of writes per object) and OKG's 5/10, like
  // Agones (400/500): a scale-up costs 4 requests per game server and an
  // in-place update ~7, so 1000 servers are 4-7k requests, 1.5-2.5 minutes at
  // 50 QPS against a 10-20 s API floor. The API server's priority and
  // fairness still protects it; the steady state makes no writes at all.
  qps: { flag: 'kube-api-qps', env: env('KUBE_API_QPS'), schema: positive, default: () => 200 },
  burst: { flag: 'kube-api-burst', env: env('KUBE_API_BURST'), schema: integer(1), default: () => 400 },
  requestTimeout: { flag: 'request-timeout', env: env('REQUEST_TIMEOUT'), schema: duration, default: () => 30_000 },
  logLevel: { flag: 'log-level', env: env('LOG_LEVEL'), schema: z.enum(LOG_LEVELS), default: () => 'info' },
  logFormat: { flag: 'log-format', env: env('LOG_FORMAT'), schema: z.enum(LOG_FORMATS), default: () => 'json' },
  metricsBindAddress: { flag: 'metrics-bind-address', env: env('METRICS_BIND_ADDRESS'), schema: bindAddress, default: () => ':8080' },
  healthProbeBindAddress: { flag: 'health-probe-bind-address', env: env('HEALTH_PROBE_BIND_ADDRESS'), schema: bindAddress, default: () => ':8081' },
  leaderElect: { flag: 'leader-elect', env: env('LEADER_ELECT'), schema: boolean, default: () => true },
  leaderElectNamespace: {
    flag: 'leader-elect-resource-namespace',
    env: [...env('LEADER_ELECT_RESOURCE_NAMESPACE'), 'POD_NAMESPACE'],
    schema: dnsName,
    default: () => 'gamekeeper-system',
  },
  leaderElectName: { flag: 'leader-elect-resource-name', env: env('LEADER_ELECT_RESOURCE_NAME'), schema: dnsName, default: () => 'gamekeeper-leader' },
  leaderElectIdentity: {
    flag: 'leader-elect-identity',
    env: [...env('LEADER_ELECT_IDENTITY'), 'POD_NAME'],
    schema: z.string().min(1).max(253),
    default: () => `${hostname()}_${randomUUID()}`,
  },
  leaseDuration: { flag: 'leader-elect-lease-duration', env: env('LEADER_ELECT_LEASE_DURATION'), schema: duration, default: () => 15_000 },
  renewDeadline: { flag: 'leader-elect-renew-deadline', env: env('LEADER_ELECT_RENEW_DEADLINE'), schema: duration, default: () => 10_000 },
  retryPeriod: { flag: 'leader-elect-retry-period', env: env('LEADER_ELECT_RETRY_PERIOD'), schema: duration, default: () => 2_000 },
  nodeLossTimeout: { flag: 'node-loss-timeout', env: env('NODE_LOSS_TIMEOUT'), schema: duration, default: () => 300_000 },
  // Every object is handed to the controllers again this often (jittered
  // +0-10%), as controller-runtime's SyncPeriod: what an event lost or a
  // bug skipped is caught up without a restart. 0 disables it.
  syncPeriod: { flag: 'sync-period', env: env('SYNC_PERIOD'), schema: duration, default: () => 300_000 },
  probeConcurrency: { flag: 'probe-concurrency', env: env('PROBE_CONCURRENCY'), schema: integer(1).max(1024), default: () => 64 },
  directProbeConcurrency: { flag: 'direct-probe-concurrency', env: env('DIRECT_PROBE_CONCURRENCY'), schema: integer(1).max(4096), default: () => 256 },
  hostPortRange: { flag: 'host-port-range', env: env('HOST_PORT_RANGE'), schema: portRange, default: () => ({ min: 8000, max: 9000 }) },
  networkTotalWait: { flag: 'network-total-wait', env: env('NETWORK_TOTAL_WAIT'), schema: duration, default: () => 60_000 },
  networkInterval: { flag: 'network-interval', env: env('NETWORK_INTERVAL'), schema: duration, default: () => 5_000 },
  // OKG serves it on :6000 (--scale-server-bind-address).
  externalScalerPort: { flag: 'external-scaler-port', env: env('EXTERNAL_SCALER_PORT'), schema: integer(0).max(65535), default: () => 6000 },
} as const satisfies Record<string, Option>;

type OptionName = keyof typeof OPTIONS;
const BOOLEAN_FLAGS = new Set<string>(['leader-elect']);

/** `--flag=value`, `--flag value`, and bare `--bool-flag`; unknown flags and stray arguments are problems. */
function parseArgs(argv: readonly string[], problems: string[]): Map<string, string> {
  const known = new Set<string>(Object.values(OPTIONS).map((option) => option.flag));
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--?([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}`);
      continue;
    }
    const [, flag, inline] = match as unknown as [string, string, string | undefined];
    if (!known.has(flag)) {
      problems.push(`unknown flag --${flag}`);
      continue;
    }
    if (inline !== undefined) values.set(flag, inline);
    else if (BOOLEAN_FLAGS.has(flag)) values.set(flag, 'true');
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) values.set(flag, argv[++i]!);
    else problems.push(`flag --${flag} needs a value`);
  }
  return values;
}

/** Reads flags (`argv` without node and script) and `environment` into a frozen Config; throws ConfigError listing every problem. */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), environment: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const flags = parseArgs(argv, problems);
  const values = {} as Record<OptionName, unknown>;
  for (const [name, option] of Object.entries(OPTIONS) as [OptionName, Option][]) {
    const fromEnv = option.env.find((variable) => environment[variable] !== undefined && environment[variable] !== '');
    const raw = flags.get(option.flag) ?? (fromEnv ? environment[fromEnv] : undefined);
    if (raw === undefined) {
      values[name] = option.default();
      continue;
    }
    const parsed = option.schema.safeParse(raw);
    const source = flags.has(option.flag) ? `--${option.flag}` : `${fromEnv} (--${option.flag})`;
    if (parsed.success) values[name] = parsed.data;
    else for (const issue of parsed.error.issues) problems.push(`${source}: ${issue.message}`);
  }
  crossCheck(values, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze({
    kubeconfig: values.kubeconfig as string | undefined,
    namespaces: values.namespaces as string[],
    workers: { gameServerSet: values.gssWorkers as number, gameServer: values.gsWorkers as number },
    kubeApi: { qps: values.qps as number, burst: values.burst as number, requestTimeoutMs: values.requestTimeout as number },
    logLevel: values.logLevel as LogLevel,
    logFormat: values.logFormat as LogFormat,
    metricsBindAddress: values.metricsBindAddress as string,
    healthProbeBindAddress: values.healthProbeBindAddress as string,
    leaderElection: {
      enabled: values.leaderElect as boolean,
      namespace: values.leaderElectNamespace as string,
      name: values.leaderElectName as string,
      identity: values.leaderElectIdentity as string,
      leaseDurationMs: values.leaseDuration as number,
      renewDeadlineMs: values.renewDeadline as number,
      retryPeriodMs: values.retryPeriod as number,
    },
    nodeLossTimeoutMs: values.nodeLossTimeout as number,
    probeConcurrency: values.probeConcurrency as number,
    directProbeConcurrency: values.directProbeConcurrency as number,
    syncPeriodMs: values.syncPeriod as number,
    podBatchSize: values.podBatchSize as number,
    network: {
      hostPortRange: values.hostPortRange as { min: number; max: number },
      totalWaitMs: values.networkTotalWait as number,
      intervalMs: values.networkInterval as number,
    },
    externalScalerPort: values.externalScalerPort as number,
  });
}

/** Rules between options (client-go's leader-election invariants); options that failed to parse are skipped. */
function crossCheck(values: Record<OptionName, unknown>, problems: string[]): void {
  const num = (name: OptionName): number | undefined => (typeof values[name] === 'number' ? values[name] : undefined);
  const lease = num('leaseDuration');
  const renew = num('renewDeadline');
  const retry = num('retryPeriod');
  if (values.leaderElect === true) {
    if (retry !== undefined && !(retry > 0)) problems.push('--leader-elect-retry-period must be greater than 0');
    if (lease !== undefined && renew !== undefined && !(lease > renew)) {
      problems.push(`--leader-elect-lease-duration (${lease} ms) must be greater than --leader-elect-renew-deadline (${renew} ms)`);
    }
    if (renew !== undefined && retry !== undefined && !(renew > 1.2 * retry)) {
      problems.push(`--leader-elect-renew-deadline (${renew} ms) must be greater than 1.2 × --leader-elect-retry-period (${retry} ms)`);
    }
  }
  const timeout = num('requestTimeout');
  if (timeout !== undefined && !(timeout > 0)) problems.push('--request-timeout must be greater than 0');
  const interval = num('networkInterval');
  if (interval !== undefined && !(interval > 0)) problems.push('--network-interval must be greater than 0');
  const qps = num('qps');
  const burst = num('burst');
  if (qps !== undefined && burst !== undefined && burst < qps) problems.push('--kube-api-burst must be at least --kube-api-qps');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
