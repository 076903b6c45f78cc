// Turns what z.toJSONSchema emits (target openapi-3.0, io input) into a
// structural schema as apiextensions.k8s.io/v1 requires, and refuses anything
// the API server would reject or silently drop. Rewrites:
// - `additionalProperties: {}` (a zod looseObject) → x-kubernetes-preserve-unknown-fields;
// - anyOf [integer, string] → x-kubernetes-int-or-string, with the branch
//   limits hoisted onto the field (OpenAPI applies numeric limits to numbers
//   and string limits to strings only, so the meaning is unchanged);
// - `const` → a one-value enum; zod's safe-integer bounds and date-time
//   regex are dropped (format date-time says it).

export type JsonSchema = { [keyword: string]: unknown };

export class StructuralSchemaError extends Error {
  constructor(readonly violations: readonly string[]) {
    super(`not a structural schema:\n  ${violations.join('\n  ')}`);
    this.name = 'StructuralSchemaError';
  }
}

/** Keywords of apiextensions.k8s.io/v1 JSONSchemaProps; any other would be dropped by the API server. */
const KNOWN_KEYWORDS = new Set([
  'id', '$schema', '$ref', 'description', 'type', 'format', 'title', 'default', 'maximum', 'exclusiveMaximum',
  'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems',
  'multipleOf', 'enum', 'maxProperties', 'minProperties', 'required', 'items', 'allOf', 'oneOf', 'anyOf', 'not',
  'properties', 'additionalProperties', 'patternProperties', 'dependencies', 'additionalItems', 'definitions',
  'externalDocs', 'example', 'nullable', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string', 'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);
/** Known to JSONSchemaProps but forbidden in a structural schema. */
const FORBIDDEN_KEYWORDS = ['id', '$schema', '$ref', 'definitions', 'dependencies', 'patternProperties', 'additionalItems'];
/** Not allowed inside allOf/anyOf/oneOf/not. */
const FORBIDDEN_IN_JUNCTORS = ['type', 'description', 'default', 'nullable', 'additionalProperties', 'title'];
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const NUMERIC_LIMITS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const STRING_LIMITS = ['pattern', 'minLength', 'maxLength'];

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapValues(record: unknown, fn: (value: JsonSchema) => JsonSchema): unknown {
  if (!isSchema(record)) return record;
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, isSchema(value) ? fn(value) : value]));
}

/** Applies the rewrites above, bottom-up; returns a new schema. */
export function normalizeSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  delete out.$schema;
  delete out.propertyNames;
  if ('const' in out) {
    out.enum = [out.const];
    delete out.const;
  }
  if (out.properties !== undefined) out.properties = mapValues(out.properties, normalizeSchema);
  if (isSchema(out.items)) out.items = normalizeSchema(out.items);
  if (isSchema(out.not)) out.not = normalizeSchema(out.not);
  for (const junctor of JUNCTORS) {
    const branches = out[junctor];
    if (Array.isArray(branches)) out[junctor] = branches.map((b: unknown) => (isSchema(b) ? normalizeSchema(b) : b));
  }
  const additional = out.additionalProperties;
  if (additional === true || (isSchema(additional) && Object.keys(additional).length === 0)) {
    delete out.additionalProperties;
    out['x-kubernetes-preserve-unknown-fields'] = true;
  } else if (isSchema(additional)) {
    out.additionalProperties = normalizeSchema(additional);
  }
  if (out.type === 'integer') {
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  }
  if (out.format === 'date-time') delete out.pattern;
  if (out['x-kubernetes-preserve-unknown-fields'] === true && isSchema(out.properties) && Object.keys(out.properties).length === 0) {
    delete out.properties;
  }
  return orderKeywords(rewriteIntOrString(out));
}

/** Keyword order of the written YAML: what a reader wants first, nested schemas last. */
const KEYWORD_ORDER = [
  'description', 'type', 'format', 'nullable', 'default', 'enum', 'minimum', 'exclusiveMinimum', 'maximum',
  'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'minProperties',
  'maxProperties', 'x-kubernetes-int-or-string', 'anyOf', 'allOf', 'oneOf', 'not', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource', 'x-kubernetes-map-type', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
  'x-kubernetes-validations', 'required', 'properties', 'additionalProperties', 'items',
];

function orderKeywords(node: JsonSchema): JsonSchema {
  const rank = (key: string) => {
    const index = KEYWORD_ORDER.indexOf(key);
    return index === -1 ? KEYWORD_ORDER.length : index;
  };
  return Object.fromEntries(Object.entries(node).sort(([a], [b]) => rank(a) - rank(b)));
}

function rewriteIntOrString(node: JsonSchema): JsonSchema {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2 || !branches.every(isSchema)) return node;
  const int = branches.find((b) => b.type === 'integer');
  const str = branches.find((b) => b.type === 'string');
  if (int === undefined || str === undefined) return node;
  const hoisted: JsonSchema = {};
  for (const [branch, allowed] of [[int, NUMERIC_LIMITS], [str, STRING_LIMITS]] as const) {
    for (const [key, value] of Object.entries(branch)) {
      if (key === 'type') continue;
      // Anything else (a description, a format, ...) cannot move: leave the union for the checks to report.
      if (!allowed.includes(key) || key in node) return node;
      hoisted[key] = value;
    }
  }
  const { anyOf: _anyOf, ...rest } = node;
  return { ...rest, ...hoisted, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
}

function isIntOrStringPattern(node: JsonSchema): boolean {
  const branches = node.anyOf;
  return (
    Array.isArray(branches) &&
    branches.length === 2 &&
    JSON.stringify(branches) === JSON.stringify([{ type: 'integer' }, { type: 'string' }])
  );
}

/** Every reason the API server would refuse the schema (or drop part of it); empty when structural. */
export function structuralViolations(schema: JsonSchema, path = '<root>'): string[] {
  const violations: string[] = [];
  check(schema, path, false, violations);
  return violations;
}

function check(node: JsonSchema, path: string, inJunctor: boolean, out: string[]): void {
  const report = (message: string) => out.push(`${path}: ${message}`);
  for (const key of Object.keys(node)) {
    if (!KNOWN_KEYWORDS.has(key)) report(`unknown keyword "${key}" (the API server would drop it)`);
    else if (FORBIDDEN_KEYWORDS.includes(key)) report(`"${key}" is forbidden in a structural schema`);
  }
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  const type = node.type;
  if (inJunctor) {
    for (const key of FORBIDDEN_IN_JUNCTORS) if (key in node) report(`"${key}" is forbidden inside allOf/anyOf/oneOf/not`);
    for (const key of Object.keys(node)) if (key.startsWith('x-kubernetes-')) report(`"${key}" is forbidden inside allOf/anyOf/oneOf/not`);
  } else if (type === undefined) {
    if (!intOrString && !preserveUnknown) report('"type" is required');
  } else if (typeof type !== 'string' || !TYPES.has(type)) {
    report(`"type" must be one of ${[...TYPES].join(', ')}, not ${JSON.stringify(type)} (use nullable for null)`);
  }
  if (intOrString) {
    if (type !== undefined) report('an x-kubernetes-int-or-string field must not have a "type"');
    if (node.anyOf !== undefined && !isIntOrStringPattern(node)) report('an x-kubernetes-int-or-string anyOf must be exactly [{type: integer}, {type: string}]');
  }
  if (node.uniqueItems === true) report('uniqueItems: true is forbidden: use x-kubernetes-list-type set or map');
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum']) {
    if (key in node && typeof node[key] !== 'boolean') report(`"${key}" must be a boolean in OpenAPI v3.0`);
  }
  if ('items' in node && !isSchema(node.items)) report('"items" must be one schema, not a list');
  if (type === 'array' && !inJunctor && !isSchema(node.items)) report('an array needs "items"');
  checkAdditionalProperties(node, path, report, inJunctor, out);
  checkListType(node, report);
  checkValidations(node, report);
  checkEnum(node, report);
  if (isSchema(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) {
      if (isSchema(child)) check(child, `${path}.${name}`, inJunctor, out);
      else report(`property "${name}" is not a schema`);
    }
  }
  if (isSchema(node.items)) check(node.items, `${path}[]`, inJunctor, out);
  checkJunctors(node, path, out, intOrString);
}

function checkAdditionalProperties(node: JsonSchema, path: string, report: (m: string) => void, inJunctor: boolean, out: string[]): void {
  const additional = node.additionalProperties;
  if (additional === undefined) return;
  if (additional === false) report('additionalProperties: false is forbidden (unknown fields are pruned anyway)');
  else if (!isSchema(additional)) report('additionalProperties must be a schema (use x-kubernetes-preserve-unknown-fields for any value)');
  else check(additional, `${path}{}`, inJunctor, out);
  if (node.properties !== undefined) report('additionalProperties and properties are mutually exclusive');
}

function checkListType(node: JsonSchema, report: (m: string) => void): void {
  const listType = node['x-kubernetes-list-type'];
  if (listType === undefined) {
    if (node['x-kubernetes-list-map-keys'] !== undefined) report('x-kubernetes-list-map-keys needs x-kubernetes-list-type: map');
    return;
  }
  if (node.type !== 'array') report('x-kubernetes-list-type is only for arrays');
  if (typeof listType !== 'string' || !['atomic', 'set', 'map'].includes(listType)) report(`unknown x-kubernetes-list-type ${JSON.stringify(listType)}`);
  const items = isSchema(node.items) ? node.items : {};
  if (listType === 'set' && (items.type === 'object' || items.type === 'array')) report('items of a list of type set must be scalars');
  if (listType !== 'map') return;
  const keys = node['x-kubernetes-list-map-keys'];
  if (!Array.isArray(keys) || keys.length === 0) return report('a list of type map needs x-kubernetes-list-map-keys');
  if (items.type !== 'object') report('items of a list of type map must be objects');
  const properties = isSchema(items.properties) ? items.properties : {};
  const required = Array.isArray(items.required) ? items.required : [];
  for (const key of keys) {
    const property = properties[String(key)];
    if (!isSchema(property) || !['string', 'integer', 'number', 'boolean'].includes(String(property.type))) {
      report(`list map key "${String(key)}" must be a scalar property of the items`);
    } else if (!required.includes(key) && property.default === undefined) {
      report(`list map key "${String(key)}" must be required or have a default`);
    }
  }
}

function checkValidations(node: JsonSchema, report: (m: string) => void): void {
  const rules = node['x-kubernetes-validations'];
  if (rules === undefined) return;
  if (!Array.isArray(rules)) return report('x-kubernetes-validations must be a list');
  for (const rule of rules) {
    if (!isSchema(rule) || typeof rule.rule !== 'string' || rule.rule === '') report('every x-kubernetes-validations entry needs a rule');
  }
}

function checkEnum(node: JsonSchema, report: (m: string) => void): void {
  if (!Array.isArray(node.enum) || typeof node.type !== 'string') return;
  const jsType = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean' }[node.type];
  if (jsType !== undefined && node.enum.some((value) => typeof value !== jsType)) report(`enum values must be of type ${node.type}`);
}

function checkJunctors(node: JsonSchema, path: string, out: string[], intOrString: boolean): void {
  const branches: Array<[string, JsonSchema]> = [];
  for (const junctor of JUNCTORS) {
    const list = node[junctor];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      out.push(`${path}: ${junctor} must be a list`);
      continue;
    }
    if (junctor === 'anyOf' && intOrString && isIntOrStringPattern(node)) continue;
    list.forEach((branch: unknown, i) => {
      if (isSchema(branch)) branches.push([`${path}.${junctor}[${i}]`, branch]);
    });
  }
  if (isSchema(node.not)) branches.push([`${path}.not`, node.not]);
  const declared = isSchema(node.properties) ? node.properties : {};
  for (const [branchPath, branch] of branches) {
    check(branch, branchPath, true, out);
    if (isSchema(branch.properties)) {
      for (const name of Object.keys(branch.properties)) {
        if (!(name in declared)) out.push(`${branchPath}: property "${name}" must also be declared outside the junctor`);
      }
    }
    if (branch.items !== undefined && node.items === undefined) out.push(`${branchPath}: items must also be declared outside the junctor`);
  }
}

/** Normalizes, then throws StructuralSchemaError listing every violation. */
export function toStructuralSchema(schema: JsonSchema, path = '<root>'): JsonSchema {
  const normalized = normalizeSchema(schema);
  const violations = structuralViolations(normalized, path);
  if (violations.length > 0) throw new StructuralSchemaError(violations);
  return normalized;
}

/** Fields (object properties) without a description, so `kubectl explain` would show nothing. */
export function undocumentedFields(schema: JsonSchema, path = '<root>'): string[] {
  const missing: string[] = [];
  const walk = (node: JsonSchema, at: string) => {
    if (isSchema(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (!isSchema(child)) continue;
        if (typeof child.description !== 'string' || child.description.trim() === '') missing.push(`${at}.${name}`);
        walk(child, `${at}.${name}`);
      }
    }
    if (isSchema(node.items)) walk(node.items, `${at}[]`);
    if (isSchema(node.additionalProperties)) walk(node.additionalProperties, `${at}{}`);
  };
  walk(schema, path);
  return missing;
}
