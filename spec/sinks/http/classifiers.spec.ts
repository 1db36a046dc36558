/**
 * Each protocol's classification of an HTTP answer, side by side: Tinker's (the Stainless clients'
 * rule: x-should-retry, 408/429/5xx retried) and OTLP's (opentelemetry-proto v1.11.0,
 * docs/specification.md, "Retryable Response Codes": only 429, 502, 503, 504).
 */
import { describe, expect, it } from '@jest/globals';
import { ExportError } from '../../../src/errors/export-error.js';
import { classifyOtlpResponse } from '../../../src/sinks/http/otlp-classifier.js';
import { classifyTinkerResponse } from '../../../src/sinks/http/tinker-classifier.js';
import type { ExportResult } from '../../../src/sinks/sink.js';

const NOW = Date.UTC(2026, 0, 1);
const OTLP_URL = 'http://127.0.0.1:4318/v1/logs';

type Expected = { status: ExportResult['status']; retryAfterMs?: number; payloadTooLarge?: boolean };

function shape(result: ExportResult): Expected {
  if (result.status === 'success') return { status: 'success' };
  if (result.status === 'retryable') {
    return result.retryAfterMs === undefined ? { status: 'retryable' } : { status: 'retryable', retryAfterMs: result.retryAfterMs };
  }
  return result.payloadTooLarge === true ? { status: 'failure', payloadTooLarge: true } : { status: 'failure' };
}

const success: Expected = { status: 'success' };
const failure: Expected = { status: 'failure' };
const retryable: Expected = { status: 'retryable' };
const retryAfter = (ms: number): Expected => ({ status: 'retryable', retryAfterMs: ms });
const split: Expected = { status: 'failure', payloadTooLarge: true };

describe('each protocol classifies the same answers by its own rule', () => {
  it.each<[number, Record<string, string>, Expected, Expected]>([
    // status, headers, Tinker, OTLP
    [200, {}, success, success],
    [202, {}, success, success],
    [204, { 'x-should-retry': 'true' }, success, success],
    [299, {}, success, success],
    [301, {}, failure, failure],
    [400, {}, failure, failure],
    [401, {}, failure, failure],
    [403, {}, failure, failure],
    [404, {}, failure, failure],
    [408, {}, retryable, failure],
    [409, {}, failure, failure],
    [415, {}, failure, failure],
    [422, {}, failure, failure],
    [413, {}, split, split],
    [413, { 'retry-after': '2' }, split, split],
    [429, {}, retryable, retryable],
    [429, { 'retry-after': '3' }, retryAfter(3000), retryAfter(3000)],
    [429, { 'retry-after-ms': '250' }, retryAfter(250), retryable],
    [429, { 'retry-after-ms': '250', 'retry-after': '1' }, retryAfter(250), retryAfter(1000)],
    [500, {}, retryable, failure],
    [501, {}, retryable, failure],
    [502, { 'retry-after': '1' }, retryAfter(1000), retryAfter(1000)],
    [503, { 'retry-after': '2' }, retryAfter(2000), retryAfter(2000)],
    [503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, retryAfter(5000), retryAfter(5000)],
    [504, {}, retryable, retryable],
    [505, {}, retryable, failure],
    [599, {}, retryable, failure],
    // Tinker's x-should-retry (a Stainless header) decides for Tinker; OTLP ignores it.
    [400, { 'x-should-retry': 'true' }, retryable, failure],
    [400, { 'x-should-retry': 'TRUE', 'retry-after': '3' }, retryAfter(3000), failure],
    [500, { 'x-should-retry': 'true' }, retryable, failure],
    [503, { 'x-should-retry': 'false' }, failure, retryable],
    [429, { 'x-should-retry': 'false', 'retry-after': '2' }, failure, retryAfter(2000)],
    [413, { 'x-should-retry': 'false' }, failure, split],
    [413, { 'x-should-retry': 'true' }, retryable, split],
    [503, { 'x-should-retry': 'maybe' }, retryable, retryable],
    [400, { 'x-should-retry': 'maybe' }, failure, failure],
  ])('HTTP %p with %j → Tinker %j, OTLP %j', (status, headers, tinker, otlp) => {
    expect(shape(classifyTinkerResponse('tinker', status, new Headers(headers), '', NOW))).toEqual(tinker);
    expect(shape(classifyOtlpResponse('otlp', status, new Headers(headers), '', NOW, OTLP_URL))).toEqual(otlp);
  });
});

describe('classifyTinkerResponse', () => {
  it('builds an ExportError with the status line, the status and a body excerpt of at most 512 chars', () => {
    const body = `{"detail":"${'x'.repeat(600)}"}`;
    const result = classifyTinkerResponse('tinker', 503, new Headers(), body, NOW);
    if (result.status === 'success') throw new Error('expected an error result');
    expect(result.error).toBeInstanceOf(ExportError);
    const error = result.error as ExportError;
    expect(error.message).toBe('tinker: HTTP 503 Service Unavailable from POST /api/v1/telemetry');
    expect(error).toMatchObject({ sink: 'tinker', status: 503, code: 'ERR_RXTEL_HTTP' });
    expect(error.cause).toBeUndefined();
    expect(error.body).toBe(body.slice(0, 512));
  });

  it('leaves body undefined for an empty body and omits an unknown reason phrase', () => {
    const result = classifyTinkerResponse('custom', 599, new Headers(), '', NOW);
    if (result.status === 'success') throw new Error('expected an error result');
    expect(result.error.message).toBe('custom: HTTP 599 from POST /api/v1/telemetry');
    expect((result.error as ExportError).body).toBeUndefined();
  });
});

describe('classifyOtlpResponse', () => {
  it('names the signal path of the request, never its query, with the status and the collector body', () => {
    const result = classifyOtlpResponse('otlp', 500, new Headers(), '{"code":13,"message":"boom"}', NOW, `${OTLP_URL}?k=secret`);
    if (result.status === 'success') throw new Error('expected an error result');
    expect(result.error.message).toBe('otlp: HTTP 500 Internal Server Error from POST /v1/logs');
    expect(result.error).toMatchObject({ sink: 'otlp', status: 500, code: 'ERR_RXTEL_HTTP', body: '{"code":13,"message":"boom"}' });
  });

  it('caps a Retry-After at a minute, as for every protocol', () => {
    expect(shape(classifyOtlpResponse('otlp', 503, new Headers({ 'retry-after': '3600' }), '', NOW, OTLP_URL))).toEqual(retryAfter(60_000));
  });
});
