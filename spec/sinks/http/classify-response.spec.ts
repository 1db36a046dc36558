import { describe, expect, it } from '@jest/globals';
import ky, { TimeoutError } from 'ky';
import { ExportError } from '../../../src/errors/export-error.js';
import { classifyResponse, classifyThrown } from '../../../src/sinks/http/classify-response.js';
import type { ExportResult } from '../../../src/sinks/sink.js';
import { startScriptedServer } from '../../helpers/scripted-http-server.js';

const NOW = Date.UTC(2026, 0, 1);

type Expected = { status: ExportResult['status']; retryAfterMs?: number; payloadTooLarge?: boolean };

function shape(result: ExportResult): Expected {
  if (result.status === 'success') return { status: 'success' };
  if (result.status === 'retryable') {
    return result.retryAfterMs === undefined ? { status: 'retryable' } : { status: 'retryable', retryAfterMs: result.retryAfterMs };
  }
  return result.payloadTooLarge === true ? { status: 'failure', payloadTooLarge: true } : { status: 'failure' };
}

describe('classifyResponse', () => {
  it.each<[number, Record<string, string>, Expected]>([
    [200, {}, { status: 'success' }],
    [202, {}, { status: 'success' }],
    [204, { 'x-should-retry': 'true' }, { status: 'success' }],
    [299, {}, { status: 'success' }],
    [301, {}, { status: 'failure' }],
    [400, {}, { status: 'failure' }],
    [401, {}, { status: 'failure' }],
    [404, {}, { status: 'failure' }],
    [409, {}, { status: 'failure' }],
    [422, {}, { status: 'failure' }],
    [408, {}, { status: 'retryable' }],
    [429, {}, { status: 'retryable' }],
    [429, { 'retry-after-ms': '250' }, { status: 'retryable', retryAfterMs: 250 }],
    [500, {}, { status: 'retryable' }],
    [502, { 'retry-after': '1' }, { status: 'retryable', retryAfterMs: 1000 }],
    [503, { 'retry-after': '2' }, { status: 'retryable', retryAfterMs: 2000 }],
    [599, {}, { status: 'retryable' }],
    [413, {}, { status: 'failure', payloadTooLarge: true }],
    [413, { 'retry-after': '2' }, { status: 'failure', payloadTooLarge: true }],
    [400, { 'x-should-retry': 'true' }, { status: 'retryable' }],
    [400, { 'x-should-retry': 'TRUE', 'retry-after': '3' }, { status: 'retryable', retryAfterMs: 3000 }],
    [503, { 'x-should-retry': 'false' }, { status: 'failure' }],
    [429, { 'x-should-retry': 'false', 'retry-after': '2' }, { status: 'failure' }],
    [413, { 'x-should-retry': 'false' }, { status: 'failure' }],
    [413, { 'x-should-retry': 'true' }, { status: 'retryable' }],
    [503, { 'x-should-retry': 'maybe' }, { status: 'retryable' }],
    [400, { 'x-should-retry': 'maybe' }, { status: 'failure' }],
  ])('HTTP %p with %j → %j', (status, headers, expected) => {
    expect(shape(classifyResponse('tinker', status, new Headers(headers), '', NOW))).toEqual(expected);
  });

  it('builds an ExportError with the status line, the status and a body excerpt of at most 512 chars', () => {
    const body = `{"detail":"${'x'.repeat(600)}"}`;
    const result = classifyResponse('tinker', 503, new Headers(), body, NOW);
    if (result.status === 'success') throw new Error('expected an error result');
    expect(result.error).toBeInstanceOf(ExportError);
    const error = result.error as ExportError;
    expect(error.message).toBe('tinker: HTTP 503 Service Unavailable from POST /api/v1/telemetry');
    expect(error).toMatchObject({ sink: 'tinker', status: 503, code: 'ERR_RXTEL_HTTP' });
    expect(error.cause).toBeUndefined();
    expect(error.body).toBe(body.slice(0, 512));
  });

  it('leaves body undefined for an empty body and omits an unknown reason phrase', () => {
    const result = classifyResponse('custom', 599, new Headers(), '', NOW);
    if (result.status === 'success') throw new Error('expected an error result');
    expect(result.error.message).toBe('custom: HTTP 599 from POST /api/v1/telemetry');
    expect((result.error as ExportError).body).toBeUndefined();
  });
});

function aborted(reason?: unknown): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

const live = (): AbortSignal => new AbortController().signal;

function codeOf(result: ExportResult): [string, string, string] {
  if (result.status === 'success') throw new Error('expected an error result');
  const error = result.error as ExportError;
  expect(error).toBeInstanceOf(ExportError);
  expect(error.cause).toBeUndefined();
  return [result.status, error.code, error.message];
}

describe('classifyThrown', () => {
  const fetchFailed = (cause: unknown): TypeError => new TypeError('fetch failed', { cause });
  const sysError = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

  it.each<[string, unknown, () => AbortSignal, [string, string, string]]>([
    ['signal aborted with a TimeoutError reason', new DOMException('t', 'TimeoutError'), () => aborted(new DOMException('t', 'TimeoutError')), ['retryable', 'ERR_RXTEL_TIMEOUT', 'tinker: request timed out']],
    ['signal aborted by AbortSignal.timeout-like Error', new Error('x'), () => aborted(Object.assign(new Error('t'), { name: 'TimeoutError' })), ['retryable', 'ERR_RXTEL_TIMEOUT', 'tinker: request timed out']],
    ['signal aborted without reason', new DOMException('a', 'AbortError'), () => aborted(), ['failure', 'ERR_RXTEL_ABORTED', 'tinker: export aborted']],
    ['signal aborted with a string', 'stop', () => aborted('stop'), ['failure', 'ERR_RXTEL_ABORTED', 'tinker: export aborted']],
    ['signal aborted wins over a network error', fetchFailed(sysError('ECONNRESET')), () => aborted(new DOMException('a', 'AbortError')), ['failure', 'ERR_RXTEL_ABORTED', 'tinker: export aborted']],
    ["ky's TimeoutError", new TimeoutError(new Request('http://127.0.0.1/api/v1/telemetry', { method: 'POST' })), live, ['retryable', 'ERR_RXTEL_TIMEOUT', 'tinker: request timed out']],
    ['fetch failed, ECONNREFUSED', fetchFailed(sysError('ECONNREFUSED')), live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error (ECONNREFUSED)']],
    ['fetch failed, socket closed', fetchFailed(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })), live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error (UND_ERR_SOCKET)']],
    ['fetch failed, DNS', fetchFailed(sysError('ENOTFOUND')), live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error (ENOTFOUND)']],
    ['fetch failed, AggregateError', fetchFailed(new AggregateError([sysError('ECONNREFUSED')])), live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error (ECONNREFUSED)']],
    ['fetch failed without a code', fetchFailed(new Error('bad')), live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error']],
    ['a code that is not a system code', Object.assign(new Error('x'), { code: 'secret value' }), live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error']],
    ['a thrown string', 'boom', live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error']],
    ['undefined', undefined, live, ['retryable', 'ERR_RXTEL_NETWORK', 'tinker: network error']],
  ])('%s', (_label, error, signal, expected) => {
    expect(codeOf(classifyThrown('tinker', error, signal()))).toEqual(expected);
  });

  it('never keeps the thrown error (which may hold the request headers) as cause', () => {
    const kyError = new TimeoutError(new Request('http://127.0.0.1/', { method: 'POST', headers: { 'x-api-key': 'tml-secret' } }));
    const result = classifyThrown('tinker', kyError, live());
    if (result.status === 'success') throw new Error('expected an error result');
    expect(result.error.cause).toBeUndefined();
    expect(JSON.stringify(result.error)).not.toContain('tml-secret');
  });

  it('maps a real ECONNREFUSED from ky against a closed port', async () => {
    const server = await startScriptedServer();
    const url = server.url;
    await server.close();
    const signal = live();
    const thrown = await ky.post(`${url}/api/v1/telemetry`, { body: '{}', retry: 0, signal }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // undici's TypeError comes from Node's realm, not jest's: compare by shape, not instanceof.
    expect(thrown).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(codeOf(classifyThrown('tinker', thrown, signal))).toEqual([
      'retryable',
      'ERR_RXTEL_NETWORK',
      'tinker: network error (ECONNREFUSED)',
    ]);
  });
});
