import { describe, expect, it } from '@jest/globals';
import type { KubeClient } from '../../../runtime/kube-client.js';
import { MissingResourceVersionError } from '../../../runtime/patch.js';
import { patchGameServer } from './game-server-writes.js';

function recordingClient(): { client: KubeClient; calls: { method: string; path: string; body: unknown; contentType?: string }[] } {
  const calls: { method: string; path: string; body: unknown; contentType?: string }[] = [];
  const client = {
    request: (method: string, path: string, options: { body?: unknown; contentType?: string }) => {
      calls.push({ method, path, body: options.body, ...(options.contentType ? { contentType: options.contentType } : {}) });
      return Promise.resolve({ metadata: { resourceVersion: '8' } });
    },
  } as unknown as KubeClient;
  return { client, calls };
}

const gs = { apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServer', metadata: { namespace: 'ns', name: 'gs-0', resourceVersion: '7' } };

describe('patchGameServer', () => {
  it('carries the resourceVersion it was computed from, so a concurrent change answers 409 instead of being overwritten', async () => {
    const { client, calls } = recordingClient();
    await patchGameServer(client, gs, { spec: { opsState: 'WaitToBeDeleted' } });
    expect(calls).toEqual([
      {
        method: 'PATCH',
        path: '/apis/game.kruise.io/v1alpha1/namespaces/ns/gameservers/gs-0',
        body: { spec: { opsState: 'WaitToBeDeleted' }, metadata: { resourceVersion: '7' } },
        contentType: 'application/merge-patch+json',
      },
    ]);
  });

  it('keeps the metadata of the patch', async () => {
    const { client, calls } = recordingClient();
    await patchGameServer(client, gs, { metadata: { labels: { a: 'b' } } });
    expect(calls[0]?.body).toEqual({ metadata: { labels: { a: 'b' }, resourceVersion: '7' } });
  });

  it('refuses to write without a resourceVersion', async () => {
    const { client } = recordingClient();
    await expect(patchGameServer(client, { metadata: { namespace: 'ns', name: 'gs-0' } }, { spec: {} })).rejects.toBeInstanceOf(MissingResourceVersionError);
  });
});
