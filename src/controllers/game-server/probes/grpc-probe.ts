// grpc probe: the standard gRPC health checking protocol (grpc.health.v1
// Health/Check), as the kubelet's grpc probe calls it: plain text (no TLS),
// the configured `service` name (empty: the whole server). SERVING is
// success, with "SERVING" as the result; any other status, or an RPC that
// fails or times out, is a failure. The proto is read at run time from
// src/proto (dist/proto in the image), once per process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { describeError, probeFailure, probeSuccess, type ProbeResult } from './probe-types.js';

const PROTO = 'proto/grpc/health/v1/health.proto';

/**
 * The health proto: next to the compiled tree (src/proto under tsx, dist/proto
 * in the image), or the repository's src/proto when dist/ was built in a
 * checkout (tsc does not copy .proto files).
 */
export const HEALTH_PROTO = [`../../../${PROTO}`, `../../../../src/${PROTO}`]
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((path) => existsSync(path)) ?? fileURLToPath(new URL(`../../../${PROTO}`, import.meta.url));

interface HealthCheckResponse {
  readonly status?: string;
}

type HealthClient = grpc.Client & {
  Check(request: { service: string }, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response?: HealthCheckResponse) => void): grpc.ClientUnaryCall;
};
type HealthClientConstructor = new (address: string, credentials: grpc.ChannelCredentials) => HealthClient;

let healthClient: Promise<HealthClientConstructor> | undefined;

/** The generated Health client class (proto loaded once; a failed load is retried on the next probe). */
export function loadHealthClient(): Promise<HealthClientConstructor> {
  healthClient ??= protoLoader
    .load(HEALTH_PROTO, { keepCase: true, enums: String, defaults: true })
    .then((definition) => {
      const loaded = grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: HealthClientConstructor } } } };
      return loaded.grpc.health.v1.Health;
    })
    .catch((error: unknown) => {
      healthClient = undefined;
      throw error;
    });
  return healthClient;
}

export async function runGrpcProbe(host: string, port: number, service: string | undefined, signal: AbortSignal): Promise<ProbeResult> {
  const Health = await loadHealthClient();
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const client = new Health(address, grpc.credentials.createInsecure());
  try {
    const response = await new Promise<HealthCheckResponse>((resolve, reject) => {
      const call = client.Check({ service: service ?? '' }, {}, (error, reply) => (error ? reject(error) : resolve(reply ?? {})));
      const cancel = () => call.cancel();
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
    });
    const status = response.status ?? 'UNKNOWN';
    if (status === 'SERVING') return probeSuccess(status);
    return probeFailure(status, `service unhealthy (responded with "${status}")`);
  } catch (error) {
    const message = signal.aborted ? `timeout: health rpc did not complete within the probe's timeout` : describeError(error);
    return probeFailure('', `failed to probe grpc ${address}: ${message}`);
  } finally {
    client.close();
  }
}
