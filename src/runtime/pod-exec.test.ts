import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { KubeClient } from './kube-client.js';
import { ExecHandshakeAbortedError, execInPod } from './pod-exec.js';

// A server that accepts the connection and never answers the websocket upgrade.
let server: Server;
const sockets = new Set<Socket>();
let closedByPeer = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => closedByPeer++);
    socket.on('error', () => undefined);
    socket.resume(); // read (and drop) the upgrade request, so the peer's close is seen
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const discard = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });

function silentClient(): KubeClient {
  const { port } = server.address() as AddressInfo;
  const target = { url: `ws://127.0.0.1:${port}/api/v1/namespaces/ns/pods/p/exec`, agent: new Agent(), headers: {} };
  return { websocketTarget: () => Promise.resolve(target) } as unknown as KubeClient;
}

describe('execInPod', () => {
  it('gives up a handshake the server never answers when the signal aborts, and closes the connection', async () => {
    const started = Date.now();
    const streams = { stdout: discard(), stderr: discard(), onStatus: () => undefined };
    await expect(execInPod(silentClient(), { namespace: 'ns', podName: 'p', container: 'c', command: ['true'] }, streams, AbortSignal.timeout(100))).rejects.toBeInstanceOf(
      ExecHandshakeAbortedError,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    const deadline = Date.now() + 3_000;
    while (closedByPeer === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closedByPeer).toBeGreaterThan(0);
  });

  it('refuses at once with a signal already aborted', async () => {
    const streams = { stdout: discard(), stderr: discard(), onStatus: () => undefined };
    await expect(execInPod(silentClient(), { namespace: 'ns', podName: 'p', container: 'c', command: ['true'] }, streams, AbortSignal.abort())).rejects.toBeInstanceOf(
      ExecHandshakeAbortedError,
    );
  });
});
