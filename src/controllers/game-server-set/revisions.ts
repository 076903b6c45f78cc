// ControllerRevisions of a set: the update revision is stored before any pod
// is created from it (so every pod's revision has a template to diff against
// for in-place updates), and old revisions beyond revisionHistoryLimit that no
// pod uses are deleted (StatefulSet semantics).
import { LABELS } from '../../api/constants.js';
import { isAlreadyExists } from '../../runtime/errors.js';
import { isObjectNotFound } from '../../runtime/write-errors.js';
import { mergePatch, writer } from '../../runtime/writes.js';
import type { CachedObject } from '../shared/informers.js';
import { CONTROLLER_REVISIONS } from '../shared/resources.js';
import type { ActionDeps, SetTarget } from './actions/deps.js';
import {
  computeRevision,
  goCanonical,
  planRevisionHistory,
  planUpdateRevision,
  resolveCurrentRevision,
  revisionName,
  revisionTemplate,
  setOwnerReference,
  type PodTemplateView,
  type RevisionRecord,
} from './plan/index.js';
import { toRevision } from './views.js';

export interface RevisionState {
  readonly updateRevision: string;
  /** status.currentRevision, resolved against the revisions that exist. */
  readonly currentRevision: string;
  /** Stored template of each known revision, the update revision included. */
  readonly templates: ReadonlyMap<string, PodTemplateView>;
  readonly records: readonly RevisionRecord[];
}

/** Makes the update revision exist as the newest ControllerRevision; returns what the planners need. */
export async function syncRevisions(
  deps: ActionDeps,
  target: SetTarget,
  cached: readonly CachedObject[],
  recordedCurrent: string | undefined,
): Promise<RevisionState> {
  const { view: set } = target;
  const template = revisionTemplate({ template: set.template, network: set.network });
  const updateRevision = revisionName(set.name, computeRevision({ template: set.template, network: set.network }));
  const templates = new Map<string, PodTemplateView>();
  const records: RevisionRecord[] = [];
  for (const object of cached) {
    const { record, template: stored } = toRevision(object);
    records.push(record);
    if (stored !== undefined) templates.set(record.name, stored);
  }
  templates.set(updateRevision, template);

  const action = planUpdateRevision(records, updateRevision);
  const revisions = writer(deps.client, CONTROLLER_REVISIONS);
  if (action.kind === 'create') {
    const body = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: updateRevision, namespace: set.namespace, labels: { [LABELS.ownerGss]: set.name }, ownerReferences: [setOwnerReference(set)] },
      // Written as Go would re-encode it: the garbage collector's strategic-merge
      // patch (orphaning) re-encodes `data`, and the API server refuses any byte change.
      data: goCanonical(template),
      revision: action.revision,
    };
    await revisions.create(body).catch((error: unknown) => {
      if (!isAlreadyExists(error)) throw error;
    });
    records.push({ name: updateRevision, revision: action.revision });
  } else if (action.kind === 'bump') {
    await revisions.patch(set.namespace, updateRevision, mergePatch({ revision: action.revision }));
  }
  const currentRevision = resolveCurrentRevision(recordedCurrent, updateRevision, records);
  return { updateRevision, currentRevision, templates, records };
}

/** Deletes revisions beyond revisionHistoryLimit that neither status nor any pod uses. */
export async function pruneRevisions(deps: ActionDeps, target: SetTarget, records: readonly RevisionRecord[], inUse: Iterable<string>): Promise<void> {
  const { view: set } = target;
  for (const name of planRevisionHistory(records, set.revisionHistoryLimit, inUse)) {
    await writer(deps.client, CONTROLLER_REVISIONS).delete(set.namespace, name).catch((error: unknown) => {
      if (!isObjectNotFound(error)) throw error;
    });
  }
}
