// Writes to GameServers: create, merge-patch spec/metadata, replace status,
// delete, through the write layer (runtime/writes.ts). Each returns what the
// API server returned, so the next step of a reconcile builds on the written
// object rather than on the stale cache.
import { isObjectNotFound } from '../../../runtime/write-errors.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { KubeObject } from '../../../runtime/object.js';
import { jsonPatch, mergePatch, writer } from '../../../runtime/writes.js';
import { GAME_SERVERS } from '../../shared/resources.js';
import type { GameServerPatch } from '../service-quality/compute-service-qualities.js';

export async function createGameServer(client: KubeClient, gameServer: KubeObject): Promise<KubeObject> {
  return writer(client, GAME_SERVERS).create(gameServer);
}

/**
 * A JSON merge patch of spec and metadata (service-quality actions, the
 * node-name label), as of the resourceVersion it was computed from: a user's
 * concurrent change (opsState, a priority) makes it answer 409 Conflict and
 * the reconcile starts over from the new object, never overwriting that change.
 */
export async function patchGameServer(client: KubeClient, gameServer: KubeObject, patch: GameServerPatch): Promise<KubeObject> {
  const { namespace, name = '', resourceVersion } = gameServer.metadata ?? {};
  return writer(client, GAME_SERVERS).patch(namespace, name, mergePatch(patch), { precondition: { resourceVersion } });
}

/** Replaces the whole status, as of the resourceVersion it was computed from (409 Conflict, requeued quietly, when stale). */
export async function writeGameServerStatus(client: KubeClient, gameServer: KubeObject, status: unknown): Promise<KubeObject> {
  const { namespace, name = '', resourceVersion } = gameServer.metadata ?? {};
  return writer(client, GAME_SERVERS).patchStatus(namespace, name, jsonPatch([{ op: 'add', path: '/status', value: status }]), { precondition: { resourceVersion } });
}

/** Deletes this very GameServer (uid precondition); already gone is fine. */
export async function deleteGameServer(client: KubeClient, gameServer: KubeObject): Promise<void> {
  const { namespace, name = '', uid } = gameServer.metadata ?? {};
  try {
    await writer(client, GAME_SERVERS).delete(namespace, name, { precondition: { uid } });
  } catch (error) {
    if (!isObjectNotFound(error)) throw error;
  }
}
