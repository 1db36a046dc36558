import { describe, expect, it } from '@jest/globals';
import { backoffDelay, retryDelay } from '../../src/sender/backoff.js';
import { MAX_RETRY_DELAY_MS } from '../../src/sinks/sink.js';

const fixed = (value: number) => () => value;

describe('backoffDelay', () => {
  it.each([
    // retry, base, random, expected
    [0, 1000, 0, 1000],
    [1, 1000, 0, 2000],
    [2, 1000, 0, 4000],
    [3, 1000, 0, 8000],
    [0, 1000, 1, 1100],
    [2, 1000, 0.5, 4200],
    [3, 250, 0.25, 2050],
    [0, 0, 0.9, 0],
  ])('retry %i with base %i and random %f waits %f ms', (retry, base, random, expected) => {
    expect(backoffDelay(retry, base, fixed(random))).toBeCloseTo(expected, 9);
  });

  it('keeps jitter within [0, 10 %] even when the random source misbehaves', () => {
    expect(backoffDelay(1, 1000, fixed(-3))).toBe(2000);
    expect(backoffDelay(1, 1000, fixed(7))).toBe(2200);
  });
});

describe('retryDelay', () => {
  const base = { baseMs: 1000, random: fixed(0) };

  it.each([
    ['backoff alone', { retry: 1 }, 2000],
    ['a longer Retry-After wins', { retry: 0, retryAfterMs: 5000 }, 5000],
    ['a shorter Retry-After does not shorten the backoff', { retry: 2, retryAfterMs: 10 }, 4000],
    ['Retry-After is capped at 60 s', { retry: 0, retryAfterMs: 3_600_000 }, MAX_RETRY_DELAY_MS],
    ['exponential growth is capped at 60 s', { retry: 10 }, MAX_RETRY_DELAY_MS],
    ['the caller deadline caps everything', { retry: 3, retryAfterMs: 30_000, timeLeftMs: 1500 }, 1500],
    ['no time left means no wait', { retry: 0, timeLeftMs: 0 }, 0],
  ])('%s', (_label, input, expected) => {
    expect(retryDelay({ ...base, ...input })).toBe(expected);
  });
});
