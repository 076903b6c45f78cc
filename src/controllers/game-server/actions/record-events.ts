// Events about a GameServer, as kube-eventer sees them: core/v1 Events whose
// involvedObject is the GameServer.
import { API_VERSION, GAME_SERVER_KIND } from '../../../api/constants.js';
import type { EventRecorder } from '../../../runtime/events.js';
import type { KubeObject } from '../../../runtime/object.js';
import type { GameServerEvent } from '../types.js';

export function recordGameServerEvents(recorder: EventRecorder, gameServer: KubeObject, events: readonly GameServerEvent[]): void {
  if (events.length === 0) return;
  const involved: KubeObject = { apiVersion: API_VERSION, kind: GAME_SERVER_KIND, metadata: gameServer.metadata ?? {} };
  for (const event of events) recorder.event(involved, event.type, event.reason, event.message);
}
