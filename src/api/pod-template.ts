// `spec.gameServerTemplate`: the pod template of a GameServerSet plus its
// volume claim templates. The pod spec is kept as given (the API server
// validates it when the pods are created); only what the operator relies on
// is checked here: at least one container, each with a unique name and an
// image.
import { z } from 'zod';
import { dnsLabel, keyedList, looseObject, stringMap } from './primitives.js';

export const TemplateContainerSchema = looseObject(
  'A container of the game server pod (core/v1 Container). Fields other than name and image are passed to the pod unchanged.',
  {
    name: dnsLabel('Name of the container, unique within the pod.'),
    image: z.string().min(1).describe('Container image. Changing only images lets InPlaceIfPossible and InPlaceOnly update pods in place.'),
  },
);

export const TemplateMetadataSchema = looseObject(
  'Labels and annotations given to every pod (and copied to its GameServer when it is created).',
  {
    labels: stringMap('Labels of the pods.').optional(),
    annotations: stringMap('Annotations of the pods.').optional(),
  },
);

export const TemplatePodSpecSchema = looseObject(
  'The pod spec (core/v1 PodSpec) of every game server pod. Fields other than containers are passed to the pod unchanged.',
  {
    containers: keyedList(TemplateContainerSchema, 'name', 'Containers of the pod: at least one, names unique.').min(1),
  },
);

export const VolumeClaimTemplateSchema = looseObject(
  'A PersistentVolumeClaim template: each pod gets its own claim named <template name>-<pod name>.',
  {
    metadata: looseObject('Metadata of the claims; the name is required.', {
      name: dnsLabel('Name of the template, and the prefix of each claim name.'),
      labels: stringMap('Labels of the claims.').optional(),
      annotations: stringMap('Annotations of the claims.').optional(),
    }),
    spec: looseObject('The claim spec (core/v1 PersistentVolumeClaimSpec).', {}),
  },
);

export const RECLAIM_POLICIES = ['Cascade', 'Delete'] as const;
export type ReclaimPolicy = (typeof RECLAIM_POLICIES)[number];

export const GameServerTemplateSchema = z
  .object({
    metadata: TemplateMetadataSchema.optional(),
    spec: TemplatePodSpecSchema,
    volumeClaimTemplates: z
      .array(VolumeClaimTemplateSchema)
      .max(32)
      .optional()
      .describe('Claims created for every pod and mounted by name through volumes of the pod spec.'),
    reclaimPolicy: z
      .enum(RECLAIM_POLICIES)
      .default('Cascade')
      .describe(
        'Who owns each GameServer. Cascade (default): the pod, so the GameServer, with its ops fields, goes with the pod. ' +
          'Delete: the GameServerSet, so the GameServer outlives a pod recreate and is deleted only when its id is scaled away.',
      ),
  })
  .describe('Template of the pods of the game servers: a pod template (metadata and spec) plus volume claim templates and the GameServer reclaim policy.');
export type GameServerTemplate = z.infer<typeof GameServerTemplateSchema>;
