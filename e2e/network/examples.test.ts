// examples/network/*.yaml applied as a user would: each set's rooms reach a
// Ready network with the objects its plugin promises.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { giveNodesExternalIps, networksIn, readJson, readService } from './harness.js';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'network');
let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('ex-network');
  await giveNodesExternalIps();
  operator = await startOperator({ namespaces: [namespace] });
});
afterAll(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

describe('examples/network', () => {
  it('host-port.yaml: rooms on host ports of 8000-9000 at their node ExternalIP', async () => {
    await kubectl(['apply', '-n', namespace, '-f', join(examples, 'host-port.yaml')]);
    const statuses = await networksIn(namespace, ['gs-hostport-0', 'gs-hostport-1'], 'Ready');
    const ports = [...statuses.values()].map((s) => Number(s.externalAddresses?.[0]?.ports?.[0]?.port));
    expect(ports.every((p) => p >= 8000 && p <= 9000)).toBe(true);
    expect(new Set(ports).size).toBe(2);
    expect(statuses.get('gs-hostport-0')?.externalAddresses?.[0]?.ip).toMatch(/^203\.0\.113\./);
  });

  it('node-port.yaml: a NodePort Service per room', async () => {
    await kubectl(['apply', '-n', namespace, '-f', join(examples, 'node-port.yaml')]);
    await networksIn(namespace, ['gs-nodeport-0', 'gs-nodeport-1'], 'Ready');
    expect((await readService(namespace, 'gs-nodeport-1'))?.spec.type).toBe('NodePort');
  });

  it('ingress.yaml: an Ingress per room with its own paths', async () => {
    await kubectl(['apply', '-n', namespace, '-f', join(examples, 'ingress.yaml')]);
    await networksIn(namespace, ['ing-nginx-0', 'ing-nginx-1'], 'Ready');
    const ingress = await readJson<{ spec: { rules: { http: { paths: { path: string }[] } }[] } }>('ingress', namespace, 'ing-nginx-1');
    expect(ingress?.spec.rules[0]?.http.paths.map((p) => p.path)).toEqual(['/game1(/|$)(.*)', '/test-1']);
  });
});
