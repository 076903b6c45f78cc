import { describe, expect, it } from '@jest/globals';
import { intOrPercent, IntOrPercentError, labelPriority, priority, scaledIntOrPercent, type IntOrString } from './int-or-string.js';

describe('scaledIntOrPercent', () => {
  it.each<[string, IntOrString, number, boolean, number]>([
    ['an integer as is', 3, 10, false, 3],
    ['an integer above the total', 30, 10, true, 30],
    ['a percentage rounded down', '25%', 10, false, 2],
    ['a percentage rounded up', '25%', 10, true, 3],
    ['an exact percentage', '50%', 10, false, 5],
    ['100%', '100%', 7, false, 7],
    ['0%', '0%', 7, true, 0],
    ['a percentage of nothing', '30%', 0, true, 0],
  ])('gives %s', (_name, value, total, roundUp, expected) => {
    expect(scaledIntOrPercent(value, total, roundUp)).toBe(expected);
  });

  it.each<[string, IntOrString]>([
    ['a percentage over 100', '150%'],
    ['a string without %', '10'],
    ['a negative integer', -1],
    ['a fraction', 0.5],
  ])('refuses %s', (_name, value) => {
    expect(() => scaledIntOrPercent(value, 10, false)).toThrow(IntOrPercentError);
  });
});

describe('intOrPercent', () => {
  const schema = intOrPercent('d');
  it.each<[IntOrString, boolean]>([
    [0, true],
    [5, true],
    ['0%', true],
    ['100%', true],
    ['7%', true],
    [-1, false],
    ['101%', false],
    ['07%', false],
    ['5', false],
    ['%', false],
  ])('%j valid: %s', (value, valid) => {
    expect(schema.safeParse(value).success).toBe(valid);
  });
});

describe('priority', () => {
  const schema = priority('d');
  it.each<[IntOrString, boolean]>([
    [0, true],
    [10, true],
    [-5, false],
    ['10', true],
    ['high', false],
    ['', false],
    ['-5', false],
    ['10000000000', false],
    ['a b', false],
    ['-x', false],
    ['x'.repeat(64), false],
  ])('%j valid: %s', (value, valid) => {
    expect(schema.safeParse(value).success).toBe(valid);
  });
});

describe('labelPriority (status: whatever the pod label holds)', () => {
  const schema = labelPriority('d');
  it.each<[IntOrString, boolean]>([
    ['high', true],
    ['', true],
    ['a b', false],
  ])('%j valid: %s', (value, valid) => {
    expect(schema.safeParse(value).success).toBe(valid);
  });
});
