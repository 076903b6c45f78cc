// GameServer (`gs`): one per pod of a GameServerSet, with the same name. Its
// spec carries the ops fields users and probes set; its status mirrors the pod.
import { z } from 'zod';
import { API_VERSION, GAME_SERVER_KIND } from './constants.js';
import { intOrString, LABEL_VALUE_PATTERN, labelPriority, priority } from './int-or-string.js';
import { ObjectMetaSchema } from './object-meta.js';
import { CONDITION_STATUSES, conditionList, dnsLabel, keyedList, looseObject, timestamp } from './primitives.js';

/** The opsState values with a meaning to the operator; any other string is accepted too. */
export const OPS_STATES = ['None', 'WaitToBeDeleted', 'Maintaining', 'Allocated', 'Kill'] as const;
export type KnownOpsState = (typeof OPS_STATES)[number];
/** A known opsState or a custom one set by a service-quality action. */
export type OpsState = KnownOpsState | (string & {});

export const GAME_SERVER_STATES = [
  'Unknown',
  'Creating',
  'Ready',
  'NotReady',
  'Crash',
  'Updating',
  'Deleting',
  'PreDelete',
  'PreUpdate',
] as const;
export type GameServerState = (typeof GAME_SERVER_STATES)[number];

export const NETWORK_STATES = ['Ready', 'Waiting', 'NotReady'] as const;
export type NetworkState = (typeof NETWORK_STATES)[number];

export const GAME_SERVER_CONDITION_TYPES = ['PodNormal', 'NodeNormal', 'PersistentVolumeNormal'] as const;
export type GameServerConditionType = (typeof GAME_SERVER_CONDITION_TYPES)[number];

export const OPS_STATE_DESCRIPTION =
  'Operational state of the game server: None, WaitToBeDeleted (deleted first on scale-down), Maintaining ' +
  '(deleted last), Allocated (in use, deleted late), Kill (deleted now, lowering replicas), or any custom value.';

export const GameServerContainerSchema = z
  .object({
    name: dnsLabel('Name of a container of the pod.'),
    image: z.string().min(1).optional().describe('Image for this container of this game server only; applied in place.'),
    resources: looseObject('Resources (core/v1 ResourceRequirements) for this container; applied when the pod is recreated.', {}).optional(),
  })
  .describe('A per-game-server override of one container of the pod.');

export function gameServerContainers(description: string) {
  return keyedList(GameServerContainerSchema, 'name', description).max(64);
}

export const GameServerSpecSchema = z
  .object({
    opsState: z
      .string()
      .max(63)
      .regex(LABEL_VALUE_PATTERN)
      .default('None')
      .describe(`${OPS_STATE_DESCRIPTION} Copied to the pod label game.kruise.io/gs-opsState, so it must be a label value.`),
    updatePriority: priority('Update order: servers with a higher value are updated first. A non-negative integer, as a number or a string; it is copied to the pod label game.kruise.io/gs-update-priority.').default(0),
    deletionPriority: priority(
      'Scale-down order among servers of the same opsState: a higher value is deleted first. A non-negative integer, as a number or a string; it is copied to the pod label game.kruise.io/gs-delete-priority.',
    ).default(0),
    networkDisabled: z.boolean().default(false).describe('Takes the game server off the network through its network plugin.'),
    containers: gameServerContainers('Per-game-server container overrides (image, resources).').optional(),
  })
  .describe('Desired ops state of the game server.');
export type GameServerSpec = z.infer<typeof GameServerSpecSchema>;

const NetworkAddressSchema = z
  .object({
    ip: z.string().describe('IP address.'),
    ports: z
      .array(
        z
          .object({
            name: z.string().describe('Name of the port.'),
            protocol: z.string().optional().describe('Protocol: TCP, UDP or SCTP.'),
            port: intOrString('Port number or name.', { minimum: 0, maximum: 65535, maxLength: 63 }).optional(),
          })
          .describe('A port of the address.'),
      )
      .optional()
      .describe('Ports of the address.'),
    portRange: z
      .object({
        protocol: z.string().optional().describe('Protocol: TCP, UDP or SCTP.'),
        portRange: z.string().describe('Range of ports, e.g. "8000-8100".'),
      })
      .optional()
      .describe('A range of ports of the address.'),
    endPoint: z.string().optional().describe('Host name or endpoint of the address.'),
  })
  .describe('An address of the game server.');

export const NetworkStatusSchema = z
  .object({
    networkType: z.string().optional().describe('Network plugin.'),
    internalAddresses: z.array(NetworkAddressSchema).optional().describe('Addresses inside the cluster.'),
    externalAddresses: z.array(NetworkAddressSchema).optional().describe('Addresses players connect to.'),
    desiredNetworkState: z.enum(NETWORK_STATES).optional().describe('Wanted network state: Ready, or NotReady when the network is disabled.'),
    currentNetworkState: z.enum(NETWORK_STATES).optional().describe('Network state reported by the plugin.'),
    createTime: timestamp('When the network status was first written.').optional(),
    lastTransitionTime: timestamp('Last change of currentNetworkState.').optional(),
  })
  .describe('Network of the game server, as reported by its network plugin.');
export type NetworkStatus = z.infer<typeof NetworkStatusSchema>;

export const ServiceQualityConditionSchema = z
  .object({
    name: z.string().describe('Name of the service quality.'),
    status: z.string().optional().describe('Probe result: True or False.'),
    result: z.string().optional().describe('Output of the probe.'),
    lastProbeTime: timestamp('Last time the probe ran.').optional(),
    lastTransitionTime: timestamp('Last time status or result changed.').optional(),
    lastActionTransitionTime: timestamp('Last time an action of the service quality was applied.').optional(),
  })
  .describe('Last result of one service quality of the GameServerSet.');
export type ServiceQualityCondition = z.infer<typeof ServiceQualityConditionSchema>;

export const GameServerConditionSchema = z
  .object({
    type: z.enum(GAME_SERVER_CONDITION_TYPES).describe('PodNormal, NodeNormal or PersistentVolumeNormal.'),
    status: z.enum(CONDITION_STATUSES).describe('True, False or Unknown.'),
    lastProbeTime: timestamp('Last time the condition was checked.').optional(),
    lastTransitionTime: timestamp('Last time the status changed.').optional(),
    reason: z.string().optional().describe('Why the condition is False.'),
    message: z.string().optional().describe('Details, parts joined with "; ".'),
  })
  .describe('Health of the pod, its node or its volumes.');
export type GameServerCondition = z.infer<typeof GameServerConditionSchema>;

export const GameServerStatusSchema = z
  .object({
    desiredState: z.enum(GAME_SERVER_STATES).optional().describe('Wanted state: always Ready.'),
    currentState: z
      .enum(GAME_SERVER_STATES)
      .optional()
      .describe('State of the game server, derived from its pod: Unknown, Creating, Ready, NotReady, Crash, Updating, Deleting, PreDelete or PreUpdate.'),
    podStatus: looseObject('Copy of the status of the pod (core/v1 PodStatus).', {}).optional(),
    serviceQualitiesConditions: keyedList(ServiceQualityConditionSchema, 'name', 'Last result of each service quality.').optional(),
    updatePriority: labelPriority('Update priority currently on the pod.').optional(),
    deletionPriority: labelPriority('Deletion priority currently on the pod.').optional(),
    networkStatus: NetworkStatusSchema.optional(),
    lastTransitionTime: timestamp('Last time currentState changed.').optional(),
    conditions: conditionList('PodNormal, NodeNormal and PersistentVolumeNormal.', GameServerConditionSchema).optional(),
  })
  .describe('Observed state of the game server.');
export type GameServerStatus = z.infer<typeof GameServerStatusSchema>;

export const GameServerSchema = z
  .object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(GAME_SERVER_KIND),
    metadata: ObjectMetaSchema,
    spec: GameServerSpecSchema.prefault({}),
    status: GameServerStatusSchema.optional(),
  })
  .describe('A game server: one pod of a GameServerSet, with its ops state, probes results and network.');
export type GameServer = z.infer<typeof GameServerSchema>;
