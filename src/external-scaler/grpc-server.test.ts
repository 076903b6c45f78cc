// The gRPC shell over in-memory caches, with a real client: status codes,
// the stream, and the runnable's shutdown (open streams end, start() resolves).
import { afterEach, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import winston from 'winston';
import { LABELS } from '../api/constants.js';
import { OWNER_GSS_INDEX, type CachedObject, type CachedPod } from '../controllers/shared/informers.js';
import { byLabel, StoreWriter } from '../runtime/store.js';
import { ExternalScalerServer, PROTO_LOADER_OPTIONS, PROTO_PATH } from './grpc-server.js';
import { ScalerService } from './scaler-service.js';

const logger = winston.createLogger({ silent: true });

interface Client extends grpc.Client {
  GetMetrics(request: unknown, callback: (error: grpc.ServiceError | null, response: { metricValues: { metricName: string; metricValue: number }[] }) => void): void;
  IsActive(request: unknown, callback: (error: grpc.ServiceError | null, response: { result: boolean }) => void): void;
  StreamIsActive(request: unknown): grpc.ClientReadableStream<{ result: boolean }>;
}

function clientFor(port: number): Client {
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, PROTO_LOADER_OPTIONS)) as unknown as {
    externalscaler: { ExternalScaler: new (address: string, credentials: grpc.ChannelCredentials) => Client };
  };
  return new pkg.externalscaler.ExternalScaler(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

function caches(synced = true) {
  const sets = new StoreWriter<CachedObject>();
  const pods = new StoreWriter<CachedPod>({ indexers: { [OWNER_GSS_INDEX]: byLabel(LABELS.ownerGss) } });
  const gameServers = new StoreWriter<CachedObject>();
  sets.apply({ metadata: { name: 'rooms', namespace: 'games' }, spec: { replicas: 3 }, status: { waitToBeDeletedReplicas: 1 } });
  for (const [i, opsState] of ['None', 'WaitToBeDeleted', 'Allocated'].entries()) {
    pods.apply({ metadata: { name: `rooms-${i}`, namespace: 'games', labels: { [LABELS.ownerGss]: 'rooms', [LABELS.gsOpsState]: opsState } } });
  }
  if (synced) for (const writer of [sets, pods, gameServers]) writer.markSynced();
  return { sets: sets.store, pods: pods.store, gameServers: gameServers.store };
}

const running: { abort: AbortController; done: Promise<void>; client: Client }[] = [];

async function serve(synced = true): Promise<Client> {
  const server = new ExternalScalerServer({ port: 0, host: '127.0.0.1', service: new ScalerService(caches(synced)), logger, streamIntervalMs: 20 });
  const abort = new AbortController();
  const done = server.start(abort.signal);
  while (server.port === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  const client = clientFor(server.port);
  running.push({ abort, done, client });
  return client;
}

afterEach(async () => {
  for (const { abort, done, client } of running.splice(0)) {
    client.close();
    abort.abort();
    await done;
  }
});

type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;
const call = <T>(invoke: (callback: Callback<T>) => void) => new Promise<T>((resolve, reject) => invoke((error, response) => (error ? reject(error) : resolve(response))));

describe('ExternalScalerServer', () => {
  it('answers GetMetrics from the caches (pod labels when no GameServer is cached)', async () => {
    const client = await serve();
    const response = await call<{ metricValues: unknown[] }>((cb) => client.GetMetrics({ scaledObjectRef: { name: 'rooms', namespace: 'games' }, metricName: 'gssReplicas' }, cb));
    expect(response.metricValues).toEqual([{ metricName: 'gssReplicas', metricValue: 2 }]);
  });

  it.each([
    { name: 'an unknown set is NOT_FOUND', ref: { name: 'nope', namespace: 'games' }, code: grpc.status.NOT_FOUND },
    { name: 'bad metadata is INVALID_ARGUMENT', ref: { name: 'rooms', namespace: 'games', scalerMetadata: { minAvailable: 'x' } }, code: grpc.status.INVALID_ARGUMENT },
  ])('$name', async ({ ref, code }) => {
    const client = await serve();
    await expect(call<{ result: boolean }>((cb) => client.IsActive(ref, cb))).rejects.toMatchObject({ code });
  });

  it('is UNAVAILABLE until the caches synced', async () => {
    const client = await serve(false);
    await expect(call<{ metricValues: unknown[] }>((cb) => client.GetMetrics({ scaledObjectRef: { name: 'rooms', namespace: 'games' } }, cb))).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
  });

  it('StreamIsActive sends the answer at once, and shutdown ends the stream and the server', async () => {
    const client = await serve();
    const stream = client.StreamIsActive({ name: 'rooms', namespace: 'games' });
    const messages: boolean[] = [];
    const ended = new Promise<void>((resolve) => {
      stream.on('end', () => resolve());
      stream.on('error', () => resolve());
    });
    stream.on('data', (message: { result: boolean }) => messages.push(message.result));
    while (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(messages).toEqual([true]);
    const { abort, done } = running[0]!;
    abort.abort();
    await ended;
    await done;
  });
});
