import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { HEALTH_PROTO, runGrpcProbe } from './grpc-probe.js';

// A real gRPC server on loopback implementing grpc.health.v1.Health/Check.
let server: grpc.Server;
let port: number;
const statuses: Record<string, string> = { '': 'SERVING', game: 'SERVING', lobby: 'NOT_SERVING' };

beforeAll(async () => {
  const definition = await protoLoader.load(HEALTH_PROTO, { keepCase: true, enums: String, defaults: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: { service: grpc.ServiceDefinition } } } } };
  server = new grpc.Server();
  server.addService(loaded.grpc.health.v1.Health.service, {
    Check: (call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const status = statuses[call.request.service];
      if (status === undefined) callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
      else callback(null, { status });
    },
    Watch: () => undefined,
  });
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
});
afterAll(() => {
  server.forceShutdown();
});

describe('runGrpcProbe (grpc.health.v1 Health/Check, as the kubelet)', () => {
  it.each([
    { name: 'the whole server SERVING', service: undefined, outcome: 'success', output: 'SERVING' },
    { name: 'a named service SERVING', service: 'game', outcome: 'success', output: 'SERVING' },
    { name: 'NOT_SERVING fails with the status as result', service: 'lobby', outcome: 'failure', output: 'NOT_SERVING' },
    { name: 'an unknown service fails', service: 'nope', outcome: 'failure', output: '' },
  ])('$name', async ({ service, outcome, output }) => {
    const result = await runGrpcProbe('127.0.0.1', port, service, new AbortController().signal);
    expect(result).toMatchObject({ outcome, output });
  });

  it('nothing listening: failure, not an error', async () => {
    const result = await runGrpcProbe('127.0.0.1', 1, undefined, AbortSignal.timeout(2000));
    expect(result.outcome).toBe('failure');
  });
});
