// Filters of informer events before they reach a queue. A predicate sees
// (old, new) like a handler; one side is undefined for an add or a delete.
// Each controller writes the few it needs next to its watches.
import type { KubeObject } from './object.js';

export type Predicate<T extends KubeObject> = (oldObject: T | undefined, newObject: T | undefined) => boolean;
