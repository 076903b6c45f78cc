// What a command writes to and runs with; the process's by default, a
// buffer in tests.
import { apiErrorInfo } from '../runtime/errors.js';
import { RequestFailedError } from '../runtime/kube-client.js';
import type { KubeTarget } from './kube-context.js';
import type { Room } from './rooms.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  /** Standard error is a terminal: the release draws a progress bar there. */
  readonly interactive: boolean;
  /** Called before each room is written (tests use it to race a write). */
  readonly beforeRoomWrite?: (room: Room) => Promise<void>;
  /** Replaces the connection (tests). */
  readonly connect?: () => Promise<KubeTarget>;
}

/** A failure reported as `error: <message>` with exit code `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** kubectl's wording of an API failure: `Error from server (NotFound): ...`. */
export function describeFailure(error: unknown): string {
  const info = apiErrorInfo(error);
  if (info) return `Error from server${info.reason ? ` (${info.reason})` : ''}: ${info.message ?? `HTTP ${info.code}`}`;
  if (error instanceof CliError) return `error: ${error.message}`;
  if (error instanceof RequestFailedError) {
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    return `Unable to connect to the server: ${cause}`;
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
