// OKG's external scaler served by the running operator, called over gRPC by a
// real client as KEDA would: the metric spec, IsActive, StreamIsActive and
// GetMetrics (gssReplicas) as rooms change opsState; then the test plays
// KEDA's and the HPA's part once (write the metric into replicas through the
// scale subresource) and the WaitToBeDeleted room goes.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../cluster/ports.js';
import { applySet, gameServerSet, podsReady, readSet } from '../game-server-set/harness.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { grpcCode, ScalerClient } from './scaler-client.js';

let namespace: string;
let operator: TestOperator;
let client: ScalerClient;

beforeAll(async () => {
  namespace = await createTestNamespace('ext-scaler');
  const port = await freePort();
  operator = await startOperator({ namespaces: [namespace], flags: [`--external-scaler-port=${port}`] });
  client = new ScalerClient(`127.0.0.1:${port}`);
});
afterAll(async () => {
  client?.close();
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

const patchGs = (name: string, spec: Record<string, unknown>) => kubectl(['patch', 'gs', name, '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec })]);
const opsStates = async (set: string) =>
  (await kubectl(['get', 'gs', '-n', namespace, '-l', `game.kruise.io/owner-gss=${set}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.opsState} {end}'])).trim();

describe('external scaler (KEDA externalscaler.proto)', () => {
  it('answers GetMetricSpec, IsActive, StreamIsActive and GetMetrics like OKG', async () => {
    const ref = { name: 'rooms', namespace };
    expect(await client.metricSpec(ref)).toEqual([{ metricName: 'gssReplicas', targetSize: 1 }]);
    // The scaler answers UNAVAILABLE until the operator's caches have synced.
    await eventually(async () => (await grpcCode(client.metric(ref))) === grpc.status.NOT_FOUND, { description: 'caches synced: GetMetrics of a missing set is NOT_FOUND' });
    expect(await grpcCode(client.isActive(ref))).toBe(grpc.status.NOT_FOUND);

    await applySet(namespace, gameServerSet('rooms', 4));
    await eventually(() => podsReady(namespace, 'rooms', ['rooms-0', 'rooms-1', 'rooms-2', 'rooms-3']), { description: 'four rooms' });
    await eventually(async () => (await opsStates('rooms')) === 'rooms-0=None rooms-1=None rooms-2=None rooms-3=None', { description: 'four idle GameServers' });
    await eventually(async () => (await client.metric(ref)) === 4, { description: 'gssReplicas 4 at rest' });
    expect(await client.isActive(ref)).toBe(true);

    const stream = client.streamIsActive(ref);
    const pushed: boolean[] = [];
    stream.on('data', (message: { result: boolean }) => pushed.push(message.result));
    stream.on('error', () => undefined);
    await eventually(() => pushed.length === 1 && pushed[0] === true, { description: 'StreamIsActive sends true at once' });

    await patchGs('rooms-0', { opsState: 'Allocated' });
    await patchGs('rooms-1', { opsState: 'WaitToBeDeleted' });
    await eventually(async () => (await client.metric(ref)) === 3, { description: 'one WaitToBeDeleted room: gssReplicas 3' });
    // minAvailable 3 of idle rooms, two idle: scale up by one (OKG rule 1 wins over WaitToBeDeleted).
    expect(await client.metric({ ...ref, scalerMetadata: { minAvailable: '3' } })).toBe(5);
    // A fraction of the rooms: 0.75 of 4 with 2 idle → delta (3-2)/0.25 = 4, so 6 idle rooms wanted → 4+6-2.
    expect(await client.metric({ ...ref, scalerMetadata: { minAvailable: '0.75' } })).toBe(8);
    expect(await grpcCode(client.metric({ ...ref, scalerMetadata: { minAvailable: '-1' } }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await grpcCode(client.metric({ ...ref, scalerMetadata: { maxAvailable: 'two' } }))).toBe(grpc.status.INVALID_ARGUMENT);

    // Everything but WaitToBeDeleted rooms gone → inactive, and the stream says so.
    for (const name of ['rooms-0', 'rooms-2', 'rooms-3']) await patchGs(name, { opsState: 'WaitToBeDeleted' });
    await eventually(() => pushed.at(-1) === false, { description: 'StreamIsActive pushes false' });
    expect(await client.isActive(ref)).toBe(false);
    expect(await client.metric(ref)).toBe(0);
    stream.cancel();

    // maxAvailable: 4 idle rooms, at most 1 → 4+1-4.
    for (const name of ['rooms-0', 'rooms-1', 'rooms-2', 'rooms-3']) await patchGs(name, { opsState: 'None' });
    await eventually(async () => (await client.metric(ref)) === 4, { description: 'all idle again' });
    expect(await client.metric({ ...ref, scalerMetadata: { maxAvailable: '1' } })).toBe(1);
  });

  it('as KEDA and the HPA: the metric written into replicas removes exactly the WaitToBeDeleted room, and the metric then holds', async () => {
    const ref = { name: 'arena', namespace };
    await applySet(namespace, gameServerSet('arena', 3));
    await eventually(() => podsReady(namespace, 'arena', ['arena-0', 'arena-1', 'arena-2']), { description: 'three rooms' });
    await eventually(async () => (await opsStates('arena')).split(' ').length === 3, { description: 'three GameServers' });
    await patchGs('arena-0', { opsState: 'WaitToBeDeleted' });
    await patchGs('arena-2', { opsState: 'Allocated' });
    const desired = await eventually(async () => {
      const value = await client.metric(ref);
      return value === 2 ? value : false;
    }, { description: 'gssReplicas 2' });
    await kubectl(['scale', 'gss', 'arena', '-n', namespace, `--replicas=${desired}`]);
    // Right after the write, the WaitToBeDeleted room is still there but already leaving: not subtracted twice.
    expect(await client.metric(ref)).toBe(2);
    await eventually(() => podsReady(namespace, 'arena', ['arena-1', 'arena-2']), { description: 'arena-0 removed, the Allocated arena-2 kept' });
    await eventually(async () => (await readSet(namespace, 'arena')).status?.waitToBeDeletedReplicas === 0, { description: 'status settled' });
    expect(await client.metric(ref)).toBe(2);
    expect(await client.isActive(ref)).toBe(true);
  });

  it("examples/autoscaling/scaledobject.yaml: KEDA's trigger metadata, passed as KEDA passes it, gives OKG's answer", async () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'autoscaling', 'scaledobject.yaml');
    const scaledObject = parseYaml(await readFile(file, 'utf8')) as {
      spec: { scaleTargetRef: { name: string; kind: string }; triggers: { type: string; metricType: string; metadata: Record<string, string> }[] };
    };
    const [trigger] = scaledObject.spec.triggers;
    expect(trigger).toMatchObject({ type: 'external', metricType: 'AverageValue' });
    expect(trigger!.metadata.scalerAddress).toBe('gamekeeper-external-scaler.gamekeeper-system.svc:6000');
    const set = scaledObject.spec.scaleTargetRef.name;
    await applySet(namespace, gameServerSet(set, 4));
    await eventually(async () => (await opsStates(set)).split(' ').length === 4, { description: 'four GameServers' });
    const ref = { name: set, namespace, scalerMetadata: trigger!.metadata };
    await eventually(async () => (await client.metric(ref)) === 4, { description: 'four idle rooms, minAvailable 3: hold' });
    await patchGs(`${set}-0`, { opsState: 'Allocated' });
    await patchGs(`${set}-1`, { opsState: 'Allocated' });
    // two idle rooms left, minAvailable 3: one more room
    await eventually(async () => (await client.metric(ref)) === 5, { description: 'scale up to keep 3 idle rooms' });
  });
});
