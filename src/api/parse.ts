// Validation of objects read from the cluster: a tagged result with a
// message naming each bad field, as the API server would.
import type { z } from 'zod';
import { GameServerSetSchema, type GameServerSet } from './game-server-set.js';
import { GameServerSchema, type GameServer } from './game-server.js';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Validates an object read from the cluster (JSON, timestamps as strings) as a GameServerSet, defaults applied. */
export function parseGameServerSet(obj: unknown): ParseResult<GameServerSet> {
  return parseWith(GameServerSetSchema, 'GameServerSet', obj);
}

/** Validates an object read from the cluster (JSON, timestamps as strings) as a GameServer, defaults applied. */
export function parseGameServer(obj: unknown): ParseResult<GameServer> {
  return parseWith(GameServerSchema, 'GameServer', obj);
}

export function parseWith<T>(schema: z.ZodType<T>, kind: string, obj: unknown): ParseResult<T> {
  const result = schema.safeParse(obj);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: `${kind} ${describeObject(obj)} is invalid: ${formatIssues(result.error.issues)}` };
}

/** `spec.replicas: Too small: expected number to be >=0; ...`, field paths written as Kubernetes does. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return flatten(issues, [])
    .map(({ path, message }) => `${path === '' ? '<root>' : path}: ${message}`)
    .join('; ');
}

/** Kubernetes field path: `spec.serviceQualities[1].name`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

interface FlatIssue {
  readonly path: string;
  readonly message: string;
}

function flatten(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // An int-or-string: report the branch that got the right type, not "Invalid input".
      const relevant = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type'));
      if (relevant.length > 0) return relevant.flatMap((branch) => flatten(branch, path));
      return [{ path: fieldPath(path), message: 'expected an integer or a string' }];
    }
    return [{ path: fieldPath(path), message: issue.message }];
  });
}

function describeObject(obj: unknown): string {
  if (typeof obj !== 'object' || obj === null) return '(not an object)';
  const metadata = (obj as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
  const name = typeof metadata?.name === 'string' ? metadata.name : '(unnamed)';
  return typeof metadata?.namespace === 'string' ? `${metadata.namespace}/${name}` : name;
}
