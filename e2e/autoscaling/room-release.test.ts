// Seed 001's lossless room release end to end, with gamekeeper's external
// scaler: the test plays KEDA and its HPA (it polls GetMetrics over gRPC with
// room-release/scaledobject.yaml's metadata and writes the value into
// replicas through the scale subresource). The release ends with the idle old
// rooms gone through the scaler; the old room with players stays until its
// opsState changes, then goes too.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../cluster/ports.js';
import { livePods, readSet, sorted } from '../game-server-set/harness.js';
import { createTestNamespace, deleteTestNamespace, e2eEnvironment, eventually, kubectl, runCommand, runKubectl, startOperator, type TestOperator } from '../support/index.js';
import { readWorkflow, runWorkflowSteps } from './argo-steps.js';
import { ScalerClient } from './scaler-client.js';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'room-release');
const OLD = 'registry.cn-hangzhou.aliyuncs.com/acs/minecraft-demo:1.12.2';
const NEW = `${OLD}-new`;

let namespaces: string[] = [];
let operator: TestOperator;
let client: ScalerClient;

beforeAll(async () => {
  namespaces = [await createTestNamespace('release-wf'), await createTestNamespace('release-sh')];
  const port = await freePort();
  operator = await startOperator({ namespaces, flags: [`--external-scaler-port=${port}`] });
  client = new ScalerClient(`127.0.0.1:${port}`);
});
afterAll(async () => {
  client?.close();
  await operator?.stop();
  for (const namespace of namespaces) await deleteTestNamespace(namespace);
});

/**
 * KEDA's part, until stopped: every 300 ms, GetMetrics with the
 * ScaledObject's trigger metadata; when gssReplicas differs from the set's
 * replicas, write it through the scale subresource (what KEDA's HPA does with
 * AverageValue and target 1). Only once the operator has seen the set's
 * latest spec (observedGeneration), and with the resourceVersion read as a
 * precondition, so a scale-out written by the release in between is not
 * overwritten by an answer computed before it. Returns the values written.
 */
function playKeda(namespace: string, metadata: Record<string, string>): { stop: () => Promise<number[]> } {
  const written: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const set = await readSet(namespace, 'minecraft');
      if (set.status?.observedGeneration === set.metadata.generation) {
        const desired = await client.metric({ name: 'minecraft', namespace, scalerMetadata: metadata }).catch(() => undefined);
        if (desired !== undefined && desired !== set.spec.replicas) {
          const result = await runKubectl(['scale', 'gss', 'minecraft', '-n', namespace, `--resource-version=${set.metadata.resourceVersion}`, `--replicas=${desired}`]);
          if (result.code === 0) written.push(desired);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return written;
    },
  };
}

async function scaledObjectMetadata(): Promise<Record<string, string>> {
  const scaledObject = parseYaml(await readFile(join(examples, 'scaledobject.yaml'), 'utf8')) as { spec: { triggers: { metadata: Record<string, string> }[] } };
  return scaledObject.spec.triggers[0]!.metadata;
}

async function oldRooms(namespace: string): Promise<Map<string, string | undefined>> {
  await kubectl(['apply', '-n', namespace, '-f', join(examples, 'gameserverset.yaml')]);
  await eventually(async () => (await readSet(namespace, 'minecraft')).status?.readyReplicas === 3, { description: 'three old rooms Ready' });
  await eventually(async () => (await kubectl(['get', 'gs', '-n', namespace, '-o', 'name'])).trim().split('\n').length === 3, { description: 'three GameServers' });
  await kubectl(['patch', 'gs', 'minecraft-0', '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"Allocated"}}']);
  await eventually(async () => (await livePods(namespace, 'minecraft')).get('minecraft-0')?.metadata?.labels?.['game.kruise.io/gs-opsState'] === 'Allocated');
  return new Map([...(await livePods(namespace, 'minecraft'))].map(([name, pod]) => [name, pod.metadata?.uid]));
}

const image = (pod: { spec?: { containers: { image?: string }[] } } | undefined) => pod?.spec?.containers[0]?.image;

async function expectOldIdleRoomsGone(namespace: string, before: Map<string, string | undefined>): Promise<void> {
  const pods = await livePods(namespace, 'minecraft');
  expect(sorted(pods.keys())).toEqual(['minecraft-0', 'minecraft-3', 'minecraft-4', 'minecraft-5']);
  expect(pods.get('minecraft-0')?.metadata?.uid).toBe(before.get('minecraft-0'));
  expect(image(pods.get('minecraft-0'))).toBe(OLD);
  for (const name of ['minecraft-3', 'minecraft-4', 'minecraft-5']) expect(image(pods.get(name))).toBe(NEW);
  expect((await readSet(namespace, 'minecraft')).spec.replicas).toBe(4);
}

async function playersLeave(namespace: string): Promise<void> {
  // the idle probe of seed 003 would do this when the last player leaves
  await kubectl(['patch', 'gs', 'minecraft-0', '-n', namespace, '--type=merge', '-p', '{"spec":{"opsState":"WaitToBeDeleted"}}']);
  await eventually(async () => JSON.stringify(sorted((await livePods(namespace, 'minecraft')).keys())) === JSON.stringify(['minecraft-3', 'minecraft-4', 'minecraft-5']), {
    description: 'the old room goes once its players left',
  });
  const pods = await livePods(namespace, 'minecraft');
  for (const pod of pods.values()) expect(image(pod)).toBe(NEW);
}

/**
 * What KEDA wrote: only scale-downs, never below the rooms kept (a room marked
 * between two polls may show as one step, 6 → 5 → 4), ending at 4 (idle old
 * rooms gone) then 3 (the old room with players gone once idle).
 */
function expectScaledDownStepwise(written: number[]): void {
  expect(written.slice(-2)).toEqual([4, 3]);
  for (const [i, value] of written.entries()) {
    expect(value).toBeGreaterThanOrEqual(3);
    if (i > 0) expect(value).toBeLessThan(written[i - 1]!);
  }
}

describe('the room release, end to end through the external scaler', () => {
  it('workflow.yaml: old idle rooms go through the scaler, the Allocated old room stays until its players leave', async () => {
    const namespace = namespaces[0]!;
    const before = await oldRooms(namespace);
    const workflow = await readWorkflow(join(examples, 'workflow.yaml'));

    // Step 6's patch refuses a room that is no longer idle: its JSON-patch test fails and opsState stays.
    const retire = workflow.spec.templates.find((t) => t.name === 'mark-wait-to-be-deleted')!.container!.args!.map((arg) => arg.replace('{{inputs.parameters.room}}', 'minecraft-0'));
    const refused = await runKubectl(['-n', namespace, ...retire]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/invalid/i); // the API server answers 422 when a test op fails
    expect((await kubectl(['get', 'gs', 'minecraft-0', '-n', namespace, '-o', 'jsonpath={.spec.opsState}'])).trim()).toBe('Allocated');

    const keda = playKeda(namespace, await scaledObjectMetadata());
    let written: number[];
    try {
      const runs = await runWorkflowSteps(workflow, namespace, { timeoutMs: 150_000 });
      const marked = runs.filter((r) => r.step === 'mark-wait-to-be-deleted' && r.result.code === 0).map((r) => r.inputs.room);
      expect(marked.sort()).toEqual(['minecraft-1', 'minecraft-2']);
      await expectOldIdleRoomsGone(namespace, before);
      await playersLeave(namespace);
    } finally {
      written = await keda.stop();
    }
    expectScaledDownStepwise(written);
  });

  it('release.sh with SCALE_DOWN_TIMEOUT: the same, ending when the scaler removed the idle old rooms', async () => {
    const namespace = namespaces[1]!;
    const before = await oldRooms(namespace);
    const { binDir, kubeconfigPath } = e2eEnvironment();
    const keda = playKeda(namespace, await scaledObjectMetadata());
    let written: number[];
    try {
      const result = await runCommand('bash', [join(examples, 'release.sh')], {
        env: { KUBECTL: join(binDir, 'kubectl'), KUBECONFIG: kubeconfigPath, NAMESPACE: namespace, TIMEOUT_SECONDS: '120', SCALE_DOWN_TIMEOUT: '2m' },
        timeoutMs: 240_000,
      });
      expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
      expect(result.stdout).toMatch(/gameserver.game.kruise.io\/minecraft-1 patched/);
      expect(result.stdout).toMatch(/gameserver\/minecraft-0 kept: its opsState is Allocated/);
      await expectOldIdleRoomsGone(namespace, before);
      await playersLeave(namespace);
    } finally {
      written = await keda.stop();
    }
    expectScaledDownStepwise(written);
  });
});
