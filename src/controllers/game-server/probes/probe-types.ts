// Probe specs (the core/v1 Probe inlined in a service quality), their timings
// with OKG's defaults, and the typed result every probe returns.

export interface HttpHeaderSpec {
  name: string;
  value: string;
}

export interface ProbeSpec {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: HttpHeaderSpec[] };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/**
 * Where a probe's time goes: `exec` probes through the API server (pods/exec,
 * bound by what the API server and the kubelet serve), `direct` probes
 * (httpGet, tcpSocket, grpc) from the operator straight to the pod. Each has
 * its own concurrency limit, so slow execs never hold up the others.
 */
export type ProbeLane = 'exec' | 'direct';
export const PROBE_LANES: readonly ProbeLane[] = ['exec', 'direct'];

export function probeLane(spec: ProbeSpec): ProbeLane {
  return spec.exec ? 'exec' : 'direct';
}

/** A service quality as the probe module needs it (the API's ServiceQuality satisfies it). */
export interface ServiceQualityProbe extends ProbeSpec {
  name: string;
  containerName?: string;
}

/**
 * OKG's PodProbeMarker defaults (constructProbes): timeout 5s, initial delay
 * 10s, period 3s, success threshold 1, failure threshold 3. OKG also turns an
 * explicit 0 into the default; we keep an explicit initialDelaySeconds of 0
 * (the API allows it) and default only what is unset or below 1.
 */
export const PROBE_DEFAULTS = {
  timeoutSeconds: 5,
  initialDelaySeconds: 10,
  periodSeconds: 3,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

export interface ProbeTimings {
  initialDelayMs: number;
  timeoutMs: number;
  periodMs: number;
  successThreshold: number;
  failureThreshold: number;
}

export function probeTimings(spec: ProbeSpec): ProbeTimings {
  const atLeastOne = (value: number | undefined, fallback: number) => (value !== undefined && value >= 1 ? Math.floor(value) : fallback);
  const delay = spec.initialDelaySeconds;
  return {
    initialDelayMs: (delay !== undefined && delay >= 0 ? delay : PROBE_DEFAULTS.initialDelaySeconds) * 1000,
    timeoutMs: atLeastOne(spec.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds) * 1000,
    periodMs: atLeastOne(spec.periodSeconds, PROBE_DEFAULTS.periodSeconds) * 1000,
    successThreshold: atLeastOne(spec.successThreshold, PROBE_DEFAULTS.successThreshold),
    failureThreshold: atLeastOne(spec.failureThreshold, PROBE_DEFAULTS.failureThreshold),
  };
}

/** Probe output kept as the result (the HTTP body, exec stdout): the first KiB. */
export const MAX_PROBE_OUTPUT_BYTES = 1024;

/**
 * Why a probe could not run at all, as opposed to running and failing. The
 * caller raises a Warning event and an Unknown service-quality condition.
 */
export type ProbeErrorReason =
  | 'ContainerNotFound'
  | 'PortNotFound'
  | 'NoTargetAddress'
  | 'InvalidProbe'
  | 'UnsupportedProbe'
  | 'ExecForbidden'
  | 'PodNotOwned'
  | 'PodNotFound'
  | 'ExecRejected'
  | 'ExecFailed'
  | 'ExecStreamClosed'
  | 'ProbeCrashed';

export class ProbeError extends Error {
  constructor(
    readonly reason: ProbeErrorReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ProbeError';
  }
}

/**
 * success: the probe passed; `output` is its result (HTTP body, exec stdout).
 * failure: it ran and failed (exit code, HTTP status, refused, timeout).
 * error: it could not run (see ProbeErrorReason).
 */
export type ProbeResult =
  | { outcome: 'success'; output: string }
  | { outcome: 'failure'; output: string; message: string }
  | { outcome: 'error'; error: ProbeError };

export function probeSuccess(output: string): ProbeResult {
  return { outcome: 'success', output };
}

export function probeFailure(output: string, message: string): ProbeResult {
  return { outcome: 'failure', output, message };
}

export function probeError(reason: ProbeErrorReason, message: string, cause?: unknown): ProbeResult {
  return { outcome: 'error', error: new ProbeError(reason, message, cause === undefined ? undefined : { cause }) };
}

/** The message of anything thrown (Error, ws ErrorEvent, string). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
