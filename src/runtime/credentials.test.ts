import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfigError, loadCredentials } from './credentials.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = { server: 'https://127.0.0.1:6443/' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'credentials-'));
  const path = join(dir, 'config');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: ctx',
      'contexts:',
      '- name: ctx',
      '  context: {cluster: c, user: u}',
      'clusters:',
      `- name: c`,
      `  cluster: ${JSON.stringify(cluster)}`,
      'users:',
      '- name: u',
      `  user: ${JSON.stringify(user)}`,
    ].join('\n'),
  );
  return path;
}

describe('loadCredentials', () => {
  it('reads inline certificates and trims the server URL', async () => {
    const path = kubeconfig(
      { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
      { server: 'https://127.0.0.1:6443/', 'certificate-authority-data': b64('CA'), 'tls-server-name': 'kubernetes' },
    );
    const credentials = await loadCredentials(path);
    expect(credentials.server).toBe('https://127.0.0.1:6443');
    const connection = await credentials.connection();
    expect(connection.ca?.toString()).toBe('CA');
    expect(connection.cert?.toString()).toBe('CERT');
    expect(connection.key?.toString()).toBe('KEY');
    expect(connection.servername).toBe('kubernetes');
    expect(connection.headers).toEqual({});
  });

  it('reads certificate files relative to the kubeconfig and a bearer token', async () => {
    const path = kubeconfig({ token: 'secret' }, { server: 'https://h:1', 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true });
    writeFileSync(join(path, '..', 'ca.crt'), 'CA FILE');
    const connection = await (await loadCredentials(path)).connection();
    expect(connection.ca?.toString()).toBe('CA FILE');
    expect(connection.rejectUnauthorized).toBe(false);
    expect(connection.headers).toEqual({ Authorization: 'Bearer secret' });
  });

  it("keeps the cluster's proxy-url, read directly or through client-node", async () => {
    const cluster = { server: 'https://h:1', 'proxy-url': 'http://proxy.example.com:3128' };
    expect((await loadCredentials(kubeconfig({ token: 'secret' }, cluster))).proxyUrl).toBe('http://proxy.example.com:3128');
    expect((await loadCredentials(kubeconfig({ username: 'admin', password: 'pw' }, cluster))).proxyUrl).toBe('http://proxy.example.com:3128');
    expect((await loadCredentials(kubeconfig({ token: 'secret' }))).proxyUrl).toBeUndefined();
  });

  it('re-reads a token file once it is a minute old', async () => {
    const path = kubeconfig({ tokenFile: 'token' });
    const tokenPath = join(path, '..', 'token');
    writeFileSync(tokenPath, 'one\n');
    let now = 0;
    const credentials = await loadCredentials(path, { now: () => now });
    expect((await credentials.connection()).headers.Authorization).toBe('Bearer one');
    writeFileSync(tokenPath, 'two\n');
    now = 30_000;
    expect((await credentials.connection()).headers.Authorization).toBe('Bearer one');
    now = 61_000;
    expect((await credentials.connection()).headers.Authorization).toBe('Bearer two');
  });

  it('hands any other kind of user to client-node (basic auth here)', async () => {
    const credentials = await loadCredentials(kubeconfig({ username: 'admin', password: 'pw' }));
    expect(credentials.server).toBe('https://127.0.0.1:6443');
    expect((await credentials.connection()).headers.Authorization).toBe(`Basic ${b64('admin:pw')}`);
  });

  it('uses $KUBECONFIG when no path is given and not in a pod', async () => {
    const path = kubeconfig({ token: 't' }, { server: 'https://from-env:6443' });
    expect((await loadCredentials(undefined, { env: { KUBECONFIG: path } })).server).toBe('https://from-env:6443');
  });

  it.each([
    ['a missing file', '/nonexistent/kubeconfig', /cannot read kubeconfig/],
    ['malformed YAML', 'yaml', /cannot read kubeconfig/],
    ['a current-context that is not defined', 'context', /current-context "other" is not defined/],
    ['a cluster without a server', 'server', /cluster "c" has no server/],
  ])('%s is a KubeConfigError', async (_name, kind, message) => {
    let path = kind;
    if (kind === 'yaml' || kind === 'context' || kind === 'server') {
      path = kubeconfig({ token: 't' }, kind === 'server' ? { 'certificate-authority-data': b64('CA') } : undefined);
      if (kind === 'yaml') writeFileSync(path, 'clusters: [unclosed');
      if (kind === 'context') writeFileSync(path, 'current-context: other\ncontexts: []\n');
    }
    const loading = loadCredentials(path);
    await expect(loading).rejects.toBeInstanceOf(KubeConfigError);
    await expect(loading).rejects.toThrow(message);
  });
});

describe('loadCredentials with a context (kubectl --context)', () => {
  function twoContexts(): string {
    const dir = mkdtempSync(join(tmpdir(), 'credentials-'));
    const path = join(dir, 'config');
    writeFileSync(
      path,
      [
        'current-context: a',
        'contexts:',
        '- {name: a, context: {cluster: ca, user: u}}',
        '- {name: b, context: {cluster: cb, user: u, namespace: games}}',
        'clusters:',
        '- {name: ca, cluster: {server: "https://a:1"}}',
        '- {name: cb, cluster: {server: "https://b:2"}}',
        'users:',
        '- {name: u, user: {token: t}}',
      ].join('\n'),
    );
    return path;
  }

  it.each([
    ['the current context without one', undefined, 'https://a:1'],
    ['the named context', 'b', 'https://b:2'],
  ])('%s', async (_name, context, server) => {
    expect((await loadCredentials(twoContexts(), context ? { context } : {})).server).toBe(server);
  });

  it('names a context that is not defined', async () => {
    await expect(loadCredentials(twoContexts(), { context: 'c' })).rejects.toThrow(/context "c" is not defined/);
  });

  it('selects the context in $KUBECONFIG files too', async () => {
    const path = twoContexts();
    expect((await loadCredentials(undefined, { env: { KUBECONFIG: path }, context: 'b' })).server).toBe('https://b:2');
  });
});
