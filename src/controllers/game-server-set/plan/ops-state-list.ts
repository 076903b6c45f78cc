// The opsState lists of gamekeeper's GameServerSet annotations
// (gamekeeper.dev/scale-down-protected-ops-states, gamekeeper.dev/update-ops-states):
// comma-separated, spaces ignored. Entries that are not an opsState the
// operator knows are reported (a Warning event names them) and left out.
import { OPS_STATES } from '../../../api/game-server.js';

export interface OpsStateList {
  /** The valid entries, deduplicated, in the order written. */
  readonly states: readonly string[];
  /** Entries left out: not a known opsState, or not allowed in this list. */
  readonly rejected: readonly string[];
}

/**
 * Parses an annotation value; undefined when the annotation is absent (the
 * feature is off). `disallowed` states are rejected too (Kill cannot be
 * protected from the deletion it asks for).
 */
export function parseOpsStateList(value: string | undefined, disallowed: readonly string[] = []): OpsStateList | undefined {
  if (value === undefined) return undefined;
  const states: string[] = [];
  const rejected: string[] = [];
  for (const entry of value.split(',').map((item) => item.trim()).filter(Boolean)) {
    const known = (OPS_STATES as readonly string[]).includes(entry) && !disallowed.includes(entry);
    const into = known ? states : rejected;
    if (!into.includes(entry)) into.push(entry);
  }
  return { states, rejected };
}

/** True when a room's opsState is in `states`; an unset opsState counts as None (OKG ranks them alike). */
export function opsStateIn(states: readonly string[], opsState: string): boolean {
  return states.includes(opsState === '' ? 'None' : opsState);
}
