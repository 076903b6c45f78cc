// Runs one service-quality probe against one pod: exec through pods/exec in
// the named container, httpGet, tcpSocket and grpc (health/v1 Check) from the
// operator to the pod's address. A probe that cannot run returns an error result, never throws.
import { runExecProbe, type ExecFunction } from './exec-probe.js';
import { runGrpcProbe } from './grpc-probe.js';
import { runHttpProbe } from './http-probe.js';
import { probeContainer, probeHost, resolvePort, type ProbeTarget } from './probe-target.js';
import { describeError, probeError, ProbeError, type ProbeResult, type ServiceQualityProbe } from './probe-types.js';
import { runTcpProbe } from './tcp-probe.js';

export class ProbeRunner {
  constructor(private readonly exec: ExecFunction) {}

  async run(target: ProbeTarget, probe: ServiceQualityProbe, signal: AbortSignal): Promise<ProbeResult> {
    try {
      return await this.dispatch(target, probe, signal);
    } catch (error) {
      if (error instanceof ProbeError) return { outcome: 'error', error };
      return probeError('ProbeCrashed', describeError(error), error);
    }
  }

  private dispatch(target: ProbeTarget, probe: ServiceQualityProbe, signal: AbortSignal): Promise<ProbeResult> {
    if (probe.exec) {
      const command = probe.exec.command ?? [];
      if (command.length === 0) throw new ProbeError('InvalidProbe', 'exec probe without a command');
      const container = probeContainer(target, probe);
      return runExecProbe(this.exec, { namespace: target.namespace, podName: target.podName, container, command }, signal);
    }
    if (probe.httpGet) {
      const { httpGet } = probe;
      const request = {
        scheme: httpGet.scheme ?? 'HTTP',
        host: probeHost(target, httpGet.host),
        port: resolvePort(target, probe, httpGet.port),
        ...(httpGet.path !== undefined ? { path: httpGet.path } : {}),
        ...(httpGet.httpHeaders ? { headers: httpGet.httpHeaders } : {}),
      };
      return runHttpProbe(request, signal);
    }
    if (probe.tcpSocket) {
      return runTcpProbe(probeHost(target, probe.tcpSocket.host), resolvePort(target, probe, probe.tcpSocket.port), signal);
    }
    if (probe.grpc) {
      return runGrpcProbe(probeHost(target, undefined), probe.grpc.port, probe.grpc.service, signal);
    }
    throw new ProbeError('InvalidProbe', 'the service quality has no exec, httpGet, tcpSocket or grpc probe');
  }
}
