import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { openApiSchema } from './build-crds.js';
import { normalizeSchema, StructuralSchemaError, structuralViolations, toStructuralSchema, undocumentedFields, type JsonSchema } from './structural.js';

describe('normalizeSchema', () => {
  it.each<[string, JsonSchema, JsonSchema]>([
    [
      'a loose object keeps unknown fields',
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: {} },
      { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
    ],
    [
      'an empty loose object drops its empty properties',
      { type: 'object', properties: {}, additionalProperties: {} },
      { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    ],
    ['additionalProperties: true', { type: 'object', additionalProperties: true }, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
    [
      'a string map stays a map',
      { type: 'object', additionalProperties: { type: 'string' } },
      { type: 'object', additionalProperties: { type: 'string' } },
    ],
    [
      'an int-or-string union hoists its limits',
      {
        description: 'd',
        anyOf: [
          { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
          { type: 'string', pattern: '^[0-9]+%$', maxLength: 4 },
        ],
      },
      {
        description: 'd',
        minimum: 0,
        maxLength: 4,
        pattern: '^[0-9]+%$',
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      },
    ],
    [
      'a string-first int-or-string union',
      { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    ],
    ['const becomes a one-value enum', { type: 'string', const: 'v1' }, { type: 'string', enum: ['v1'] }],
    [
      "zod's safe-integer bounds go",
      { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
      { type: 'integer' },
    ],
    ['int32 bounds stay', { type: 'integer', minimum: -2147483648, maximum: 2147483647 }, { type: 'integer', minimum: -2147483648, maximum: 2147483647 }],
    ['a date-time loses its regex', { type: 'string', format: 'date-time', pattern: '^\\d+' }, { type: 'string', format: 'date-time' }],
    ['$schema and propertyNames go', { $schema: 'x', type: 'object', propertyNames: { type: 'string' } }, { type: 'object' }],
    [
      'nested schemas are normalized too',
      { type: 'array', items: { type: 'object', properties: { x: { type: 'string', const: 'a' } }, additionalProperties: {} } },
      {
        type: 'array',
        items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { x: { type: 'string', enum: ['a'] } } },
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(normalizeSchema(input)).toEqual(expected);
    expect(structuralViolations(normalizeSchema(input))).toEqual([]);
  });

  it('leaves a union it cannot express as int-or-string for the checks to refuse', () => {
    const schema = { anyOf: [{ type: 'integer', description: 'an int' }, { type: 'string' }] };
    expect(normalizeSchema(schema)).toEqual(schema);
    expect(() => toStructuralSchema(schema)).toThrow(StructuralSchemaError);
  });
});

describe('structuralViolations', () => {
  it.each<[string, JsonSchema, string]>([
    ['a $ref', { type: 'object', properties: { a: { $ref: '#/definitions/A' } } }, '<root>.a: "$ref" is forbidden'],
    ['definitions', { type: 'object', definitions: {} }, '<root>: "definitions" is forbidden'],
    ['an id', { type: 'object', id: 'x' }, '<root>: "id" is forbidden'],
    ['dependencies', { type: 'object', dependencies: {} }, '<root>: "dependencies" is forbidden'],
    ['patternProperties', { type: 'object', patternProperties: {} }, '<root>: "patternProperties" is forbidden'],
    ['additionalItems', { type: 'array', items: { type: 'string' }, additionalItems: false }, '<root>: "additionalItems" is forbidden'],
    ['a missing type', { type: 'object', properties: { a: { description: 'x' } } }, '<root>.a: "type" is required'],
    ['a type list', { type: ['string', 'null'] }, '<root>: "type" must be one of'],
    ['type null', { type: 'null' }, '<root>: "type" must be one of'],
    ['an unknown keyword', { type: 'string', contentEncoding: 'base64' }, '<root>: unknown keyword "contentEncoding"'],
    ['a tuple', { type: 'array', items: [{ type: 'string' }] }, '<root>: "items" must be one schema'],
    ['an array without items', { type: 'array' }, '<root>: an array needs "items"'],
    ['uniqueItems', { type: 'array', items: { type: 'string' }, uniqueItems: true }, '<root>: uniqueItems: true is forbidden'],
    ['additionalProperties: false', { type: 'object', additionalProperties: false }, '<root>: additionalProperties: false is forbidden'],
    [
      'additionalProperties next to properties',
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
      '<root>: additionalProperties and properties are mutually exclusive',
    ],
    ['a type inside anyOf', { type: 'object', anyOf: [{ type: 'object' }] }, '<root>.anyOf[0]: "type" is forbidden inside'],
    ['a description inside oneOf', { type: 'string', oneOf: [{ description: 'x' }] }, '<root>.oneOf[0]: "description" is forbidden inside'],
    ['a default inside allOf', { type: 'string', allOf: [{ default: 'x' }] }, '<root>.allOf[0]: "default" is forbidden inside'],
    ['nullable inside not', { type: 'string', not: { nullable: true } }, '<root>.not: "nullable" is forbidden inside'],
    [
      'a property only inside a junctor',
      { type: 'object', anyOf: [{ properties: { a: { minLength: 1 } } }] },
      '<root>.anyOf[0]: property "a" must also be declared outside the junctor',
    ],
    [
      'an int-or-string with a type',
      { type: 'string', 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      '<root>: an x-kubernetes-int-or-string field must not have a "type"',
    ],
    [
      'an int-or-string with other branches',
      { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer', format: 'int32' }, { type: 'string' }] },
      '<root>: an x-kubernetes-int-or-string anyOf must be exactly',
    ],
    ['a numeric exclusiveMinimum', { type: 'integer', exclusiveMinimum: 0 }, '<root>: "exclusiveMinimum" must be a boolean'],
    [
      'a list map without keys',
      { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object', properties: {} } },
      '<root>: a list of type map needs x-kubernetes-list-map-keys',
    ],
    [
      'a list map key that is optional',
      {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' } } },
      },
      '<root>: list map key "name" must be required or have a default',
    ],
    [
      'a set of objects',
      { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'object' } },
      '<root>: items of a list of type set must be scalars',
    ],
    ['a CEL rule without a rule', { type: 'object', 'x-kubernetes-validations': [{ message: 'm' }] }, '<root>: every x-kubernetes-validations entry needs a rule'],
    ['an enum of the wrong type', { type: 'integer', enum: ['1'] }, '<root>: enum values must be of type integer'],
  ])('refuses %s', (_name, schema, violation) => {
    const violations = structuralViolations(schema);
    expect(violations.some((v) => v.startsWith(violation))).toBe(true);
    expect(() => toStructuralSchema(schema)).toThrow(StructuralSchemaError);
  });

  it('accepts preserve-unknown-fields and int-or-string nodes without a type', () => {
    expect(structuralViolations({ 'x-kubernetes-preserve-unknown-fields': true })).toEqual([]);
    expect(structuralViolations({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] })).toEqual([]);
  });

  it('lists every violation with its path', () => {
    const error = (() => {
      try {
        toStructuralSchema({ type: 'object', properties: { a: { $ref: 'x' }, b: { type: 'array' } } }, 'spec');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StructuralSchemaError);
    expect((error as StructuralSchemaError).violations).toEqual([
      'spec.a: "$ref" is forbidden in a structural schema',
      'spec.a: "type" is required',
      'spec.b: an array needs "items"',
    ]);
  });
});

describe('openApiSchema (zod → structural)', () => {
  it.each<[string, z.ZodType]>([
    ['a date', z.object({ at: z.date() })],
    ['a bigint', z.object({ n: z.bigint() })],
    ['a recursive schema', (() => {
      const Node: z.ZodType = z.lazy(() => z.object({ child: Node.optional() }));
      return Node;
    })()],
  ])('refuses %s', (_name, schema) => {
    expect(() => openApiSchema(schema, 'spec')).toThrow();
  });

  it.each<[string, z.ZodType]>([
    ['a union of objects', z.object({ a: z.union([z.object({ x: z.string() }), z.object({ y: z.string() })]) })],
    ['a nullable union of literals', z.object({ a: z.union([z.literal('a'), z.literal(1)]) })],
    ['a strict object', z.object({ a: z.strictObject({ x: z.string() }) })],
  ])('refuses %s as not structural', (_name, schema) => {
    expect(() => openApiSchema(schema, 'spec')).toThrow(StructuralSchemaError);
  });

  it('turns a zod int-or-string union into x-kubernetes-int-or-string', () => {
    const schema = openApiSchema(z.object({ n: z.union([z.int32().min(0), z.string().regex(/^a$/)]).describe('n') }).describe('o'), 'spec');
    expect(schema).toEqual({
      description: 'o',
      type: 'object',
      required: ['n'],
      properties: {
        n: {
          description: 'n',
          minimum: 0,
          maximum: 2147483647,
          pattern: '^a$',
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
        },
      },
    });
  });
});

describe('undocumentedFields', () => {
  it('lists fields without a description, nested ones included', () => {
    expect(
      undocumentedFields({
        type: 'object',
        properties: {
          a: { type: 'string', description: 'a' },
          b: { type: 'string' },
          c: { type: 'array', description: 'c', items: { type: 'object', properties: { d: { type: 'string', description: ' ' } } } },
        },
      }),
    ).toEqual(['<root>.b', '<root>.c[].d']);
  });
});
