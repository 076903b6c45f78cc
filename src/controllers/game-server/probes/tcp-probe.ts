// tcpSocket probe: success when a TCP connection opens. As with OpenKruise's
// PodProbeMarker (the kubelet's TCP prober), a success has an empty result
// and a failure's result is the dial error.
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
      const message = `dial tcp ${host.includes(':') ? `[${host}]` : host}:${port}: ${describeError(error)}`;
      resolve(probeFailure(message, message));
    });
  });
}
