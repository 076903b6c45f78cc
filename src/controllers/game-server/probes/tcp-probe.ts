// tcpSocket probe: success when a TCP connection opens.
import { connect } from 'node:net';
import { describeError, probeFailure, probeSuccess, type ProbeResult } from './probe-types.js';

export function runTcpProbe(host: string, port: number, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve(probeSuccess(''));
    });
    socket.once('error', (error) => {
      socket.destroy();
      resolve(probeFailure('', `dial tcp ${host}:${port}: ${describeError(error)}`));
    });
  });
}
