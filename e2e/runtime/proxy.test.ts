// Proxies: the operator reaches the API server through an HTTP CONNECT proxy
// named by a kubeconfig's proxy-url or by HTTPS_PROXY (NO_PROXY honoured),
// for its requests, its watches and its pods/exec probes. The proxy here is a
// small CONNECT server on 127.0.0.1 that counts its tunnels.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, createTestNamespace, deleteTestNamespace, eventually, kubectl, startOperator, type TestOperator } from '../support/index.js';

interface Tunnel {
  readonly target: string;
  readonly authorization: string | undefined;
}

class ConnectProxy {
  readonly tunnels: Tunnel[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((_request, response) => response.writeHead(405).end());

  constructor() {
    this.server.on('connect', (request, client: Socket, head: Buffer) => {
      this.tunnels.push({ target: request.url ?? '', authorization: request.headers['proxy-authorization'] });
      const [host, port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const apiServer = () => new URL(adminKubeConfig().getCurrentCluster()!.server).host;

/** A set of two rooms with an exec probe every second. */
async function applyProbedSet(ns: string): Promise<void> {
  await kubectl(['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'game.kruise.io/v1alpha1',
      kind: 'GameServerSet',
      metadata: { name: 'proxied' },
      spec: {
        replicas: 2,
        serviceQualities: [{ name: 'alive', containerName: 'game', exec: { command: ['true'] }, initialDelaySeconds: 0, periodSeconds: 1, serviceQualityAction: [{ state: true, annotations: { 'example.com/probed': 'alive' } }] }],
        gameServerTemplate: { spec: { containers: [{ name: 'game', image: 'example.com/game:1.0' }] } },
      },
    }),
  });
}

async function roomsProbed(ns: string): Promise<void> {
  await eventually(
    async () => {
      const out = await kubectl(['get', 'gs', '-n', ns, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.currentState}/{.metadata.annotations.example\\.com/probed}{"\\n"}{end}']);
      expect(out.trim().split('\n').sort()).toEqual(['proxied-0=Ready/alive', 'proxied-1=Ready/alive']);
    },
    { timeoutMs: 90_000, description: 'two rooms Ready and probed' },
  );
}

describe('the operator behind a CONNECT proxy', () => {
  let proxy: ConnectProxy;
  let proxyAddress: string;
  let operator: TestOperator | undefined;
  let ns: string;

  beforeAll(async () => {
    proxy = new ConnectProxy();
    proxyAddress = await proxy.listen();
  });
  afterAll(async () => {
    await proxy.close();
  });
  afterEach(async () => {
    await operator?.stop();
    operator = undefined;
    await deleteTestNamespace(ns);
  });

  it("a kubeconfig's proxy-url carries requests, watches and exec probes, with the URL's credentials", async () => {
    ns = await createTestNamespace('proxy-url');
    const admin = adminKubeConfig();
    const cluster = admin.getCurrentCluster()!;
    const proxied = new KubeConfig();
    proxied.loadFromOptions({
      clusters: [{ ...cluster, proxyUrl: `http://gamekeeper:s3cret@${proxyAddress}` }],
      users: [admin.getCurrentUser()!],
      contexts: [{ name: 'proxied', cluster: cluster.name, user: admin.getCurrentUser()!.name }],
      currentContext: 'proxied',
    });
    const before = proxy.tunnels.length;
    operator = await startOperator({ namespaces: [ns], kubeConfig: proxied });
    await applyProbedSet(ns);
    await roomsProbed(ns);

    const tunnels = proxy.tunnels.slice(before);
    expect(new Set(tunnels.map((tunnel) => tunnel.target))).toEqual(new Set([apiServer()]));
    expect(new Set(tunnels.map((tunnel) => tunnel.authorization))).toEqual(new Set([`Basic ${Buffer.from('gamekeeper:s3cret').toString('base64')}`]));
    // Requests and watches keep their connections alive; every exec is a
    // websocket of its own, so probes keep opening tunnels while nothing else happens.
    const settled = proxy.tunnels.length;
    await eventually(() => expect(proxy.tunnels.length).toBeGreaterThanOrEqual(settled + 4), { timeoutMs: 20_000, description: 'exec probes through the proxy' });
    expect(operator.logs.filter((line) => /"level":"error"/.test(line))).toEqual([]);
  });

  it('HTTPS_PROXY carries them too, and NO_PROXY bypasses it', async () => {
    ns = await createTestNamespace('proxy-env');
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    const withEnv = async (env: Record<string, string>) => {
      Object.assign(process.env, env);
      try {
        // the client reads the environment once, when it is built
        return await startOperator({ namespaces: [ns] });
      } finally {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    };

    const before = proxy.tunnels.length;
    operator = await withEnv({ HTTPS_PROXY: `http://${proxyAddress}`, NO_PROXY: 'example.com' });
    await applyProbedSet(ns);
    await roomsProbed(ns);
    expect(proxy.tunnels.length).toBeGreaterThan(before);
    expect(new Set(proxy.tunnels.slice(before).map((tunnel) => tunnel.target))).toEqual(new Set([apiServer()]));
    await operator.stop();

    // NO_PROXY naming the API server: not one tunnel, while a new room is created and probed
    operator = await withEnv({ HTTPS_PROXY: `http://${proxyAddress}`, NO_PROXY: `example.com,${new URL(`https://${apiServer()}`).hostname}` });
    const bypassed = proxy.tunnels.length;
    await kubectl(['scale', 'gss', 'proxied', '-n', ns, '--replicas=3']);
    await eventually(
      async () => {
        const out = await kubectl(['get', 'gs', '-n', ns, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.currentState}/{.metadata.annotations.example\\.com/probed}{"\\n"}{end}']);
        expect(out.trim().split('\n').sort()).toEqual(['proxied-0=Ready/alive', 'proxied-1=Ready/alive', 'proxied-2=Ready/alive']);
      },
      { timeoutMs: 90_000, description: 'scaled to three and probed without the proxy' },
    );
    expect(proxy.tunnels.length).toBe(bypassed);
  });
});
