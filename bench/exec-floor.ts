// The floor of step 7: how many pods/exec calls per second the control plane
// itself serves (API server upgrade → kwok → a local process), measured by
// the benchmark's own client with many execs in flight and no operator
// logic, on the same pods and with the same command as the probe.
import { Writable } from 'node:stream';
import type { KubeClient } from '../src/runtime/kube-client.js';
import { execInPod } from '../src/runtime/pod-exec.js';

export interface ExecFloorResult {
  readonly seconds: number;
  readonly concurrency: number;
  readonly execsPerSecond: number;
  /** Execs that did not end with exit status 0 (refused, failed or closed without a status). */
  readonly failed: number;
  /** execs/s of each measurement averaged into execsPerSecond (before and after the probes). */
  readonly samples?: readonly number[];
}

const discard = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });

/** Runs `command` round-robin over `pods` with `concurrency` execs in flight for `seconds`. */
export async function measureExecFloor(
  client: KubeClient,
  namespace: string,
  pods: readonly string[],
  container: string,
  command: readonly string[],
  options: { readonly seconds: number; readonly concurrency: number },
): Promise<ExecFloorResult> {
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  let next = 0;
  let completed = 0;
  let failed = 0;
  const once = async (podName: string): Promise<boolean> => {
    let settle: (ok: boolean) => void = () => undefined;
    const done = new Promise<boolean>((resolve) => (settle = resolve));
    const socket = await execInPod(client, { namespace, podName, container, command }, { stdout: discard(), stderr: discard(), onStatus: (status) => settle(status.status === 'Success') });
    socket.once('close', () => settle(false));
    const timer = setTimeout(() => socket.terminate(), 10_000);
    try {
      return await done;
    } finally {
      clearTimeout(timer);
    }
  };
  const worker = async () => {
    while (Date.now() < deadline) {
      const pod = pods[next++ % pods.length]!;
      const ok = await once(pod).catch(() => false);
      if (ok) completed++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  return { seconds, concurrency: options.concurrency, execsPerSecond: completed / seconds, failed };
}
