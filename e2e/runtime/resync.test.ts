// The periodic resync (--sync-period, controller-runtime's SyncPeriod): with
// nothing changing in the cluster, every cached set is reconciled again each
// period, so a decision missed on an event is caught up without a restart.
// (A period of 0 never resyncs: src/runtime/informer.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';

let namespace: string;
let operator: TestOperator | undefined;

beforeEach(async () => {
  namespace = await createTestNamespace('resync');
});
afterEach(async () => {
  await operator?.stop();
  await deleteTestNamespace(namespace);
});

const reconcilesOf = (logs: readonly string[], name: string) =>
  logs.filter((line) => line.includes('"controller":"gameserverset"') && line.includes(`"name":"${name}"`) && /"message":"reconciled/.test(line)).length;

describe('periodic resync', () => {
  it('reconciles a quiet set again every period, writing nothing', async () => {
    operator = await startOperator({ namespaces: [namespace], flags: ['--sync-period=1s'] });
    await kubectl(['apply', '-n', namespace, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'game.kruise.io/v1alpha1',
        kind: 'GameServerSet',
        metadata: { name: 'quiet' },
        spec: { replicas: 1, gameServerTemplate: { spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] } } },
      }),
    });
    await eventually(async () => expect(await kubectl(['get', 'gs', 'quiet-0', '-n', namespace, '-o', 'jsonpath={.status.currentState}'])).toBe('Ready'), { timeoutMs: 60_000 });
    // the set's status settled (its last count written)
    await eventually(async () => expect(await kubectl(['get', 'gss', 'quiet', '-n', namespace, '-o', 'jsonpath={.status.readyReplicas}/{.status.availableReplicas}/{.status.updatedReadyReplicas}'])).toBe('1/1/1'), {
      timeoutMs: 30_000,
    });
    const resourceVersion = await kubectl(['get', 'gss', 'quiet', '-n', namespace, '-o', 'jsonpath={.metadata.resourceVersion}']);
    const settled = reconcilesOf(operator.logs, 'quiet');
    const resyncs = () => operator!.logs.filter((line) => line.includes('"informer":"gameserversets"') && line.includes('"message":"resync"')).length;
    const resyncsBefore = resyncs();
    await eventually(
      () => {
        expect(resyncs()).toBeGreaterThanOrEqual(resyncsBefore + 3);
        expect(reconcilesOf(operator!.logs, 'quiet')).toBeGreaterThanOrEqual(settled + 3);
      },
      { timeoutMs: 15_000, description: 'three resyncs, each a reconcile of the set' },
    );
    // the resyncs read and decide; with nothing to change they write nothing
    expect(await kubectl(['get', 'gss', 'quiet', '-n', namespace, '-o', 'jsonpath={.metadata.resourceVersion}'])).toBe(resourceVersion);
  });
});
