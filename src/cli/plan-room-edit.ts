// The JSON patch of one room's ops fields (pure). Each field changed is
// preceded by a `test` of the value that was read, and the opsState is
// always tested: a room that was allocated (or changed otherwise) between
// the read and the write makes the API server refuse the patch, and the
// room is reported as skipped rather than overwritten.
import { guardedPatch, type JsonPatchOperation } from '../runtime/patch.js';
import type { GameServerObject } from './rooms.js';

export interface RoomEdit {
  readonly opsState?: string;
  readonly deletionPriority?: number;
  readonly updatePriority?: number;
}

export type RoomEditPlan =
  | { readonly kind: 'patch'; readonly operations: JsonPatchOperation[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'skip'; readonly reason: string };

const FIELDS = ['opsState', 'deletionPriority', 'updatePriority'] as const;

export function planRoomEdit(gs: GameServerObject, edit: RoomEdit, ifOpsState?: string): RoomEditPlan {
  const spec = gs.spec ?? {};
  const opsState = spec.opsState ?? 'None';
  if (ifOpsState !== undefined && opsState !== ifOpsState) return { kind: 'skip', reason: `opsState is ${opsState}, not ${ifOpsState}` };
  const changes: JsonPatchOperation[] = [];
  for (const field of FIELDS) {
    const wanted = edit[field];
    if (wanted === undefined) continue;
    const current = spec[field];
    if (current !== undefined && String(current) === String(wanted)) continue;
    const path = `/spec/${field}`;
    if (current === undefined) changes.push({ op: 'add', path, value: wanted });
    else changes.push(...(field === 'opsState' ? [] : [{ op: 'test' as const, path, value: current }]), { op: 'replace', path, value: wanted });
  }
  if (changes.length === 0) return { kind: 'unchanged' };
  if (spec.opsState === undefined) return { kind: 'patch', operations: guardedPatch(gs, changes) };
  return { kind: 'patch', operations: [{ op: 'test', path: '/spec/opsState', value: spec.opsState }, ...changes] };
}

/**
 * What changed in a room since it was read (pure): why a guarded write was
 * refused; undefined when none of its ops fields changed.
 */
export function describeChange(before: GameServerObject, after: GameServerObject | undefined): string | undefined {
  if (!after) return 'deleted since it was read';
  const was = before.spec?.opsState ?? 'None';
  const now = after.spec?.opsState ?? 'None';
  if (was !== now) return `opsState changed from ${was} to ${now} since it was read`;
  for (const field of ['deletionPriority', 'updatePriority'] as const) {
    if (String(before.spec?.[field] ?? 0) !== String(after.spec?.[field] ?? 0)) return `${field} changed since it was read`;
  }
  return undefined;
}
