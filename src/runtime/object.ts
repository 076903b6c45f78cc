// The shape the runtime knows of any Kubernetes object, as it comes off the
// wire (timestamps are strings), plus keys and normalization.
import { StringInterner } from './string-interner.js';

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly deletionGracePeriodSeconds?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly finalizers?: readonly string[];
  readonly managedFields?: readonly unknown[];
}

/** Any Kubernetes object in its JSON form. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
}

/** What a reconciler is asked to look at: a namespace (empty for cluster-scoped) and a name. */
export interface Request {
  readonly namespace: string;
  readonly name: string;
}

/** `namespace/name`, or `name` for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
export function objectKey(object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '';
  return namespace ? `${namespace}/${name}` : name;
}

export function requestKey(request: Request): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

export function parseKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function requestOf(object: KubeObject): Request {
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}

/** Drops what a cache need not hold; may return a modified (unfrozen) copy. */
export type ObjectTransform<T extends KubeObject> = (object: T) => T;

/**
 * The cached form of an object: a copy as JSON would make it (client-node
 * models carry `Date`s, watch events carry strings; undefined members
 * dropped), without managedFields, the optional transform applied, and the
 * result deep-frozen so no reader can mutate it. One pass, no intermediate
 * JSON text: at thousands of objects the round-trip's garbage set the heap's
 * peak. Strings that many objects repeat are shared (see StringInterner):
 * equal strings are indistinguishable, so readers see no difference.
 */
export function normalizeObject<T extends KubeObject>(object: T, transform?: ObjectTransform<T>): T {
  const copy = jsonCopy(object, '', true) as T;
  return deepFreeze(transform ? transform(copy) : copy);
}

/** The strings of every cache in the process (one table: pods and GameServers repeat each other's images and timestamps). */
const cachedStrings = new StringInterner();

/**
 * What `JSON.parse(JSON.stringify(value))` returns, built directly; at the top level, metadata loses managedFields.
 * An object whose members are all JSON values is copied with a spread, which
 * keeps the compact layout JSON.parse gave it; adding members one by one to
 * `{}` spills them into a separate, padded property store (about 700 bytes
 * more per cached pod).
 */
function jsonCopy(value: unknown, member: string, topLevel = false): unknown {
  if (typeof value === 'string') return cachedStrings.intern(value, member);
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (Array.isArray(value)) return value.map((item) => (item === undefined || typeof item === 'function' ? null : jsonCopy(item, member)));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonCopy((toJSON as () => unknown).call(value), member);
  if (!hasOnlyJsonMembers(value)) return jsonCopyByMember(value, topLevel);
  const copy: Record<string, unknown> = { ...value };
  for (const key of Object.keys(copy)) {
    const item = copy[key];
    if (typeof item === 'string') copy[key] = cachedStrings.intern(item, key);
    else if (typeof item === 'object' && item !== null) copy[key] = topLevel && key === 'metadata' ? jsonCopyMetadata(item) : jsonCopy(item, key);
    else if (typeof item === 'number' && !Number.isFinite(item)) copy[key] = null;
  }
  return copy;
}

/** No member JSON would drop (undefined, functions, symbols, symbol keys): a spread copies exactly what JSON would. */
function hasOnlyJsonMembers(value: object): boolean {
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') return false;
  }
  return true;
}

function jsonCopyByMember(value: object, topLevel: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    copy[key] = topLevel && key === 'metadata' ? jsonCopyMetadata(item) : jsonCopy(item, key);
  }
  return copy;
}

function jsonCopyMetadata(metadata: unknown): unknown {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return jsonCopy(metadata, 'metadata');
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(metadata)) {
    if (key === 'managedFields' || item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    copy[key] = jsonCopy(item, key === 'uid' ? 'metadata.uid' : key);
  }
  return copy;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
