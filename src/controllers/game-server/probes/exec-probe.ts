// exec probe through the pods/exec API (client-node's Exec over a websocket).
// Exec resolves when the socket opens, not when the command ends, and the
// exit status only arrives on the status channel (notes/client-node.md): the
// result is settled by the status, by the socket closing without one
// (ExecStreamClosed), or by the caller's signal (the socket is then closed).
import { Writable } from 'node:stream';
import type { V1Status } from '@kubernetes/client-node';
import { PodNotOwnedError } from './owned-pod.js';
import { describeError, MAX_PROBE_OUTPUT_BYTES, probeError, probeFailure, probeSuccess, type ProbeResult } from './probe-types.js';

/** The part of a websocket the probe uses. */
export interface ExecSocket {
  readonly readyState: number;
  close(): void;
  once(event: 'close', listener: () => void): unknown;
}

/** client-node's `Exec.exec` with stdin and tty fixed (null, false). */
export type ExecFunction = (
  namespace: string,
  podName: string,
  container: string,
  command: string[],
  stdout: Writable,
  stderr: Writable,
  onStatus: (status: V1Status) => void,
  /** Aborts the handshake (the probe's timeout): the promise then rejects. */
  signal: AbortSignal,
) => Promise<ExecSocket>;

export interface ExecProbeRequest {
  readonly namespace: string;
  readonly podName: string;
  readonly container: string;
  readonly command: string[];
}

const CLOSED = 3;

export async function runExecProbe(exec: ExecFunction, request: ExecProbeRequest, signal: AbortSignal): Promise<ProbeResult> {
  const stdout = new CappedBuffer();
  const stderr = new CappedBuffer();
  let settle: (result: ProbeResult) => void = () => undefined;
  const settled = new Promise<ProbeResult>((resolve) => (settle = resolve));
  const onStatus = (status: V1Status) => settle(fromStatus(status, stdout.text(), stderr.text()));
  let socket: ExecSocket;
  try {
    socket = await exec(request.namespace, request.podName, request.container, request.command, stdout.writable(), stderr.writable(), onStatus, signal);
  } catch (error) {
    if (signal.aborted) return probeFailure('', 'command timed out: the exec handshake did not complete within the probe timeout');
    return handshakeError(error);
  }
  const close = () => socket.close();
  signal.addEventListener('abort', close, { once: true });
  socket.once('close', () => settle(probeError('ExecStreamClosed', 'the exec stream closed without an exit status')));
  if (socket.readyState === CLOSED) settle(probeError('ExecStreamClosed', 'the exec stream closed without an exit status'));
  if (signal.aborted) close();
  try {
    return await settled;
  } finally {
    signal.removeEventListener('abort', close);
    if (socket.readyState !== CLOSED) socket.close();
  }
}

/**
 * Success: exit 0, its stdout the result. A non-zero exit is a failure (the
 * kubelet says NonZeroExitCode; kwok says "exit status N") whose result is
 * its stderr, as kruise-daemon's PodProbeMarker reports it (CRI ExecSync
 * hands back stderr with the exit error). Any other Failure means the
 * command could not run.
 */
function fromStatus(status: V1Status, output: string, errors: string): ProbeResult {
  if (status.status === 'Success') return probeSuccess(output);
  const message = status.message ?? 'exec failed';
  const exitCode = status.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  if (status.reason === 'NonZeroExitCode' || exitCode !== undefined || /exit (status|code) \d+/.test(message)) {
    return probeFailure(errors, errors.trim() ? `${message}: ${errors.trim()}` : message);
  }
  return probeError('ExecFailed', errors.trim() ? `${message}: ${errors.trim()}` : message);
}

/** A refused websocket upgrade ("Unexpected server response: 403"). */
function handshakeError(error: unknown): ProbeResult {
  if (error instanceof PodNotOwnedError) return probeError('PodNotOwned', error.message, error);
  const message = describeError(error);
  const code = /Unexpected server response: (\d+)/.exec(message)?.[1];
  if (code === '401' || code === '403') return probeError('ExecForbidden', `pods/exec refused (${code}): the operator needs get and create on pods/exec`, error);
  if (code === '404') return probeError('PodNotFound', 'pods/exec: the pod is gone', error);
  if (code !== undefined) return probeError('ExecRejected', `pods/exec rejected with HTTP ${code}`, error);
  return probeError('ExecFailed', `pods/exec failed: ${message}`, error);
}

/** Keeps the first MAX_PROBE_OUTPUT_BYTES written. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        if (this.size < MAX_PROBE_OUTPUT_BYTES) {
          const part = chunk.subarray(0, MAX_PROBE_OUTPUT_BYTES - this.size);
          this.chunks.push(part);
          this.size += part.length;
        }
        callback();
      },
    });
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
