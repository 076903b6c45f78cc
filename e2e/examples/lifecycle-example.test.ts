// examples/lifecycle/room-drain.yaml applied as its header says: a scaled-down
// room waits in PreDelete, out of its Services, until its label goes.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';

const manifest = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'lifecycle', 'room-drain.yaml');
let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('ex-lifecycle');
  operator = await startOperator({ namespaces: [namespace] });
});
afterAll(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

const gsStates = async () => (await kubectl(['get', 'gs', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.currentState} {end}'])).trim();

describe('examples/lifecycle/room-drain.yaml', () => {
  it('holds a scaled-down room in PreDelete until example.com/room-open goes', async () => {
    await kubectl(['apply', '-n', namespace, '-f', manifest]);
    await eventually(async () => (await gsStates()) === 'rooms-0=Ready rooms-1=Ready rooms-2=Ready', { description: 'three rooms Ready' });
    await kubectl(['scale', 'gss', 'rooms', '-n', namespace, '--replicas=2']);
    await eventually(async () => (await gsStates()) === 'rooms-0=Ready rooms-1=Ready rooms-2=PreDelete', { description: 'rooms-2 PreDelete' });
    const ready = await kubectl(['get', 'pod', 'rooms-2', '-n', namespace, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
    expect(ready.trim()).toBe('False');
    await kubectl(['label', 'pod', 'rooms-2', '-n', namespace, 'example.com/room-open-']);
    await eventually(async () => (await gsStates()) === 'rooms-0=Ready rooms-1=Ready', { description: 'rooms-2 gone' });
  });
});
