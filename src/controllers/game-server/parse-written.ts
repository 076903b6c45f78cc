// A GameServer the API server just returned from a write, validated.
import { parseGameServer, type GameServer } from '../../api/index.js';
import { TerminalError } from '../../runtime/errors.js';
import type { KubeObject } from '../../runtime/object.js';

export class InvalidGameServerError extends TerminalError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidGameServerError';
  }
}

export function parseWritten(object: KubeObject): GameServer {
  const parsed = parseGameServer(object);
  if (!parsed.ok) throw new InvalidGameServerError(parsed.error);
  return parsed.value;
}
