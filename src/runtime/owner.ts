// Controller owner references: who owns a child, and how to say so. The
// garbage collector deletes a child when its owner goes; `controller: true`
// marks the one owner that manages it (at most one per object).
import type { KubeObject, OwnerReference } from './object.js';

/** An owner as far as references go: it must have been read from the API (uid set). */
export interface OwnerLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly uid?: string; readonly namespace?: string };
}

export class OwnerReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnerReferenceError';
  }
}

/** `{apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true}` pointing at `owner`. */
export function controllerReference(owner: OwnerLike): OwnerReference {
  const { apiVersion, kind } = owner;
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!apiVersion || !kind || !name || !uid) {
    throw new OwnerReferenceError(`an owner reference needs apiVersion, kind, name and uid (got ${apiVersion}/${kind} ${name} uid=${uid})`);
  }
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The owner reference with `controller: true`, if any. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}
