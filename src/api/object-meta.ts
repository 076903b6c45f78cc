// metav1.ObjectMeta as the operator reads it; unknown fields (managedFields,
// ...) are kept so nothing is lost on a round trip.
import { z } from 'zod';
import { looseObject, stringMap, timestamp } from './primitives.js';

export const OwnerReferenceSchema = looseObject('An owner of the object.', {
  apiVersion: z.string().describe('API version of the owner.'),
  kind: z.string().describe('Kind of the owner.'),
  name: z.string().describe('Name of the owner.'),
  uid: z.string().describe('UID of the owner.'),
  controller: z.boolean().optional().describe('Whether the owner is the managing controller.'),
  blockOwnerDeletion: z.boolean().optional().describe('Whether the owner waits for this object on foreground deletion.'),
});
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

export const ObjectMetaSchema = looseObject('Standard object metadata.', {
  name: z.string().min(1).describe('Name of the object.'),
  namespace: z.string().optional().describe('Namespace of the object.'),
  uid: z.string().optional().describe('UID of the object.'),
  resourceVersion: z.string().optional().describe('Resource version of the object.'),
  generation: z.int().optional().describe('Generation of the spec.'),
  creationTimestamp: timestamp('Creation time.').optional(),
  deletionTimestamp: timestamp('Deletion time, set once deletion was requested.').optional(),
  labels: stringMap('Labels.').optional(),
  annotations: stringMap('Annotations.').optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional().describe('Owners.'),
  finalizers: z.array(z.string()).optional().describe('Finalizers.'),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;
