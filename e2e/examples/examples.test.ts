// Every manifest under examples/ applied as a user would (kubectl apply -f)
// against the cluster with the operator running, and checked for what its
// header comment promises.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readWorkflow, runWorkflowSteps, stepNames } from '../autoscaling/argo-steps.js';
import {
  createTestNamespace,
  deleteTestNamespace,
  e2eEnvironment,
  eventually,
  kubectl,
  runCommand,
  startOperator,
  type CommandResult,
  type TestOperator,
} from '../support/index.js';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
const example = (path: string) => join(examples, path);

const namespaces: string[] = [];
let operator: TestOperator;

async function namespaceFor(prefix: string): Promise<string> {
  const namespace = await createTestNamespace(prefix);
  namespaces.push(namespace);
  return namespace;
}

beforeAll(async () => {
  for (const prefix of ['ex-minecraft', 'ex-hot', 'ex-idle', 'ex-healthy', 'ex-release', 'ex-workflow', 'ex-relay', 'ex-rooms', 'ex-hpa']) {
    await namespaceFor(prefix);
  }
  operator = await startOperator({ namespaces });
});
afterAll(async () => {
  await operator.stop();
  for (const namespace of namespaces) await deleteTestNamespace(namespace);
});

const ns = (prefix: string) => namespaces.find((n) => n.startsWith(`${prefix}-`))!;

async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

interface PodList {
  items: {
    metadata: { name: string; uid: string; labels?: Record<string, string> };
    spec: { hostname?: string; subdomain?: string; hostNetwork?: boolean; initContainers?: unknown[]; containers: { name: string; image: string }[] };
    status: { conditions?: { type: string; status: string }[]; containerStatuses?: { name: string; restartCount: number; image: string }[] };
  }[];
}
type Pod = PodList['items'][number];
const isReady = (pod: Pod) => pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const pods = (namespace: string, gss: string) => json<PodList>(['get', 'pods', '-n', namespace, '-l', `game.kruise.io/owner-gss=${gss}`]);

interface GameServer {
  metadata: { name: string };
  spec: { opsState?: string };
  status?: { currentState?: string };
}
const gameServer = (namespace: string, name: string) => json<GameServer>(['get', 'gs', name, '-n', namespace]);

async function readyServers(namespace: string, gss: string, count: number): Promise<Pod[]> {
  return eventually(
    async () => {
      const list = await pods(namespace, gss);
      const ready = list.items.filter(isReady);
      expect(ready).toHaveLength(count);
      const set = await json<{ status?: { readyReplicas?: number } }>(['get', 'gss', gss, '-n', namespace]);
      expect(set.status?.readyReplicas).toBe(count);
      return ready.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name, 'en', { numeric: true }));
    },
    { timeoutMs: 90_000, description: `${count} Ready servers of gss/${namespace}/${gss}` },
  );
}

/** Runs a bash script with the cluster's kubectl on PATH and the namespace as kubectl's default. */
async function runBash(script: string, namespace: string, env: Record<string, string> = {}): Promise<CommandResult> {
  const { binDir } = e2eEnvironment();
  const dir = await mkdtemp(join(tmpdir(), 'gamekeeper-example-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await kubectl(['config', 'view', '--raw', '--minify', '-o', 'yaml']).then((raw) => writeFile(kubeconfig, raw));
  await kubectl(['config', 'set-context', '--current', `--namespace=${namespace}`, `--kubeconfig=${kubeconfig}`]);
  return runCommand('bash', ['-c', script], {
    env: { PATH: `${binDir}:${process.env.PATH ?? ''}`, KUBECONFIG: kubeconfig, NAMESPACE: namespace, ...env },
    timeoutMs: 180_000,
  });
}

/** Points kwok's exec for one pod at a directory holding the given scripts. */
async function execScripts(namespace: string, pod: string, scripts: Record<string, string>): Promise<void> {
  const dir = join(e2eEnvironment().runDir, 'exec', namespace, pod);
  await mkdir(dir, { recursive: true });
  for (const [name, body] of Object.entries(scripts)) await writeFile(join(dir, name), body, { mode: 0o755 });
  const manifest = { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Exec', metadata: { name: pod, namespace }, spec: { execs: [{ local: { workDir: dir } }] } };
  await kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
}

describe('examples/minecraft.yaml', () => {
  it('creates the five servers around the reserved ids, and game-server.yaml puts minecraft-0 into maintenance', async () => {
    const namespace = ns('ex-minecraft');
    await kubectl(['apply', '-n', namespace, '-f', example('minecraft.yaml')]);
    const ready = await readyServers(namespace, 'minecraft', 5);
    expect(ready.map((p) => p.metadata.name)).toEqual(['minecraft-0', 'minecraft-2', 'minecraft-3', 'minecraft-4', 'minecraft-5']);

    await kubectl(['apply', '-n', namespace, '-f', example('game-server.yaml')]);
    await eventually(async () => {
      const [pod] = (await pods(namespace, 'minecraft')).items.filter((p) => p.metadata.name === 'minecraft-0');
      expect(pod?.metadata.labels?.['game.kruise.io/gs-opsState']).toBe('Maintaining');
      expect(pod?.spec.containers.find((c) => c.name === 'minecraft')?.image).toBe('registry.cn-hangzhou.aliyuncs.com/acs/minecraft-demo:1.12.2-debug');
    });
  });
});

describe('examples/hot-update', () => {
  it('updates the sidecar in place: same pods, the sidecar restarted once, the game untouched', async () => {
    const namespace = ns('ex-hot');
    await kubectl(['apply', '-n', namespace, '-f', example('hot-update/gameserverset.yaml')]);
    const before = await readyServers(namespace, 'minecraft', 3);
    const sidecarV2 = 'registry.cn-hangzhou.aliyuncs.com/gs-demo/sidecar:v0.2';
    await kubectl(['patch', 'gss', 'minecraft', '-n', namespace, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/gameServerTemplate/spec/containers/1/image', value: sidecarV2 }])]);
    await eventually(
      async () => {
        const after = (await pods(namespace, 'minecraft')).items;
        expect(after.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
        for (const pod of after) {
          expect(isReady(pod)).toBe(true);
          const statuses = Object.fromEntries((pod.status.containerStatuses ?? []).map((s) => [s.name, s]));
          expect(statuses.sidecar).toMatchObject({ image: sidecarV2, restartCount: 1 });
          expect(statuses.minecraft?.restartCount).toBe(0);
        }
      },
      { timeoutMs: 90_000, description: 'the sidecar updated in place on every pod' },
    );
  });
});

describe('examples/service-quality', () => {
  it('idle: servers whose idle.sh succeeds become WaitToBeDeleted, one with players stays None', async () => {
    const namespace = ns('ex-idle');
    for (const pod of ['minecraft-0', 'minecraft-2']) await execScripts(namespace, pod, { 'idle.sh': 'exit 0\n' });
    await execScripts(namespace, 'minecraft-1', { 'idle.sh': 'echo 3 players; exit 1\n' });
    await kubectl(['apply', '-n', namespace, '-f', example('service-quality/idle.yaml')]);
    await readyServers(namespace, 'minecraft', 3);
    await eventually(
      async () => {
        expect((await gameServer(namespace, 'minecraft-0')).spec.opsState).toBe('WaitToBeDeleted');
        expect((await gameServer(namespace, 'minecraft-1')).spec.opsState).toBe('None');
        expect((await gameServer(namespace, 'minecraft-2')).spec.opsState).toBe('WaitToBeDeleted');
      },
      { timeoutMs: 60_000, description: 'opsState set by the idle probe' },
    );
  });

  it('healthy: a failing health script marks the server Maintaining and raises a Warning event on its GameServer', async () => {
    const namespace = ns('ex-healthy');
    for (const pod of ['demo-gs-1', 'demo-gs-2']) await execScripts(namespace, pod, { 'healthy.sh': 'exit 0\n' });
    await execScripts(namespace, 'demo-gs-0', { 'healthy.sh': 'echo game process down >&2; exit 1\n' });
    await kubectl(['apply', '-n', namespace, '-f', example('service-quality/healthy.yaml')]);
    await readyServers(namespace, 'demo-gs', 3);
    await eventually(
      async () => {
        expect((await gameServer(namespace, 'demo-gs-0')).spec.opsState).toBe('Maintaining');
        expect((await gameServer(namespace, 'demo-gs-1')).spec.opsState).toBe('None');
        const events = await json<{ items: { involvedObject: { kind: string; name: string }; type: string }[] }>([
          'get', 'events', '-n', namespace, '--field-selector', 'type=Warning,involvedObject.kind=GameServer',
        ]);
        expect(events.items.some((e) => e.involvedObject.name === 'demo-gs-0')).toBe(true);
      },
      { timeoutMs: 60_000, description: 'demo-gs-0 in maintenance with a Warning event' },
    );
  });
});

describe('examples/room-release', () => {
  const newImage = 'registry.cn-hangzhou.aliyuncs.com/acs/minecraft-demo:1.12.2-new';

  async function startOldRooms(namespace: string): Promise<Pod[]> {
    await kubectl(['apply', '-n', namespace, '-f', example('room-release/gameserverset.yaml')]);
    const rooms = await readyServers(namespace, 'minecraft', 3);
    await eventually(() => gameServer(namespace, 'minecraft-0'));
    await kubectl(['patch', 'gs', 'minecraft-0', '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"Allocated"}}']);
    return rooms;
  }

  async function expectReleased(namespace: string, oldRooms: Pod[]): Promise<void> {
    const after = (await pods(namespace, 'minecraft')).items;
    // OnDelete: the three old rooms are the same pods on the old image
    for (const old of oldRooms) {
      const pod = after.find((p) => p.metadata.name === old.metadata.name);
      expect(pod?.metadata.uid).toBe(old.metadata.uid);
      expect(pod?.spec.containers[0]?.image).toBe('registry.cn-hangzhou.aliyuncs.com/acs/minecraft-demo:1.12.2');
    }
    const opsStates = Object.fromEntries(
      await Promise.all(['minecraft-0', 'minecraft-1', 'minecraft-2', 'minecraft-3', 'minecraft-4', 'minecraft-5'].map(async (name) => [name, (await gameServer(namespace, name)).spec.opsState])),
    );
    expect(opsStates).toEqual({
      'minecraft-0': 'Allocated',
      'minecraft-1': 'WaitToBeDeleted',
      'minecraft-2': 'WaitToBeDeleted',
      'minecraft-3': 'None',
      'minecraft-4': 'None',
      'minecraft-5': 'None',
    });
    // the scale-in that follows a release removes exactly the idle old rooms
    await kubectl(['scale', 'gss', 'minecraft', '-n', namespace, '--replicas=4']);
    await eventually(
      async () => expect((await pods(namespace, 'minecraft')).items.map((p) => p.metadata.name).sort()).toEqual(['minecraft-0', 'minecraft-3', 'minecraft-4', 'minecraft-5']),
      { timeoutMs: 60_000, description: 'only the idle old rooms scaled away' },
    );
  }

  it('release.sh: new rooms on the new image, idle old rooms WaitToBeDeleted, the room with players untouched', async () => {
    const namespace = ns('ex-release');
    const oldRooms = await startOldRooms(namespace);
    const result = await runBash(`bash ${example('room-release/release.sh')}`, namespace, { TIMEOUT_SECONDS: '120' });
    expect(result).toMatchObject({ code: 0 });
    await expectReleased(namespace, oldRooms);
  });

  it('workflow.yaml: the Argo steps, run in order with the workflow parameters, do the same', async () => {
    const namespace = ns('ex-workflow');
    const oldRooms = await startOldRooms(namespace);
    const workflow = await readWorkflow(example('room-release/workflow.yaml'));
    expect(workflow.spec.arguments.parameters.find((p) => p.name === 'image')?.value).toBe(newImage);
    expect(stepNames(workflow)).toEqual(['patch-image', 'scale-out', 'wait-new-rooms-ready', 'read-update-revision', 'list-idle-old-rooms', 'retire-idle-old-rooms']);
    expect(stepNames(workflow, 'retire-idle-old-room')).toEqual(['mark-wait-to-be-deleted', 'wait-removed']);
    // wait-removed waits for the autoscaler; here the scale-in below plays it
    // (e2e/autoscaling/room-release.test.ts runs it with the external scaler).
    await runWorkflowSteps(workflow, namespace, { skip: ['wait-removed'] });
    await expectReleased(namespace, oldRooms);
  });
});

describe('examples/statefulset-style', () => {
  it('relay: host network, init container, config volume, stable hostnames under the headless Service', async () => {
    const namespace = ns('ex-relay');
    await kubectl(['apply', '-n', namespace, '-f', example('statefulset-style/relay.yaml')]);
    const ready = await readyServers(namespace, 'relay', 5);
    expect(ready.map((p) => p.metadata.name)).toEqual(['relay-0', 'relay-1', 'relay-2', 'relay-3', 'relay-4']);
    for (const pod of ready) {
      expect(pod.spec).toMatchObject({ hostNetwork: true, hostname: pod.metadata.name, subdomain: 'relay' });
      expect(pod.spec.initContainers).toHaveLength(1);
    }
  });

  it('room server: OrderedReady creation with a claim per ordinal', async () => {
    const namespace = ns('ex-rooms');
    await kubectl(['apply', '-f', example('statefulset-style/local-volumes.yaml')]);
    try {
      await kubectl(['apply', '-n', namespace, '-f', example('statefulset-style/room-server.yaml')]);
      const ready = await readyServers(namespace, 'rumpetroll', 5);
      expect(ready.map((p) => p.metadata.name)).toEqual(['rumpetroll-0', 'rumpetroll-1', 'rumpetroll-2', 'rumpetroll-3', 'rumpetroll-4']);
      const claims = await json<{ items: { metadata: { name: string }; status: { phase: string } }[] }>(['get', 'pvc', '-n', namespace]);
      expect(claims.items.map((c) => [c.metadata.name, c.status.phase]).sort()).toEqual(
        [0, 1, 2, 3, 4].map((i) => [`saves-rumpetroll-${i}`, 'Bound']),
      );
    } finally {
      await kubectl(['delete', 'gss', 'rumpetroll', '-n', namespace, '--wait=false']);
      await kubectl(['delete', 'pv', '-l', 'gamekeeper.dev/example=local-volume', '--wait=false']);
    }
  });
});

describe('examples/autoscaling/hpa.yaml', () => {
  it('the HPA reads and writes the set through its scale subresource', async () => {
    const namespace = ns('ex-hpa');
    await kubectl(['apply', '-n', namespace, '-f', example('minecraft.yaml'), '-f', example('autoscaling/hpa.yaml')]);
    // no metrics-server here: the HPA still raises the set to minReplicas (6)
    await readyServers(namespace, 'minecraft', 6);
    const hpa = await json<{ status: { conditions?: { type: string; status: string; reason: string }[] } }>(['get', 'hpa', 'minecraft', '-n', namespace]);
    expect(hpa.status.conditions?.find((c) => c.type === 'AbleToScale')).toMatchObject({ status: 'True' });
  });
});

describe('examples/alerting/kube-eventer.yaml', () => {
  it('applies: a kube-eventer Deployment that may read events, forwarding Warning events of GameServers', async () => {
    await kubectl(['apply', '-f', example('alerting/kube-eventer.yaml')]);
    try {
      const deployment = await json<{ spec: { template: { spec: { containers: { command: string[] }[] } } } }>(['get', 'deployment', 'kube-eventer', '-n', 'kube-system']);
      expect(deployment.spec.template.spec.containers[0]?.command.join(' ')).toContain('level=Warning&kinds=GameServer');
      const allowed = await kubectl(['auth', 'can-i', 'watch', 'events', '--all-namespaces', '--as=system:serviceaccount:kube-system:kube-eventer']);
      expect(allowed.trim()).toBe('yes');
    } finally {
      await kubectl(['delete', '-f', example('alerting/kube-eventer.yaml'), '--wait=false']);
    }
  });
});
