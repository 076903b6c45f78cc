// Kubernetes-Ingress on a real control plane: an Ingress and a Service per
// room, with the room's own paths (<id>), host, class, annotations and TLS,
// rewritten in place when the conf changes (Fixed keeps the same objects).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';
import { applySet, gameServerSet, livePods } from '../game-server-set/harness.js';
import { networksIn, readJson, readService } from './harness.js';

let namespace: string;
let operator: TestOperator;

beforeAll(async () => {
  namespace = await createTestNamespace('net-ingress');
  operator = await startOperator({ namespaces: [namespace], flags: ['--network-interval=1s'] });
});
afterAll(async () => {
  await operator.stop();
  await deleteTestNamespace(namespace);
});

interface IngressView {
  metadata: { uid: string; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  spec: {
    ingressClassName?: string;
    rules: { host?: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { number: number } } } }[] } }[];
    tls?: { hosts?: string[]; secretName?: string }[];
  };
}

const conf = (path: string, annotation: string) => [
  { name: 'IngressClassName', value: 'nginx' },
  { name: 'Port', value: '80' },
  { name: 'Path', value: path },
  { name: 'Path', value: '/api-<id>' },
  { name: 'PathType', value: 'Prefix' },
  { name: 'Host', value: 'room<id>.example.com' },
  { name: 'TlsHosts', value: 'room0.example.com,room1.example.com' },
  { name: 'TlsSecretName', value: 'rooms-tls' },
  { name: 'Annotation', value: annotation },
  { name: 'Annotation', value: 'example.com/team: blue' },
  { name: 'Fixed', value: 'true' },
];

describe('Kubernetes-Ingress', () => {
  it('routes each room its own paths, and rewrites the Ingress when the conf changes', async () => {
    await applySet(namespace, gameServerSet('web', 2, { network: { networkType: 'Kubernetes-Ingress', networkConf: conf('/game<id>(/|$)(.*)', 'nginx.ingress.kubernetes.io/rewrite-target: /$2') } }));
    const statuses = await networksIn(namespace, ['web-0', 'web-1'], 'Ready');
    for (const [id, name] of ['web-0', 'web-1'].entries()) {
      const ingress = await readJson<IngressView>('ingress', namespace, name);
      expect(ingress?.spec.ingressClassName).toBe('nginx');
      expect(ingress?.spec.rules).toEqual([
        {
          host: `room${id}.example.com`,
          http: {
            paths: [
              { path: `/game${id}(/|$)(.*)`, pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } },
              { path: `/api-${id}`, pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } },
            ],
          },
        },
      ]);
      expect(ingress?.spec.tls).toEqual([{ hosts: ['room0.example.com', 'room1.example.com'], secretName: 'rooms-tls' }]);
      expect(ingress?.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/rewrite-target': '/$2', 'example.com/team': 'blue' });
      expect(ingress?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'GameServerSet', name: 'web' })]);
      const service = await readService(namespace, name);
      expect(service?.spec.type).toBe('ClusterIP');
      expect(service?.spec.selector).toEqual({ 'statefulset.kubernetes.io/pod-name': name });
      const pod = (await livePods(namespace, 'web')).get(name);
      expect(statuses.get(name)?.internalAddresses).toEqual([
        { ip: pod?.status?.podIP, ports: [{ name: `/game${id}(/|$)(.*)`, port: 80, protocol: 'TCP' }, { name: `/api-${id}`, port: 80, protocol: 'TCP' }] },
      ]);
      expect(statuses.get(name)?.externalAddresses?.[0]?.endPoint).toBe(`room${id}.example.com`);
    }

    // A conf change: the same (Fixed) Ingress is rewritten with the new path and annotation; the dropped annotation goes.
    const before = await readJson<IngressView>('ingress', namespace, 'web-0');
    await kubectl(['patch', 'gss', 'web', '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { network: { networkType: 'Kubernetes-Ingress', networkConf: conf('/room<id>', 'example.com/tier: gold') } } })]);
    const after = await eventually(
      async () => {
        const ingress = await readJson<IngressView>('ingress', namespace, 'web-0');
        return ingress?.spec.rules[0]?.http.paths[0]?.path === '/room0' ? ingress : false;
      },
      { description: 'Ingress web-0 rewritten', timeoutMs: 90_000 },
    );
    expect(after.metadata.uid).toBe(before?.metadata.uid);
    expect(after.metadata.annotations?.['example.com/tier']).toBe('gold');
    expect(after.metadata.annotations?.['nginx.ingress.kubernetes.io/rewrite-target']).toBeUndefined();
    await networksIn(namespace, ['web-0', 'web-1'], 'Ready');
  });
});
