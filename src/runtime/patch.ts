// Patch vocabulary: the content types of the API server's patch kinds, JSON
// patch operations, and the resourceVersion precondition as a JSON-patch op.
// The write layer (writes.ts) sends patches and says when a precondition is
// used (its header comment is the concurrency policy); guardedPatch is for
// pure planners that return the operations to send (the CLI's room edits).
//
// The precondition is a `replace` of /metadata/resourceVersion, not a `test`:
// the API server treats a resourceVersion in the patched object as a
// precondition and answers 409 Conflict instead of overwriting.
import type { KubeObject } from './object.js';

export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/** Content-Type of each kind of PATCH (the same strings as client-node's PatchStrategy). */
export const PatchStrategy = {
  JsonPatch: 'application/json-patch+json',
  MergePatch: 'application/merge-patch+json',
  StrategicMergePatch: 'application/strategic-merge-patch+json',
} as const;
export type PatchStrategy = (typeof PatchStrategy)[keyof typeof PatchStrategy];

/** Escapes one JSON-pointer segment (`game.kruise.io/state` → `game.kruise.io~1state`). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export class MissingResourceVersionError extends Error {
  constructor() {
    super('cannot guard a patch: the object has no metadata.resourceVersion');
    this.name = 'MissingResourceVersionError';
  }
}

/** The precondition that the stored object still has the resourceVersion we read (409 Conflict otherwise). */
export function requireResourceVersion(resourceVersion: string): JsonPatchOperation {
  return { op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion };
}

/** `operations` preceded by a resourceVersion precondition on the version of `object` we read. */
export function guardedPatch(object: KubeObject, operations: readonly JsonPatchOperation[]): JsonPatchOperation[] {
  const resourceVersion = object.metadata?.resourceVersion;
  if (!resourceVersion) throw new MissingResourceVersionError();
  return [requireResourceVersion(resourceVersion), ...operations];
}
