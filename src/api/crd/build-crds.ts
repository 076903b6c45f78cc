// The CustomResourceDefinitions of GameServerSet and GameServer, built from
// the zod schemas: `npm run gen:crds` writes them to config/crd/, and a unit
// test fails when the committed files differ from what this builds.
import { stringify } from 'yaml';
import { z } from 'zod';
import {
  GAME_SERVER_KIND,
  GAME_SERVER_PLURAL,
  GAME_SERVER_SET_KIND,
  GAME_SERVER_SET_PLURAL,
  GROUP,
  VERSION,
} from '../constants.js';
import { GameServerSetStatusSchema } from '../game-server-set-status.js';
import { GameServerSetSchema, GameServerSetSpecSchema } from '../game-server-set.js';
import { GameServerSchema, GameServerSpecSchema, GameServerStatusSchema } from '../game-server.js';
import { StructuralSchemaError, toStructuralSchema, undocumentedFields, type JsonSchema } from './structural.js';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description: string;
  readonly priority?: number;
}

export interface CustomResourceDefinition {
  readonly apiVersion: 'apiextensions.k8s.io/v1';
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly group: string;
    readonly names: {
      readonly kind: string;
      readonly listKind: string;
      readonly plural: string;
      readonly singular: string;
      readonly shortNames: readonly string[];
      readonly categories: readonly string[];
    };
    readonly scope: 'Namespaced';
    readonly versions: ReadonlyArray<{
      readonly name: string;
      readonly served: boolean;
      readonly storage: boolean;
      readonly schema: { readonly openAPIV3Schema: JsonSchema };
      readonly subresources: JsonSchema;
      readonly additionalPrinterColumns: readonly PrinterColumn[];
    }>;
  };
}

export class UndocumentedFieldsError extends Error {
  constructor(readonly fields: readonly string[]) {
    super(`fields without a description (kubectl explain would show nothing):\n  ${fields.join('\n  ')}`);
    this.name = 'UndocumentedFieldsError';
  }
}

export const CATEGORIES = ['game', 'gamekeeper'] as const;

/** The OpenAPI v3 schema of a zod schema, as the API server accepts it. */
export function openApiSchema(schema: z.ZodType, path: string): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'throw',
    cycles: 'throw',
    reused: 'inline',
  }) as JsonSchema;
  return toStructuralSchema(json, path);
}

interface KindDefinition {
  readonly kind: string;
  readonly plural: string;
  readonly shortName: string;
  readonly description: string;
  readonly spec: z.ZodType;
  readonly status: z.ZodType;
  readonly specRequired: boolean;
  readonly printerColumns: readonly PrinterColumn[];
  readonly scale?: JsonSchema;
}

function buildCrd(def: KindDefinition): CustomResourceDefinition {
  const root: JsonSchema = {
    type: 'object',
    description: def.description,
    properties: {
      apiVersion: {
        type: 'string',
        description: `Versioned schema of this object: ${GROUP}/${VERSION}.`,
      },
      kind: { type: 'string', description: `Kind of this object: ${def.kind}.` },
      metadata: { type: 'object' },
      spec: openApiSchema(def.spec, 'spec'),
      status: openApiSchema(def.status, 'status'),
    },
    ...(def.specRequired ? { required: ['spec'] } : {}),
  };
  const undocumented = undocumentedFields(root).filter((field) => field !== '<root>.metadata');
  if (undocumented.length > 0) throw new UndocumentedFieldsError(undocumented);
  const violations = rootViolations(root);
  if (violations.length > 0) throw new StructuralSchemaError(violations);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${GROUP}`, labels: { 'app.kubernetes.io/part-of': 'gamekeeper' } },
    spec: {
      group: GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.kind.toLowerCase(),
        shortNames: [def.shortName],
        categories: CATEGORIES,
      },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: root },
          subresources: { status: {}, ...(def.scale ? { scale: def.scale } : {}) },
          additionalPrinterColumns: def.printerColumns,
        },
      ],
    },
  };
}

/** The root may say nothing about metadata beyond its type (defaults there are forbidden). */
function rootViolations(root: JsonSchema): string[] {
  const properties = root.properties as Record<string, JsonSchema>;
  const metadata = properties.metadata ?? {};
  return Object.keys(metadata).some((key) => key !== 'type') ? ['<root>.metadata: only "type: object" is allowed'] : [];
}

const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since creation.',
};

export function buildGameServerSetCrd(): CustomResourceDefinition {
  const count = (name: string, field: string, description: string, priority?: number): PrinterColumn => ({
    name,
    type: 'integer',
    jsonPath: `.status.${field}`,
    description,
    ...(priority !== undefined ? { priority } : {}),
  });
  return buildCrd({
    kind: GAME_SERVER_SET_KIND,
    plural: GAME_SERVER_SET_PLURAL,
    shortName: 'gss',
    description: GameServerSetSchema.description ?? '',
    spec: GameServerSetSpecSchema,
    status: GameServerSetStatusSchema,
    specRequired: true,
    printerColumns: [
      { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'Desired number of game servers.' },
      count('Current', 'currentReplicas', 'Pods of the set.'),
      count('Updated', 'updatedReplicas', 'Pods of the update revision.'),
      count('Ready', 'readyReplicas', 'Ready pods.'),
      count('Maintaining', 'maintainingReplicas', 'Game servers with opsState Maintaining.'),
      count('WaitToBeDeleted', 'waitToBeDeletedReplicas', 'Game servers with opsState WaitToBeDeleted.'),
      count('PreDelete', 'preDeleteReplicas', 'Game servers in state PreDelete.'),
      age,
      count('Available', 'availableReplicas', 'Pods ready for at least minReadySeconds.', 1),
      count('UpdatedReady', 'updatedReadyReplicas', 'Ready pods of the update revision.', 1),
    ],
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.labelSelector',
    },
  });
}

export function buildGameServerCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: GAME_SERVER_KIND,
    plural: GAME_SERVER_PLURAL,
    shortName: 'gs',
    description: GameServerSchema.description ?? '',
    spec: GameServerSpecSchema.prefault({}),
    status: GameServerStatusSchema,
    specRequired: false,
    printerColumns: [
      { name: 'State', type: 'string', jsonPath: '.status.currentState', description: 'State of the game server.' },
      { name: 'OpsState', type: 'string', jsonPath: '.spec.opsState', description: 'Operational state.' },
      { name: 'DP', type: 'string', jsonPath: '.status.deletionPriority', description: 'Deletion priority.' },
      { name: 'UP', type: 'string', jsonPath: '.status.updatePriority', description: 'Update priority.' },
      age,
      {
        name: 'Network',
        type: 'string',
        jsonPath: '.status.networkStatus.currentNetworkState',
        description: 'Network state.',
        priority: 1,
      },
    ],
  });
}

/** The CRD files under config/crd/, by file name. */
export function buildCrdFiles(): ReadonlyMap<string, CustomResourceDefinition> {
  return new Map([
    [`${GROUP}_${GAME_SERVER_SET_PLURAL}.yaml`, buildGameServerSetCrd()],
    [`${GROUP}_${GAME_SERVER_PLURAL}.yaml`, buildGameServerCrd()],
  ]);
}

/** The YAML written to config/crd/ for one CRD. */
export function renderCrdYaml(crd: CustomResourceDefinition): string {
  return `# Generated from src/api by \`npm run gen:crds\`: do not edit.\n---\n${stringify(crd, { lineWidth: 0 })}`;
}
