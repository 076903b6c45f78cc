// GameServerSet status: counts over its pods, written by the controller.
import { z } from 'zod';
import { ConditionSchema, conditionList } from './primitives.js';

const count = (description: string) => z.int32().min(0).optional().describe(description);

export const GameServerSetStatusSchema = z
  .object({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation this status was computed for.'),
    replicas: count('Number of live pods (not terminating) the set owns; the scale subresource reports it as the current replica count.'),
    currentReplicas: count('Pods of the set, terminating ones included.'),
    readyReplicas: count('Pods that are ready.'),
    availableReplicas: count('Pods ready for at least minReadySeconds.'),
    updatedReplicas: count('Pods of the update revision.'),
    updatedReadyReplicas: count('Pods of the update revision that are ready.'),
    maintainingReplicas: count('Game servers with opsState Maintaining.'),
    waitToBeDeletedReplicas: count('Game servers with opsState WaitToBeDeleted.'),
    preDeleteReplicas: count('Game servers in state PreDelete.'),
    labelSelector: z.string().optional().describe('Label selector of the pods, for the scale subresource (HPA).'),
    currentRevision: z.string().optional().describe('Revision of the oldest pods still running.'),
    updateRevision: z.string().optional().describe('Revision of the current gameServerTemplate.'),
    conditions: conditionList('Standard conditions of the GameServerSet.', ConditionSchema).optional(),
  })
  .describe('Observed state of the GameServerSet.');
export type GameServerSetStatus = z.infer<typeof GameServerSetStatusSchema>;
