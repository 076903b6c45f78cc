// Service-quality probes run by the operator itself: exec through pods/exec
// (kwok's ClusterExec runs the command on this machine, so the test decides
// the result by writing a file), httpGet from the operator to the pod's IP,
// and the actions the results trigger.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABELS } from '../../src/api/constants.js';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl } from '../support/index.js';
import { createPod, createSet, gameServerEvents, getGameServer, podLabels, startGameServerController, type RunningController } from './harness.js';

let namespace: string;
let controller: RunningController;
let dir: string;

beforeAll(async () => {
  namespace = await createTestNamespace('gs-sq');
  dir = await mkdtemp(join(tmpdir(), 'gs-sq-'));
  controller = startGameServerController(namespace);
});
afterAll(async () => {
  await controller.stop();
  await deleteTestNamespace(namespace);
  await rm(dir, { recursive: true, force: true });
});

const fast = { initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 3, successThreshold: 1, failureThreshold: 1 };

describe('service qualities', () => {
  it('an idle probe turns the server WaitToBeDeleted, and None again when a player joins', async () => {
    const state = join(dir, 'idle');
    await writeFile(state, 'idle\n');
    const set = await createSet(namespace, 'idle', {
      serviceQualities: [
        {
          name: 'idle',
          containerName: 'game',
          exec: { command: ['sh', '-c', `cat ${state}`] },
          ...fast,
          serviceQualityAction: [
            { state: true, result: 'idle', opsState: 'WaitToBeDeleted' },
            { state: true, result: 'playing', opsState: 'None' },
          ],
        },
      ],
    });
    await createPod(namespace, set, 0);
    await eventually(async () => (await podLabels(namespace, 'idle-0'))[LABELS.gsOpsState] === 'WaitToBeDeleted', {
      description: 'idle-0 labelled WaitToBeDeleted',
      timeoutMs: 30_000,
    });
    // the action lands on the spec (and the pod) first, the probe's condition on the status right after
    await eventually(async () => {
      const gs = await getGameServer(namespace, 'idle-0');
      expect(gs.spec.opsState).toBe('WaitToBeDeleted');
      expect(gs.status?.serviceQualitiesConditions).toEqual([
        expect.objectContaining({ name: 'idle', status: 'True', result: 'idle', lastActionTransitionTime: expect.any(String) }),
      ]);
    });

    await writeFile(state, 'playing\n');
    await eventually(async () => (await podLabels(namespace, 'idle-0'))[LABELS.gsOpsState] === 'None', { description: 'idle-0 back to None', timeoutMs: 30_000 });
    await eventually(async () =>
      expect((await getGameServer(namespace, 'idle-0')).status?.serviceQualitiesConditions?.[0]).toMatchObject({ status: 'True', result: 'playing' }),
    );
  });

  it('with two idle servers, the one a player joins turns None and the other stays WaitToBeDeleted', async () => {
    // kwok's namespaced Exec (named like the pod) gives each pod's exec its own environment.
    const set = await createSet(namespace, 'pair', {
      serviceQualities: [
        {
          name: 'idle',
          exec: { command: ['sh', '-c', `cat ${dir}/$GS_NAME`] },
          ...fast,
          serviceQualityAction: [
            { state: true, result: 'idle', opsState: 'WaitToBeDeleted' },
            { state: true, result: 'playing', opsState: 'None' },
          ],
        },
      ],
    });
    for (const id of [0, 1]) {
      const name = `pair-${id}`;
      await writeFile(join(dir, name), 'idle');
      await kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'kwok.x-k8s.io/v1alpha1',
          kind: 'Exec',
          metadata: { name, namespace },
          spec: { execs: [{ containers: ['game'], local: { workDir: dir, envs: [{ name: 'GS_NAME', value: name }] } }] },
        }),
      });
      await createPod(namespace, set, id);
    }
    const opsStates = async () => Promise.all([0, 1].map(async (id) => (await podLabels(namespace, `pair-${id}`))[LABELS.gsOpsState]));
    await eventually(async () => (await opsStates()).every((s) => s === 'WaitToBeDeleted'), { description: 'both WaitToBeDeleted', timeoutMs: 30_000 });
    await writeFile(join(dir, 'pair-1'), 'playing');
    await eventually(async () => (await opsStates()).join() === 'WaitToBeDeleted,None', { description: 'pair-1 None, pair-0 still WaitToBeDeleted', timeoutMs: 30_000 });
  });

  it('a failing health probe turns the server Maintaining with a Warning event', async () => {
    const healthy = join(dir, 'healthy');
    await writeFile(healthy, 'ok');
    const set = await createSet(namespace, 'health', {
      serviceQualities: [
        { name: 'healthy', exec: { command: ['test', '-f', healthy] }, ...fast, serviceQualityAction: [{ state: false, opsState: 'Maintaining' }] },
      ],
    });
    await createPod(namespace, set, 0);
    await eventually(async () => (await getGameServer(namespace, 'health-0')).status?.serviceQualitiesConditions?.[0]?.status === 'True', {
      description: 'health probe True',
      timeoutMs: 30_000,
    });
    await eventually(async () => (await podLabels(namespace, 'health-0'))[LABELS.gsOpsState] === 'None');
    await rm(healthy);
    const warning = await eventually(
      async () => (await gameServerEvents(namespace, 'Warning')).find((e) => e.involvedObject.name === 'health-0' && e.message === 'OpsState turn from None to Maintaining') ?? false,
      { description: 'Warning GsStateChanged to Maintaining', timeoutMs: 30_000 },
    );
    expect(warning.reason).toBe('GsStateChanged');
    // The event comes with the spec change; the probe's condition reaches the status a moment later.
    await eventually(async () => (await getGameServer(namespace, 'health-0')).status?.serviceQualitiesConditions?.[0]?.status === 'False', {
      description: 'health condition False',
    });
  });

  it('a probe that cannot run is a Warning event and an Unknown condition', async () => {
    const set = await createSet(namespace, 'broken', {
      serviceQualities: [{ name: 'nocontainer', containerName: 'missing', exec: { command: ['true'] }, ...fast, serviceQualityAction: [{ state: true, opsState: 'Allocated' }] }],
    });
    await createPod(namespace, set, 0);
    const warning = await eventually(
      async () => (await gameServerEvents(namespace, 'Warning')).find((e) => e.involvedObject.name === 'broken-0' && e.reason === 'ServiceQualityProbeError') ?? false,
      { description: 'Warning ServiceQualityProbeError', timeoutMs: 30_000 },
    );
    expect(warning.message).toContain('ContainerNotFound');
    const gs = await eventually(
      async () => {
        const found = await getGameServer(namespace, 'broken-0');
        return found.status?.serviceQualitiesConditions?.[0]?.status === 'Unknown' ? found : false;
      },
      { description: 'nocontainer condition Unknown' },
    );
    expect(gs.status?.serviceQualitiesConditions?.[0]).toMatchObject({ name: 'nocontainer', status: 'Unknown' });
    expect(gs.spec.opsState).toBe('None');
  });

  it('an httpGet probe reaches a server at the pod IP and its body templates deletionPriority', async () => {
    let body = '5';
    const server: Server = createServer((_request, response) => response.end(body));
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const set = await createSet(namespace, 'web', {
        serviceQualities: [
          { name: 'players', httpGet: { path: '/players', port }, ...fast, serviceQualityAction: [{ state: true, deletionPriority: '{{.Result}}' }] },
        ],
      });
      await createPod(namespace, set, 0);
      await eventually(async () => (await podLabels(namespace, 'web-0'))[LABELS.gsDeletePriority] === '5', { description: 'web-0 delete priority 5', timeoutMs: 30_000 });
      body = '9';
      await eventually(async () => (await getGameServer(namespace, 'web-0')).status?.deletionPriority === '9', { description: 'web-0 deletionPriority 9', timeoutMs: 30_000 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
