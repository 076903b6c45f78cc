// What every action of the GameServerSet controller works with: the API
// client, the event recorder, the expectations ledger, and the set itself.
import { apiErrorInfo } from '../../../runtime/errors.js';
import type { EventRecorder } from '../../../runtime/events.js';
import type { Expectations } from '../../../runtime/expectations.js';
import type { KubeClient } from '../../../runtime/kube-client.js';
import type { CachedObject } from '../../shared/informers.js';
import type { SetView } from '../plan/index.js';
import type { OccupiedOrdinals } from '../occupied-ordinals.js';
import type { UnobservedWrites } from '../../../runtime/unobserved-writes.js';
import type { PodNetworkPreparer } from '../../network/set-network.js';

export interface ActionDeps {
  readonly client: KubeClient;
  readonly recorder: EventRecorder;
  readonly expectations: Expectations;
  /** Pod writes the cache has not shown yet (in-place steps wait for them). */
  readonly podWrites: UnobservedWrites;
  /** Network plugins' pod preparation (host ports); absent: pods are created as the template says. */
  readonly network?: PodNetworkPreparer;
  /** Ordinals held by pods that are not the set's (found by AlreadyExists): skipped for a while. */
  readonly occupied: OccupiedOrdinals;
}

/** The set an action works for: its expectations key, its cached object (events) and its view. */
export interface SetTarget {
  readonly key: string;
  readonly object: CachedObject;
  readonly view: SetView;
}

/** The API server's message of a failed call, or the error's own message. */
export function failureMessage(error: unknown): string {
  const server = apiErrorInfo(error)?.message;
  if (server !== undefined) return server;
  if (error instanceof Error) return error.message;
  return String(error);
}
