// A grpc service-quality probe (gRPC health checking protocol) from the
// operator to a health server at the pod's IP: SERVING and NOT_SERVING drive
// the actions, as a kubelet grpc probe's success and failure would.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { LABELS } from '../../src/api/constants.js';
import { HEALTH_PROTO } from '../../src/controllers/game-server/probes/grpc-probe.js';
import { createTestNamespace, deleteTestNamespace, eventually } from '../support/index.js';
import { createPod, createSet, getGameServer, podLabels, startGameServerController, type RunningController } from './harness.js';

let namespace: string;
let controller: RunningController;
let server: grpc.Server;
let port: number;
let status = 'SERVING';

beforeAll(async () => {
  namespace = await createTestNamespace('gs-grpc');
  controller = startGameServerController(namespace);
  const definition = await protoLoader.load(HEALTH_PROTO, { keepCase: true, enums: String, defaults: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: { service: grpc.ServiceDefinition } } } } };
  server = new grpc.Server();
  server.addService(loaded.grpc.health.v1.Health.service, {
    Check: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => callback(null, { status }),
    Watch: () => undefined,
  });
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('0.0.0.0:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
});
afterAll(async () => {
  server.forceShutdown();
  await controller.stop();
  await deleteTestNamespace(namespace);
});

describe('grpc service quality', () => {
  it('SERVING marks the server healthy, NOT_SERVING marks it Maintaining', async () => {
    const set = await createSet(namespace, 'rpc', {
      serviceQualities: [
        {
          name: 'healthy',
          grpc: { port },
          initialDelaySeconds: 0,
          periodSeconds: 1,
          timeoutSeconds: 3,
          successThreshold: 1,
          failureThreshold: 1,
          serviceQualityAction: [
            { state: true, opsState: 'None', labels: { 'example.com/health': 'ok' } },
            { state: false, opsState: 'Maintaining' },
          ],
        },
      ],
    });
    await createPod(namespace, set, 0);
    await eventually(async () => (await getGameServer(namespace, 'rpc-0')).status?.serviceQualitiesConditions?.[0]?.result === 'SERVING', {
      description: 'probe result SERVING',
      timeoutMs: 30_000,
    });
    status = 'NOT_SERVING';
    await eventually(async () => (await podLabels(namespace, 'rpc-0'))[LABELS.gsOpsState] === 'Maintaining', { description: 'rpc-0 Maintaining', timeoutMs: 30_000 });
  });
});
