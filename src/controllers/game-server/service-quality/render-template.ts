// OKG's `{{.Result}}` templates in service-quality actions (pkg/util/template.go):
// - a value without "{{" is used as is;
// - eq ne lt le gt ge compare numerically when both sides parse as numbers,
//   as strings otherwise (OKG's eq/ne compare as Go values; we apply the
//   numeric rule to all six, so "10" eq "10.0");
// - number literals are accepted where OKG's functions want strings (OKG
//   fails the render), and/or/not work as in Go;
// - any parse or execution error keeps the raw string (renderOrRaw), except
//   for priorities, which must render to a 32-bit integer (renderPriority).
import type { IntOrString } from '../types.js';
import { parse, TemplateError, type Expr, type TemplateNode, type Value } from './template-parser.js';

export { TemplateError };

export type RenderResult = { ok: true; value: string } | { ok: false; error: TemplateError };

export function renderTemplate(template: string, result: string): RenderResult {
  if (!template.includes('{{')) return { ok: true, value: template };
  try {
    return { ok: true, value: renderNodes(parse(template), result) };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, error };
    throw error;
  }
}

/** OKG's RenderTemplate: the rendered value, or the raw template when it does not render. */
export function renderOrRaw(template: string, result: string): string {
  const rendered = renderTemplate(template, result);
  return rendered.ok ? rendered.value : template;
}

export type PriorityResult = { ok: true; value: number } | { ok: false; message: string };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** A priority from an action: an integer as is, a string rendered and parsed as a 32-bit integer. */
export function renderPriority(value: IntOrString, result: string): PriorityResult {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX
      ? { ok: true, value }
      : { ok: false, message: `priority value must be a 32-bit integer, got: ${value}` };
  }
  const rendered = renderOrRaw(value, result);
  if (rendered === '') return { ok: false, message: `rendered value is empty (template: ${value}, result: ${result})` };
  if (/^[+-]?\d+$/.test(rendered)) {
    const parsed = Number(rendered);
    if (parsed >= INT32_MIN && parsed <= INT32_MAX) return { ok: true, value: parsed };
  }
  return { ok: false, message: `priority value must be numeric, got: ${rendered} (template: ${value}, probe result: ${result})` };
}

function renderNodes(nodes: readonly TemplateNode[], result: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'print') out += printValue(evaluate(node.expr, result));
    else {
      const branch = node.branches.find((b) => truthy(evaluate(b.cond, result)));
      out += renderNodes(branch ? branch.body : node.otherwise, result);
    }
  }
  return out;
}

function evaluate(expr: Expr, result: string): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'field':
      if (expr.name !== 'Result') throw new TemplateError(`can't evaluate field ${expr.name}`);
      return result;
    case 'call':
      return call(expr.fn, expr.args, result);
  }
}

function call(fn: string, args: readonly Expr[], result: string): Value {
  if (fn === 'and' || fn === 'or') {
    if (args.length === 0) throw new TemplateError(`wrong number of args for ${fn}: want at least 1 got 0`);
    let value: Value = false;
    for (const arg of args) {
      value = evaluate(arg, result);
      if (truthy(value) === (fn === 'or')) return value;
    }
    return value;
  }
  const values = args.map((arg) => evaluate(arg, result));
  if (fn === 'not') {
    if (values.length !== 1) throw new TemplateError(`wrong number of args for not: want 1 got ${values.length}`);
    return !truthy(values[0] as Value);
  }
  if (values.length !== 2) throw new TemplateError(`wrong number of args for ${fn}: want 2 got ${values.length}`);
  return compare(fn, values[0] as Value, values[1] as Value);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function compare(fn: string, a: Value, b: Value): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (fn === 'eq') return a === b;
    if (fn === 'ne') return a !== b;
    throw new TemplateError(`${fn}: cannot compare booleans`);
  }
  const as = String(a);
  const bs = String(b);
  const numeric = DECIMAL.test(as) && DECIMAL.test(bs);
  const [x, y]: [number | string, number | string] = numeric ? [Number(as), Number(bs)] : [as, bs];
  switch (fn) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    default:
      throw new TemplateError(`function ${JSON.stringify(fn)} not defined`);
  }
}

function truthy(value: Value): boolean {
  return value !== false && value !== 0 && value !== '';
}

function printValue(value: Value): string {
  return String(value);
}
