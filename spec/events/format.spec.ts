import { describe, expect, it } from '@jest/globals';
import { formatDuration, formatTimestamp } from '../../src/events/format.js';

describe('formatTimestamp', () => {
  it.each([
    [0, '1970-01-01T00:00:00.000000Z'],
    [1.001, '1970-01-01T00:00:00.001001Z'],
    [Date.UTC(2026, 0, 1) + 0.001, '2026-01-01T00:00:00.000001Z'],
    [Date.UTC(2026, 0, 1, 12, 30, 5) + 123.456, '2026-01-01T12:30:05.123456Z'],
    [999.9999, '1970-01-01T00:00:01.000000Z'],
  ])('formats %p as %s', (ms, expected) => {
    expect(formatTimestamp(ms)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00:00.000000'],
    [5123.456, '0:00:05.123456'],
    [61_000, '0:01:01.000000'],
    [3_600_000 * 26 + 0.001, '26:00:00.000001'],
    [-5, '0:00:00.000000'],
  ])('formats %p ms as %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
