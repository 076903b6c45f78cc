import { describe, expect, it } from '@jest/globals';
import type { V1Status } from '@kubernetes/client-node';
import type { Writable } from 'node:stream';
import { runExecProbe, type ExecFunction, type ExecSocket } from './exec-probe.js';

class FakeSocket implements ExecSocket {
  readyState = 1;
  closed = 0;
  private listeners: (() => void)[] = [];
  close(): void {
    this.closed++;
    if (this.readyState === 3) return;
    this.readyState = 3;
    for (const listener of this.listeners) listener();
  }
  once(_event: 'close', listener: () => void): this {
    this.listeners.push(listener);
    return this;
  }
}

/** An exec that writes `stdout`, then (after a tick) reports `status` or closes without one. */
function fakeExec(options: { stdout?: string; stderr?: string; status?: V1Status; closeWithoutStatus?: boolean; refuse?: Error; hang?: boolean }): {
  exec: ExecFunction;
  socket: FakeSocket;
} {
  const socket = new FakeSocket();
  const exec: ExecFunction = async (_ns, _pod, _container, _command, stdout: Writable, stderr: Writable, onStatus) => {
    if (options.refuse) throw options.refuse;
    setImmediate(() => {
      if (options.hang) return;
      if (options.stdout) stdout.write(Buffer.from(options.stdout));
      if (options.stderr) stderr.write(Buffer.from(options.stderr));
      if (options.status) onStatus(options.status);
      if (options.status || options.closeWithoutStatus) socket.close();
    });
    return socket;
  };
  return { exec, socket };
}

const request = { namespace: 'ns', podName: 'p', container: 'game', command: ['cat', 'x'] };
const run = (exec: ExecFunction, signal = new AbortController().signal) => runExecProbe(exec, request, signal);

describe('runExecProbe', () => {
  it('exit 0: success with stdout as the output', async () => {
    const { exec } = fakeExec({ stdout: 'idle\n', status: { status: 'Success' } });
    expect(await run(exec)).toEqual({ outcome: 'success', output: 'idle\n' });
  });

  it("kubelet NonZeroExitCode: failure, with stderr as the output (kruise-daemon's result for a non-zero exit)", async () => {
    const status: V1Status = { status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code', details: { causes: [{ reason: 'ExitCode', message: '3' }] } };
    expect(await run(fakeExec({ stdout: 'out', stderr: 'busy', status }).exec)).toMatchObject({ outcome: 'failure', output: 'busy' });
  });

  it('kwok "exit status N": failure', async () => {
    expect(await run(fakeExec({ status: { status: 'Failure', message: 'exit status 1' } }).exec)).toMatchObject({ outcome: 'failure', message: 'exit status 1' });
  });

  it('any other Failure: the command could not run', async () => {
    const result = await run(fakeExec({ status: { status: 'Failure', message: 'executable file not found' } }).exec);
    expect(result).toMatchObject({ outcome: 'error', error: { reason: 'ExecFailed' } });
  });

  it('a stream that closes without a status is an error, not a hang', async () => {
    expect(await run(fakeExec({ closeWithoutStatus: true }).exec)).toMatchObject({ outcome: 'error', error: { reason: 'ExecStreamClosed' } });
  });

  it.each([
    ['Unexpected server response: 403', 'ExecForbidden'],
    ['Unexpected server response: 404', 'PodNotFound'],
    ['Unexpected server response: 400', 'ExecRejected'],
    ['connect ECONNREFUSED', 'ExecFailed'],
  ])('a refused upgrade (%s) is %s', async (message, reason) => {
    expect(await run(fakeExec({ refuse: new Error(message) }).exec)).toMatchObject({ outcome: 'error', error: { reason } });
  });

  it('a handshake that never completes ends with the probe timeout, as a failure', async () => {
    let handshakeSignal: AbortSignal | undefined;
    const hanging: ExecFunction = (_ns, _pod, _container, _command, _stdout, _stderr, _onStatus, signal) => {
      handshakeSignal = signal;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    };
    const result = await runExecProbe(hanging, request, AbortSignal.timeout(20));
    expect(handshakeSignal?.aborted).toBe(true);
    expect(result).toMatchObject({ outcome: 'failure', message: expect.stringContaining('handshake') });
  });

  it('the caller aborting closes the socket', async () => {
    const { exec, socket } = fakeExec({ hang: true });
    const abort = new AbortController();
    const result = run(exec, abort.signal);
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    expect(await result).toMatchObject({ outcome: 'error', error: { reason: 'ExecStreamClosed' } });
    expect(socket.closed).toBeGreaterThan(0);
  });
});
