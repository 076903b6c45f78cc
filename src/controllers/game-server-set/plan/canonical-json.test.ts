import { describe, expect, it } from '@jest/globals';
import { canonicalJson, goCanonical, jsonEqual } from './canonical-json.js';

describe('canonicalJson', () => {
  it.each([
    { name: 'sorts keys at every depth', value: { b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } }, expected: '{"a":{"c":3,"d":[{"x":2,"y":1}]},"b":1}' },
    { name: 'drops undefined members', value: { a: undefined, b: null }, expected: '{"b":null}' },
    { name: 'keeps array order, undefined items become null', value: [3, undefined, 1], expected: '[3,null,1]' },
    { name: 'dates as ISO strings', value: { at: new Date(0) }, expected: '{"at":"1970-01-01T00:00:00.000Z"}' },
    { name: 'undefined alone', value: undefined, expected: 'null' },
    { name: 'scalars', value: 'x', expected: '"x"' },
  ])('$name', ({ value, expected }) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('jsonEqual', () => {
  it.each([
    { name: 'key order ignored', a: { x: 1, y: 2 }, b: { y: 2, x: 1 }, equal: true },
    { name: 'undefined member equals absent member', a: { x: 1, y: undefined }, b: { x: 1 }, equal: true },
    { name: 'array order matters', a: [1, 2], b: [2, 1], equal: false },
    { name: 'number vs string', a: { x: 1 }, b: { x: '1' }, equal: false },
  ])('$name', ({ a, b, equal }) => {
    expect(jsonEqual(a, b)).toBe(equal);
  });
});

describe('goCanonical', () => {
  it.each([
    { name: 'sorts keys at every depth', value: { spec: { containers: [{ name: 'a', image: 'b' }] }, metadata: {} }, expected: '{"metadata":{},"spec":{"containers":[{"image":"b","name":"a"}]}}' },
    { name: "escapes what Go's encoder escapes", value: { command: ['sh', '-c', 'a && b > c < d'] }, expected: '{"command":["sh","-c","a \\u0026\\u0026 b \\u003e c \\u003c d"]}' },
    { name: 'escapes line and paragraph separators', value: { note: 'x\u2028y\u2029' }, expected: '{"note":"x\\u2028y\\u2029"}' },
    { name: 'keeps other characters and JSON escapes', value: { note: 'é "q" \\ \n' }, expected: '{"note":"é \\"q\\" \\\\ \\n"}' },
    { name: 'drops undefined members', value: { a: undefined, b: 1 }, expected: '{"b":1}' },
  ])('$name', ({ value, expected }) => {
    expect(JSON.stringify(goCanonical(value))).toBe(expected);
  });

  it('reads back as the same value', () => {
    const value = { b: ['x && y', { d: '<tag>', c: 2 }], a: true };
    expect(JSON.parse(JSON.stringify(goCanonical(value)))).toEqual(value);
  });
});
