import { describe, expect, it } from '@jest/globals';
import { isRecord } from '../../src/events/guards.js';

describe('isRecord', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [Object.create(null), true],
    [new Date(0), true],
    [new Map(), true],
    [[], false],
    [[1], false],
    [null, false],
    [undefined, false],
    ['{}', false],
    [1, false],
    [() => ({}), false],
  ])('%p → %p', (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });
});
