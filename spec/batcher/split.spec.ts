import { describe, expect, it } from '@jest/globals';
import { chunk, halves } from '../../src/batcher/split.js';

describe('chunk', () => {
  it('returns the items themselves when they fit', () => {
    const items = [1, 2, 3];
    expect(chunk(items, 3)).toEqual([items]);
    expect(chunk(items, 3)[0]).toBe(items);
  });

  it('cuts consecutive chunks of at most size items, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('halves', () => {
  it.each([
    [[1, 2, 3, 4], [[1, 2], [3, 4]]],
    [[1, 2, 3], [[1, 2], [3]]],
    [[1, 2], [[1], [2]]],
  ])('%p → %p (the first half gets the odd item)', (items, expected) => {
    expect(halves(items)).toEqual(expected);
  });
});
