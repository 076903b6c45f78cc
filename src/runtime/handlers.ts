// How informer events become queue keys. A `Mapper` maps an object to the
// requests to reconcile; `watch` ties an informer, a mapper and predicates
// into an `EventSource` a controller subscribes to. On an update both the old
// and the new object are mapped, so a changed owner or label enqueues both
// sides (controller-runtime's EnqueueRequestForOwner does the same).
import type { SharedInformer } from './informer.js';
import { requestOf, type KubeObject, type Request } from './object.js';
import type { Predicate } from './predicates.js';
import type { Store } from './store.js';

export type Mapper<T extends KubeObject> = (object: T) => readonly Request[];

/** Something that calls `enqueue` when its objects change; built by `watch`. */
export interface EventSource {
  readonly description: string;
  /** Queue the requests this long after the event, so a burst of events makes one reconcile (see `batched`). */
  readonly batchMs?: number;
  subscribe(enqueue: (request: Request) => void): void;
}

/**
 * `source`, with each request queued `batchMs` after its event (an earlier
 * pending one wins). For an owner of many objects (a set of thousands of
 * pods), whose reconcile looks at all of them: while they change in a burst,
 * the owner is reconciled a few times per second instead of once per event.
 */
export function batched(source: EventSource, batchMs: number): EventSource {
  return { description: source.description, batchMs, subscribe: (enqueue) => source.subscribe(enqueue) };
}

/** Events of `informer`, filtered by `predicates` (all must pass), mapped to requests by `mapper`. */
export function watch<T extends KubeObject>(informer: SharedInformer<T>, mapper: Mapper<T>, ...predicates: Predicate<T>[]): EventSource {
  return {
    description: informer.resource.plural,
    subscribe(enqueue) {
      informer.addHandler((oldObject, newObject) => {
        if (!predicates.every((predicate) => predicate(oldObject, newObject))) return;
        const seen = new Set<string>();
        for (const object of [oldObject, newObject]) {
          if (!object) continue;
          for (const request of mapper(object)) {
            const key = `${request.namespace}/${request.name}`;
            if (seen.has(key) || !request.name) continue;
            seen.add(key);
            enqueue(request);
          }
        }
      });
    },
  };
}

/** The object itself (controller-runtime's EnqueueRequestForObject, kube-rs's trigger_self). */
export const enqueueSelf: Mapper<KubeObject> = (object) => [requestOf(object)];

/** API group of an `apiVersion` (`''` for core `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The controller owner of the object if it is of `kind` in `group` (any
 * version), in the object's namespace (EnqueueRequestForOwner + OnlyControllerOwner).
 */
export function enqueueControllerOwner(owner: { readonly group: string; readonly kind: string }): Mapper<KubeObject> {
  return (object) => {
    const ref = object.metadata?.ownerReferences?.find((candidate) => candidate.controller === true);
    if (!ref || ref.kind !== owner.kind || groupOf(ref.apiVersion) !== owner.group) return [];
    return [{ namespace: object.metadata?.namespace ?? '', name: ref.name }];
  };
}

/** The object named by the value of label `labelKey`, in the object's namespace. */
export function enqueueByLabel(labelKey: string): Mapper<KubeObject> {
  return (object) => {
    const name = object.metadata?.labels?.[labelKey];
    return name ? [{ namespace: object.metadata?.namespace ?? '', name }] : [];
  };
}

/**
 * Objects of another cache found through one of its indexes, mapped on:
 * e.g. a Node → the pods whose `spec.nodeName` index holds its name → each pod itself.
 */
export function enqueueFromIndex<T extends KubeObject, U extends KubeObject>(
  store: Store<U>,
  indexName: string,
  indexValue: (object: T) => string | undefined,
  then: Mapper<U> = enqueueSelf,
): Mapper<T> {
  return (object) => {
    const value = indexValue(object);
    if (value === undefined) return [];
    return store.byIndex(indexName, value).flatMap((related) => then(related));
  };
}
