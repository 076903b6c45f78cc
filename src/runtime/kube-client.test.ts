import { describe, expect, it } from '@jest/globals';
import type { Agent } from 'node:https';
import { KubeClient, resourceOfPath } from './kube-client.js';
import type { ConnectionOptions } from './credentials.js';

/** A self-signed test CA (public certificate only). */
const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUeUaLRHcVu9E4dp/vafY6nR2OpMAwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSZ2FtZWtlZXBlci10ZXN0LWNhMCAXDTI2MTEyNjA1MDg1M1oY
DzIxMjYxMTAyMDUwODUzWjAdMRswGQYDVQQDDBJnYW1la2VlcGVyLXRlc3QtY2Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQPd73govxPo3fIzyowExPqil8MQ4Q9
SQ568pCS1R6J2mhDTpJbJ9DXbblbeN8Ora5yQBA+jf/oZ+p9FTWxHNxho1MwUTAd
BgNVHQ4EFgQUSmlGwZcHGAA2nU5dC0Q1fl0fJgUwHwYDVR0jBBgwFoAUSmlGwZcH
GAA2nU5dC0Q1fl0fJgUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEA9gamJvZE0h0TwEu7JNaxyvwFcqWEKRwULwK90zp6yJ4CIFobHyG3Hv+gotfi
S1jV/+5LJ1DQ/JV/wh13gUj/Dzla
-----END CERTIFICATE-----
`;

describe('KubeClient connection pools', () => {
  const client = (connection: ConnectionOptions) =>
    new KubeClient({ credentials: { server: 'https://127.0.0.1:6443', connection: () => Promise.resolve(connection) }, env: {} });

  it('hands every connection of a pool one TLS context, built once from the CA, not the CA itself', async () => {
    // Without a shared context node parses the TLS material again for each
    // connection (each exec is one) and keeps it until a full GC.
    const kube = client({ ca: Buffer.from(TEST_CA), headers: {} });
    const first = (await kube.websocketTarget('/api/v1/namespaces/a/pods/p/exec', new URLSearchParams())).agent as Agent;
    const second = (await kube.websocketTarget('/api/v1/namespaces/a/pods/q/exec', new URLSearchParams())).agent as Agent;
    expect(second).toBe(first);
    const options = first.options as { secureContext?: unknown; ca?: unknown };
    expect(options.secureContext).toBeDefined();
    expect(options.ca).toBeUndefined();
  });

  it('builds a new context when the TLS material changes (rotated certificates)', async () => {
    let ca = Buffer.from(TEST_CA);
    const kube = new KubeClient({ credentials: { server: 'https://127.0.0.1:6443', connection: () => Promise.resolve({ ca, headers: {} }) }, env: {} });
    const before = ((await kube.websocketTarget('/x', new URLSearchParams())).agent as Agent).options as { secureContext?: unknown };
    ca = Buffer.from(`${TEST_CA}\n`);
    const after = ((await kube.websocketTarget('/x', new URLSearchParams())).agent as Agent).options as { secureContext?: unknown };
    expect(after.secureContext).toBeDefined();
    expect(after.secureContext).not.toBe(before.secureContext);
  });
});

describe('resourceOfPath', () => {
  it.each([
    ['/api/v1/namespaces/ns/pods', 'pods'],
    ['/api/v1/namespaces/ns/pods/p-0', 'pods'],
    ['/api/v1/namespaces/ns/pods/p-0/status', 'pods/status'],
    ['/api/v1/namespaces/ns/pods/p-0/exec?command=x', 'pods/exec'],
    ['/api/v1/nodes', 'nodes'],
    ['/api/v1/namespaces', 'namespaces'],
    ['/api/v1/namespaces/ns', 'namespaces'],
    ['/apis/game.kruise.io/v1alpha1/namespaces/ns/gameservers/gs-1/status', 'gameservers/status'],
    ['/apis/game.kruise.io/v1alpha1/gameserversets', 'gameserversets'],
    ['/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/gamekeeper', 'leases'],
    ['/apis/events.k8s.io/v1/namespaces/ns/events', 'events'],
  ])('%s → %s', (path, resource) => {
    expect(resourceOfPath(path)).toBe(resource);
  });
});
