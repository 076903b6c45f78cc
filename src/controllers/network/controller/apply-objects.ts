// Carries out planObject for each object a plugin wants; resolves with what
// is there afterwards (the API server's answer for a write), by kind, and
// whether to look again later (waiting for the garbage collector).
import type { KubeClient } from '../../../runtime/kube-client.js';
import { isAlreadyExists } from '../../../runtime/errors.js';
import type { KubeObject } from '../../../runtime/object.js';
import { writer } from '../../../runtime/writes.js';
import { planObject, type ObservedObject } from '../plan-object.js';
import { RESOURCE_OF } from '../resources.js';
import type { DesiredObject, ObjectKind, ObservedObjects } from '../types.js';

export interface AppliedObjects {
  readonly observed: ObservedObjects;
  readonly waiting: boolean;
  readonly created: readonly string[];
  readonly replaced: readonly string[];
}

export async function applyObjects(
  client: KubeClient,
  desired: readonly DesiredObject[],
  cached: (kind: ObjectKind, namespace: string, name: string) => ObservedObject | undefined,
): Promise<AppliedObjects> {
  const observed: Partial<Record<ObjectKind, Readonly<Record<string, unknown>>>> = {};
  const created: string[] = [];
  const replaced: string[] = [];
  let waiting = false;
  for (const object of desired) {
    const { namespace, name } = object.manifest.metadata;
    const current = cached(object.kind, namespace, name);
    const plan = planObject(object, current);
    const resource = RESOURCE_OF[object.kind];
    if (plan.kind === 'create') {
      try {
        observed[object.kind] = await writer<KubeObject & Record<string, unknown>>(client, resource).create(plan.body, {}, namespace);
        created.push(`${object.kind} ${name}`);
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        waiting = true; // the cache has not shown it yet: its event brings the key back
      }
    } else if (plan.kind === 'replace') {
      observed[object.kind] = await writer<KubeObject & Record<string, unknown>>(client, resource).replace(namespace, name, plan.body);
      replaced.push(`${object.kind} ${name}`);
    } else if (plan.kind === 'keep') {
      observed[object.kind] = current;
    } else {
      waiting = true;
    }
  }
  return { observed, waiting, created, replaced };
}
