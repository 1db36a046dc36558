import { describe, expect, it } from '@jest/globals';
import { parseRetryAfter } from '../../../src/sinks/http/retry-after.js';
import { MAX_RETRY_DELAY_MS } from '../../../src/sinks/sink.js';

const NOW = Date.UTC(2026, 0, 1, 0, 0, 0);

describe('parseRetryAfter', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['no header', {}, undefined],
    ['integer seconds', { 'retry-after': '2' }, 2000],
    ['zero seconds', { 'retry-after': '0' }, 0],
    ['fractional seconds', { 'retry-after': '1.5' }, 1500],
    ['leading-dot seconds', { 'retry-after': '.25' }, 250],
    ['seconds with spaces', { 'retry-after': '  3 ' }, 3000],
    ['seconds above the cap', { 'retry-after': '3600' }, MAX_RETRY_DELAY_MS],
    ['negative seconds', { 'retry-after': '-5' }, undefined],
    ['empty', { 'retry-after': '' }, undefined],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['exponent form', { 'retry-after': '1e3' }, undefined],
    ['hex form', { 'retry-after': '0x10' }, undefined],
    ['two values', { 'retry-after': '2, 3' }, undefined],
    ['HTTP date 5 s ahead', { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, 5000],
    ['HTTP date in the past', { 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    ['HTTP date far ahead', { 'retry-after': 'Fri, 02 Jan 2026 00:00:00 GMT' }, MAX_RETRY_DELAY_MS],
    ['RFC 850 date', { 'retry-after': 'Thursday, 01-Jan-26 00:00:10 GMT' }, 10_000],
    ['retry-after-ms float', { 'retry-after-ms': '150.5' }, 150.5],
    ['retry-after-ms zero', { 'retry-after-ms': '0' }, 0],
    ['retry-after-ms above the cap', { 'retry-after-ms': '90000' }, MAX_RETRY_DELAY_MS],
    ['retry-after-ms wins', { 'retry-after-ms': '100', 'retry-after': '5' }, 100],
    ['negative retry-after-ms falls back', { 'retry-after-ms': '-1', 'retry-after': '5' }, 5000],
    ['garbage retry-after-ms falls back', { 'retry-after-ms': 'x', 'retry-after': '5' }, 5000],
    ['garbage retry-after-ms alone', { 'retry-after-ms': 'x' }, undefined],
  ])('%s', (_label, headers, expected) => {
    expect(parseRetryAfter(new Headers(headers), NOW)).toBe(expected);
  });
});

describe('parseRetryAfter with { retryAfterMs: false } (a protocol that knows only the standard header, OTLP)', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['retry-after alone', { 'retry-after': '2' }, 2000],
    ['retry-after-ms ignored, retry-after read', { 'retry-after-ms': '100', 'retry-after': '5' }, 5000],
    ['retry-after-ms alone ignored', { 'retry-after-ms': '100' }, undefined],
    ['HTTP date', { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, 5000],
  ])('%s', (_label, headers, expected) => {
    expect(parseRetryAfter(new Headers(headers), NOW, { retryAfterMs: false })).toBe(expected);
  });
});
