// kubectl gs describe ROOM: the room, its conditions, its service-quality
// results and the recent events of the room and its pod.
import { GAME_SERVER_PLURAL } from '../../api/constants.js';
import type { CliIo } from '../cli-io.js';
import { ageOf, formatColumns } from '../format.js';
import type { KubeTarget } from '../kube-context.js';
import { buildRooms, getObject, listObjects, type GameServerObject, type GameServerSetObject, type PodObject } from '../rooms.js';
import { isNotFound } from '../../runtime/errors.js';

export interface EventObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  metadata: { creationTimestamp?: string };
  involvedObject: { kind?: string; name?: string; uid?: string };
  source?: { component?: string };
  reportingComponent?: string;
}

export async function describeCommand(target: KubeTarget, name: string, io: CliIo): Promise<number> {
  const { client, namespace } = target;
  const gs = await getObject<GameServerObject>(client, GAME_SERVER_PLURAL, namespace, name);
  const [pod, sets, events] = await Promise.all([
    getObject<PodObject>(client, 'pods', namespace, name).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    }),
    listObjects<GameServerSetObject>(client, 'gameserversets', namespace),
    listObjects<EventObject>(client, 'events', namespace, undefined, `involvedObject.name=${name}`),
  ]);
  const [room] = buildRooms([gs], pod ? [pod] : [], sets);
  // Events of this room and its pod, not of earlier objects of the same name (as kubectl describe).
  const uids = new Set([gs.metadata.uid, pod?.metadata.uid].filter((uid): uid is string => uid !== undefined));
  io.stdout(formatDescription(gs, room!, events.filter((event) => !event.involvedObject.uid || uids.has(event.involvedObject.uid)), io.now()));
  return 0;
}

type Room = ReturnType<typeof buildRooms>[number];

/** The text of `describe` (pure). */
export function formatDescription(gs: GameServerObject, room: Room, events: readonly EventObject[], now: number): string {
  const status = gs.status;
  const field = (label: string, value: string | undefined): string => `${`${label}:`.padEnd(20)}${value || '<none>'}\n`;
  let text = '';
  text += field('Name', room.name);
  text += field('Namespace', room.namespace);
  text += field('GameServerSet', room.set);
  text += field('State', room.state);
  text += field('OpsState', room.opsState);
  text += field('Deletion Priority', room.deletionPriority);
  text += field('Update Priority', room.updatePriority);
  text += field('Revision', room.revision);
  text += field('Node', room.node);
  text += field('Address', room.address);
  text += field('Network', status?.networkStatus?.currentNetworkState ? `${status.networkStatus.networkType ?? ''} ${status.networkStatus.currentNetworkState}`.trim() : undefined);
  text += field('Created', room.createdAt ? `${room.createdAt} (${ageOf(room.createdAt, now)} ago)` : undefined);
  text += 'Conditions:\n';
  const conditions = status?.conditions ?? [];
  text += conditions.length
    ? indent(formatColumns([['Type', 'Status', 'Reason', 'Message'], ...conditions.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? ''])]))
    : '  <none>\n';
  text += 'Service Qualities:\n';
  const qualities = status?.serviceQualitiesConditions ?? [];
  text += qualities.length
    ? indent(
        formatColumns([
          ['Name', 'Status', 'Result', 'Last Probe', 'Last Action'],
          ...qualities.map((q) => [q.name, q.status ?? '', q.result ?? '', q.lastProbeTime ? ageOf(q.lastProbeTime, now) : '', q.lastActionTransitionTime ? ageOf(q.lastActionTransitionTime, now) : '']),
        ]),
      )
    : '  <none>\n';
  text += 'Events:\n';
  const recent = [...events].sort((a, b) => eventTime(a).localeCompare(eventTime(b))).slice(-20);
  text += recent.length
    ? indent(
        formatColumns([
          ['Type', 'Reason', 'Age', 'From', 'Object', 'Message'],
          ...recent.map((e) => [
            e.type ?? '',
            e.reason ?? '',
            ageOf(eventTime(e), now),
            e.source?.component || e.reportingComponent || '',
            `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
            (e.message ?? '').trim() + (e.count && e.count > 1 ? ` (x${e.count})` : ''),
          ]),
        ]),
      )
    : '  <none>\n';
  return text;
}

function eventTime(event: EventObject): string {
  return event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp ?? '';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}
