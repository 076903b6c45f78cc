// GameServerSet (`gss`): a set of game servers with stable ids, scaled by
// opsState priority and updated by ReCreate or in place. Field names, enums
// and defaults are OpenKruise Game's (okg.md section 1).
import { z } from 'zod';
import { celRules } from './cel.js';
import { API_VERSION, GAME_SERVER_SET_KIND } from './constants.js';
import { intOrPercent, intOrString } from './int-or-string.js';
import { ObjectMetaSchema } from './object-meta.js';
import { GameServerTemplateSchema } from './pod-template.js';
import { dnsLabel, stringMap } from './primitives.js';
import { RESERVE_ID_MAX, RESERVE_ID_PATTERN, reserveIdProblem } from './reserve-ids.js';
import { GameServerSetStatusSchema } from './game-server-set-status.js';
import { ServiceQualitiesSchema } from './service-quality.js';

export const UPDATE_STRATEGY_TYPES = ['RollingUpdate', 'OnDelete'] as const;
export type UpdateStrategyType = (typeof UPDATE_STRATEGY_TYPES)[number];
export const POD_UPDATE_POLICIES = ['ReCreate', 'InPlaceIfPossible', 'InPlaceOnly'] as const;
export type PodUpdatePolicy = (typeof POD_UPDATE_POLICIES)[number];
export const SCALE_DOWN_STRATEGY_TYPES = ['General', 'ReserveIds'] as const;
export type ScaleDownStrategyType = (typeof SCALE_DOWN_STRATEGY_TYPES)[number];
export const POD_MANAGEMENT_POLICIES = ['Parallel', 'OrderedReady'] as const;
export type PodManagementPolicy = (typeof POD_MANAGEMENT_POLICIES)[number];
export const PVC_RETENTION_POLICIES = ['Retain', 'Delete'] as const;
export const MAX_RESERVE_ITEMS = 100;

export const RollingUpdateSchema = z
  .object({
    partition: z
      .int32()
      .min(0)
      .default(0)
      .describe('Number of game servers left on the old revision: the ones of lowest updatePriority. 0 updates all.'),
    maxUnavailable: intOrPercent(
      'Most game servers unavailable at once during the update: a count or a percentage of replicas (rounded down, at least 1).',
    ).default(1),
    podUpdatePolicy: z
      .enum(POD_UPDATE_POLICIES)
      .default('ReCreate')
      .describe(
        'ReCreate (default) deletes and recreates each pod. InPlaceIfPossible changes images in place and recreates the pod for any ' +
          'other change. InPlaceOnly changes images in place and refuses any other change.',
      ),
    paused: z.boolean().default(false).describe('Stops the update where it is; scaling goes on.'),
    inPlaceUpdateStrategy: z
      .object({
        gracePeriodSeconds: z
          .int32()
          .min(0)
          .default(0)
          .describe('Seconds between marking a pod not ready and changing its images in place.'),
      })
      .optional()
      .describe('How in-place updates are paced.'),
    minReadySeconds: z
      .int32()
      .min(0)
      .max(300)
      .default(0)
      .describe('Seconds an updated pod must stay ready before it counts as available (at most 300).'),
  })
  .describe('How a RollingUpdate proceeds. Servers are updated in updatePriority order, highest first.');
export type RollingUpdate = z.infer<typeof RollingUpdateSchema>;

const ON_DELETE_WITH_ROLLING_UPDATE = 'rollingUpdate must not be set when type is OnDelete';

export const UpdateStrategySchema = z
  .object({
    type: z
      .enum(UPDATE_STRATEGY_TYPES)
      .default('RollingUpdate')
      .describe('RollingUpdate (default) updates pods to a new template; OnDelete leaves them until they are deleted.'),
    rollingUpdate: RollingUpdateSchema.optional(),
  })
  .meta(
    celRules({
      rule: "!(has(self.type) && self.type == 'OnDelete' && has(self.rollingUpdate))",
      message: ON_DELETE_WITH_ROLLING_UPDATE,
      fieldPath: '.rollingUpdate',
      reason: 'FieldValueForbidden',
    }),
  )
  .superRefine((strategy, ctx) => {
    if (strategy.type === 'OnDelete' && strategy.rollingUpdate !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rollingUpdate'], message: ON_DELETE_WITH_ROLLING_UPDATE });
    }
  })
  .describe('How pods follow a change of gameServerTemplate.');
export type UpdateStrategy = z.infer<typeof UpdateStrategySchema>;

export const ScaleStrategySchema = z
  .object({
    maxUnavailable: intOrPercent('Most pods created or not ready at once while scaling up: a count or a percentage of replicas. Unlimited when unset.').optional(),
    scaleDownStrategyType: z
      .enum(SCALE_DOWN_STRATEGY_TYPES)
      .default('General')
      .describe(
        'General (default): ids freed by a scale-down are reused by the next scale-up. ReserveIds: they are added to reserveGameServerIds.',
      ),
  })
  .describe('How replicas changes are carried out.');
export type ScaleStrategy = z.infer<typeof ScaleStrategySchema>;

export const NetworkSchema = z
  .object({
    networkType: z.string().min(1).max(63).describe('Network plugin giving each game server its address. Cannot be changed once set.'),
    networkConf: z
      .array(
        z
          .object({ name: z.string().min(1).describe('Parameter name.'), value: z.string().optional().describe('Parameter value.') })
          .describe('A parameter of the network plugin.'),
      )
      .max(64)
      .optional()
      .describe('Parameters of the network plugin. AllowNotReadyContainers lets the named containers be not ready during in-place updates.'),
  })
  .describe('Network plugin of the game servers.');
export type Network = z.infer<typeof NetworkSchema>;

const LifecycleHookSchema = (when: string) =>
  z
    .object({
      labelsHandler: stringMap('The pod waits while it has any of these labels with these values.').optional(),
      finalizersHandler: z.array(z.string()).max(32).optional().describe('The pod waits while it has any of these finalizers.'),
      markPodNotReady: z.boolean().optional().describe('Makes the pod not ready while it waits.'),
    })
    .optional()
    .describe(`Hook run ${when}.`);

export const LifecycleSchema = z
  .object({
    preDelete: LifecycleHookSchema('before a pod is deleted (state PreDelete)'),
    inPlaceUpdate: LifecycleHookSchema('before a pod is updated in place (state PreUpdate)'),
    preNormal: LifecycleHookSchema('before a new pod becomes Normal'),
  })
  .describe('Hooks that hold pods before deletion, in-place update or service, until other tools release them.');
export type Lifecycle = z.infer<typeof LifecycleSchema>;

export const PersistentVolumeClaimRetentionPolicySchema = z
  .object({
    whenDeleted: z.enum(PVC_RETENTION_POLICIES).default('Retain').describe('Retain (default) or Delete the claims when the GameServerSet is deleted.'),
    whenScaled: z.enum(PVC_RETENTION_POLICIES).default('Retain').describe('Retain (default) or Delete the claims of ids removed by a scale-down.'),
  })
  .describe('What happens to the claims of volumeClaimTemplates.');

const REVERSED_RANGE_RULE =
  "type(self) != string || size(self.split('-')) != 2 || size(self.split('-')[0]) < size(self.split('-')[1]) || " +
  "(size(self.split('-')[0]) == size(self.split('-')[1]) && self.split('-')[0] <= self.split('-')[1])";

export const ReserveGameServerIdSchema = intOrString(`An id, or an inclusive range of ids "a-b" with a <= b, from 0 to ${RESERVE_ID_MAX}.`, {
  minimum: 0,
  maximum: RESERVE_ID_MAX,
  pattern: RESERVE_ID_PATTERN,
  maxLength: 19,
})
  .meta(celRules({ rule: REVERSED_RANGE_RULE, message: 'a range "a-b" must have a <= b' }))
  .superRefine((value, ctx) => {
    const problem = reserveIdProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export const GameServerSetSpecSchema = z
  .object({
    replicas: z.int32().min(0).describe('Number of game servers.'),
    gameServerTemplate: GameServerTemplateSchema,
    serviceName: dnsLabel('Headless Service governing the pods (pod subdomain); the GameServerSet name when unset. It is not created.').optional(),
    reserveGameServerIds: z
      .array(ReserveGameServerIdSchema)
      .max(MAX_RESERVE_ITEMS)
      .optional()
      .describe('Ids never used: a game server with such an id is deleted, and scale-up skips it. Integers or ranges "a-b".'),
    serviceQualities: ServiceQualitiesSchema.optional(),
    updateStrategy: UpdateStrategySchema.prefault({}),
    scaleStrategy: ScaleStrategySchema.prefault({}),
    network: NetworkSchema.optional(),
    lifecycle: LifecycleSchema.optional(),
    persistentVolumeClaimRetentionPolicy: PersistentVolumeClaimRetentionPolicySchema.prefault({}),
    podManagementPolicy: z
      .enum(POD_MANAGEMENT_POLICIES)
      .default('Parallel')
      .describe('Parallel (default) creates and deletes pods all at once; OrderedReady one at a time, in id order, each waiting for the previous to be ready.'),
    revisionHistoryLimit: z.int32().min(0).default(10).describe('Number of old revisions kept for rollback (default 10).'),
  })
  .meta(
    celRules({
      rule:
        '!has(oldSelf.network) || !has(oldSelf.network.networkType) || ' +
        '(has(self.network) && has(self.network.networkType) && self.network.networkType == oldSelf.network.networkType)',
      message: 'networkType cannot be changed once set',
      fieldPath: '.network.networkType',
    }),
  )
  .describe('Desired state of the GameServerSet.');
export type GameServerSetSpec = z.infer<typeof GameServerSetSpecSchema>;

export const GameServerSetSchema = z
  .object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(GAME_SERVER_SET_KIND),
    metadata: ObjectMetaSchema,
    spec: GameServerSetSpecSchema,
    status: GameServerSetStatusSchema.optional(),
  })
  .describe('A set of game servers with stable ids <name>-<id>, scaled and updated game-server aware.');
export type GameServerSet = z.infer<typeof GameServerSetSchema>;
