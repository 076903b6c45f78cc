// pods/exec over a websocket (the channel.k8s.io protocols, as kubectl and
// client-node speak them): each binary message starts with its channel,
// 1 = stdout, 2 = stderr, 3 = the final metav1.Status, 255 = close of a
// channel (v5). The upgrade goes through the client's connection pool, so a
// new exec resumes the pool's TLS session instead of a full handshake.
import type { Writable } from 'node:stream';
import type { V1Status } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { KubeClient } from './kube-client.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;

export interface ExecRequest {
  readonly namespace: string;
  readonly podName: string;
  readonly container: string;
  readonly command: readonly string[];
}

export interface ExecStreams {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Called once with the exit status (Success, or Failure with the reason). */
  readonly onStatus: (status: V1Status) => void;
}

/** The handshake was given up: `signal` aborted before the socket opened. */
export class ExecHandshakeAbortedError extends Error {
  constructor() {
    super('the exec handshake did not complete in time');
    this.name = 'ExecHandshakeAbortedError';
  }
}

/**
 * Starts `command` in the container; resolves with the open socket, rejects
 * when the upgrade is refused ("Unexpected server response: 403"), the
 * connection fails or `signal` aborts before the socket opens (the socket is
 * then terminated). The socket closes after the status message.
 */
export async function execInPod(client: KubeClient, request: ExecRequest, streams: ExecStreams, signal?: AbortSignal): Promise<WebSocket> {
  if (signal?.aborted) throw new ExecHandshakeAbortedError();
  const query = new URLSearchParams({ container: request.container, stdout: 'true', stderr: 'true' });
  for (const part of request.command) query.append('command', part);
  const path = `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(request.podName)}/exec`;
  const target = await client.websocketTarget(path, query);
  // No permessage-deflate: the frames are a few bytes, and a deflate context per exec costs memory and CPU for nothing.
  const socket = new WebSocket(target.url, PROTOCOLS, { agent: target.agent, headers: { ...target.headers }, perMessageDeflate: false });
  socket.binaryType = 'nodebuffer';
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    const message = isBinary ? data : Buffer.from(data.toString('utf8'), 'utf8');
    if (message.length === 0) return;
    const payload = message.subarray(1);
    switch (message[0]) {
      case STDOUT:
        streams.stdout.write(payload);
        break;
      case STDERR:
        streams.stderr.write(payload);
        break;
      case STATUS:
        streams.onStatus(parseStatus(payload));
        break;
      default:
        break;
    }
  });
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      socket.off('open', onOpen);
      socket.off('error', onError);
      socket.on('error', () => undefined);
      socket.terminate();
      reject(new ExecHandshakeAbortedError());
    };
    const onError = (error: Error) => {
      socket.off('open', onOpen);
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onOpen = () => {
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      socket.on('error', () => socket.terminate());
      resolve();
    };
    socket.once('open', onOpen);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return socket;
}

function parseStatus(payload: Buffer): V1Status {
  try {
    return JSON.parse(payload.toString('utf8')) as V1Status;
  } catch {
    return { status: 'Failure', message: payload.toString('utf8') };
  }
}
