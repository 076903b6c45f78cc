// Writes to GameServers: create, merge-patch spec/metadata, replace status,
// delete. Each returns what the API server returned, so the next step of a
// reconcile builds on the written object rather than on the stale cache.
import { HttpMethod } from '../../../runtime/kube-client.js';
import { PatchStrategy } from '../../../runtime/patch.js';
import { FIELD_MANAGER } from '../../../api/constants.js';
import { isNotFound } from '../../../runtime/errors.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { KubeObject } from '../../../runtime/object.js';
import { MissingResourceVersionError } from '../../../runtime/patch.js';
import { resourcePath } from '../../../runtime/resource.js';
import { GAME_SERVERS } from '../../shared/resources.js';
import type { GameServerPatch } from '../service-quality/compute-service-qualities.js';

export async function createGameServer(client: KubeClient, gameServer: KubeObject): Promise<KubeObject> {
  const namespace = gameServer.metadata?.namespace ?? '';
  return client.request<KubeObject>(HttpMethod.POST, resourcePath(GAME_SERVERS, namespace), { body: gameServer, query: { fieldManager: FIELD_MANAGER } });
}

/**
 * A JSON merge patch of spec and metadata (service-quality actions, the
 * node-name label), as of the resourceVersion it was computed from: a user's
 * concurrent change (opsState, a priority) makes it answer 409 Conflict and
 * the reconcile starts over from the new object, never overwriting that change.
 */
export async function patchGameServer(client: KubeClient, gameServer: KubeObject, patch: GameServerPatch): Promise<KubeObject> {
  const { namespace = '', name = '', resourceVersion } = gameServer.metadata ?? {};
  if (!resourceVersion) throw new MissingResourceVersionError();
  return client.request<KubeObject>(HttpMethod.PATCH, resourcePath(GAME_SERVERS, namespace, name), {
    body: { ...patch, metadata: { ...patch.metadata, resourceVersion } },
    contentType: PatchStrategy.MergePatch,
    query: { fieldManager: FIELD_MANAGER },
  });
}

/**
 * Replaces the whole status, as of the resourceVersion it was computed from.
 * The patch sets metadata.resourceVersion rather than `test`ing it: the API
 * server then answers a stale write with 409 Conflict (requeued quietly),
 * where a failed `test` op is a bare 422 Invalid with no detail.
 */
export async function writeGameServerStatus(client: KubeClient, gameServer: KubeObject, status: unknown): Promise<KubeObject> {
  const { namespace = '', name = '', resourceVersion } = gameServer.metadata ?? {};
  if (!resourceVersion) throw new MissingResourceVersionError();
  return client.request<KubeObject>(HttpMethod.PATCH, resourcePath(GAME_SERVERS, namespace, name, 'status'), {
    body: [
      { op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion },
      { op: 'add', path: '/status', value: status },
    ],
    contentType: PatchStrategy.JsonPatch,
    query: { fieldManager: FIELD_MANAGER },
  });
}

/** Deletes this very GameServer (uid precondition); already gone is fine. */
export async function deleteGameServer(client: KubeClient, gameServer: KubeObject): Promise<void> {
  const { namespace = '', name = '', uid } = gameServer.metadata ?? {};
  try {
    await client.request(HttpMethod.DELETE, resourcePath(GAME_SERVERS, namespace, name), {
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(uid ? { preconditions: { uid } } : {}) },
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
