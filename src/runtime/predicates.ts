// Filters of informer events before they reach a queue. A predicate sees
// (old, new) like a handler; adds and deletes (one side undefined) always
// pass the change filters below, as with controller-runtime's predicates.
import type { KubeObject } from './object.js';

export type Predicate<T extends KubeObject> = (oldObject: T | undefined, newObject: T | undefined) => boolean;

const isAddOrDelete = (oldObject: unknown, newObject: unknown): boolean => oldObject === undefined || newObject === undefined;

/** metadata.generation changed: spec edits, not status writes. */
export const generationChanged: Predicate<KubeObject> = (oldObject, newObject) =>
  isAddOrDelete(oldObject, newObject) || oldObject?.metadata?.generation !== newObject?.metadata?.generation;

/** Any label added, removed or changed. */
export const labelsChanged: Predicate<KubeObject> = (oldObject, newObject) =>
  isAddOrDelete(oldObject, newObject) || !sameRecord(oldObject?.metadata?.labels, newObject?.metadata?.labels);

/** Any annotation added, removed or changed. */
export const annotationsChanged: Predicate<KubeObject> = (oldObject, newObject) =>
  isAddOrDelete(oldObject, newObject) || !sameRecord(oldObject?.metadata?.annotations, newObject?.metadata?.annotations);

/** The stored version changed (drops relist no-ops). */
export const resourceVersionChanged: Predicate<KubeObject> = (oldObject, newObject) =>
  isAddOrDelete(oldObject, newObject) || oldObject?.metadata?.resourceVersion !== newObject?.metadata?.resourceVersion;

export function or<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return (oldObject, newObject) => predicates.some((predicate) => predicate(oldObject, newObject));
}

export function and<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return (oldObject, newObject) => predicates.every((predicate) => predicate(oldObject, newObject));
}

export function not<T extends KubeObject>(predicate: Predicate<T>): Predicate<T> {
  return (oldObject, newObject) => !predicate(oldObject, newObject);
}

function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const left = a ?? {};
  const right = b ?? {};
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}
