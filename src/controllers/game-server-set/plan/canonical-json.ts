// Canonical JSON: object keys sorted, `undefined` members dropped, arrays kept
// in order. Two values with the same JSON meaning get the same text, which is
// what revision hashes and "did the status change" checks need.

/** `value` as canonical JSON text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? 'null';
}

/** True when `a` and `b` serialise to the same canonical JSON. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : normalize(item)));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = normalize(member);
    }
    return out;
  }
  return value;
}

/** `JSON.rawJSON` (Node 21+; not yet in TypeScript's ES2023 lib): a primitive whose JSON text JSON.stringify writes as given. */
const rawJSON = (text: string): unknown => (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(text);

/** Characters Go's encoding/json escapes in strings although JSON does not require it. */
const GO_ESCAPED = /[<>&\u2028\u2029]/g;

/**
 * `value` prepared so that JSON.stringify writes exactly the bytes Go's
 * encoding/json writes for the same data decoded into maps: object keys
 * sorted, and `<`, `>`, `&`, U+2028 and U+2029 in strings escaped as
 * `\u003c`... An API server that decodes a stored RawExtension (a
 * ControllerRevision's `data`) into maps and encodes it again, as a
 * strategic-merge patch does, then finds the bytes unchanged. (Object keys
 * that look like integers keep JavaScript's numeric order; no pod template
 * field has two of them.)
 */
export function goCanonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : goCanonical(item)));
  if (typeof value === 'string') {
    if (value.search(GO_ESCAPED) < 0) return value;
    return rawJSON(JSON.stringify(value).replace(GO_ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = goCanonical(member);
    }
    return out;
  }
  return value;
}
