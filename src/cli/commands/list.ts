// kubectl gs list [SET]: the rooms with their state, opsState, priorities,
// revision, node, address and age.
import type { CliIo } from '../cli-io.js';
import { formatList, formatNames, formatRoomTable, type OutputFormat } from '../format.js';
import type { KubeTarget } from '../kube-context.js';
import { listRooms } from '../rooms.js';

export interface ListOptions {
  readonly set?: string;
  readonly allNamespaces: boolean;
  readonly selector?: string;
  readonly state?: string;
  readonly opsState?: string;
  readonly output?: OutputFormat;
}

export async function listCommand(target: KubeTarget, options: ListOptions, io: CliIo): Promise<number> {
  const rooms = (
    await listRooms(target.client, {
      namespace: options.allNamespaces ? undefined : target.namespace,
      ...(options.set ? { set: options.set } : {}),
      ...(options.selector ? { labelSelector: options.selector } : {}),
    })
  ).filter((room) => (!options.state || room.state === options.state) && (!options.opsState || room.opsState === options.opsState));
  switch (options.output) {
    case 'json':
    case 'yaml':
      io.stdout(formatList(rooms.map((room) => room.gameServer), options.output));
      return 0;
    case 'name':
      io.stdout(formatNames(rooms));
      return 0;
    default:
      if (rooms.length === 0) {
        io.stderr(options.allNamespaces ? 'No resources found\n' : `No resources found in ${target.namespace} namespace.\n`);
        return 0;
      }
      io.stdout(formatRoomTable(rooms, { wide: options.output === 'wide', allNamespaces: options.allNamespaces, now: io.now() }));
      return 0;
  }
}
