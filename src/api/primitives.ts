// Small schemas shared by both kinds: names, string maps, timestamps,
// loosely typed Kubernetes objects and standard conditions.
import { z } from 'zod';

/** RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function dnsLabel(description: string) {
  return z.string().min(1).max(63).regex(DNS_LABEL_PATTERN).describe(description);
}

/** A map of strings, e.g. labels or annotations. */
export function stringMap(description: string) {
  return z.record(z.string(), z.string()).describe(description);
}

/** An RFC 3339 timestamp as the API server writes it (client-node list results must be JSON round-tripped first). */
export function timestamp(description: string) {
  return z.iso.datetime({ offset: true }).describe(description);
}

/**
 * A Kubernetes object kept as given: the listed fields are typed, any other
 * field is preserved (`x-kubernetes-preserve-unknown-fields`).
 */
export function looseObject<T extends z.core.$ZodLooseShape>(description: string, shape: T) {
  return z.looseObject(shape).describe(description);
}

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

/** metav1.Condition, the standard status condition. */
export const ConditionSchema = z
  .object({
    type: z.string().min(1).max(316).describe('Type of the condition, in CamelCase.'),
    status: z.enum(CONDITION_STATUSES).describe('Status of the condition: True, False or Unknown.'),
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation the condition was set for.'),
    lastTransitionTime: timestamp('Last time the condition changed status.').optional(),
    reason: z.string().max(1024).optional().describe("Machine-readable, CamelCase reason for the condition's last transition."),
    message: z.string().max(32768).optional().describe('Human-readable details of the last transition.'),
  })
  .describe('A standard condition (metav1.Condition).');
export type Condition = z.infer<typeof ConditionSchema>;

/**
 * A list of objects keyed by one of their fields (`x-kubernetes-list-type:
 * map`): the API server refuses a duplicate key, and server-side apply merges
 * items by key.
 */
export function keyedList<T extends z.ZodType>(item: T, key: string, description: string) {
  return z
    .array(item)
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [key] })
    .superRefine((list, ctx) => {
      const seen = new Set<unknown>();
      list.forEach((element, index) => {
        const value = (element as Record<string, unknown>)[key];
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate ${key} ${JSON.stringify(value)}` });
        seen.add(value);
      });
    })
    .describe(description);
}

/** A list of conditions keyed by type. */
export function conditionList<T extends z.ZodType>(description: string, item: T) {
  return keyedList(item, 'type', description);
}
