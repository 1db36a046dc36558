import { describe, expect, it } from '@jest/globals';
import ky, { TimeoutError } from 'ky';
import { ExportError } from '../../../src/errors/export-error.js';
import { classifyThrown, httpError } from '../../../src/sinks/http/classify-response.js';
import type { ExportResult } from '../../../src/sinks/sink.js';
import { startScriptedServer } from '../../helpers/scripted-http-server.js';

describe('httpError', () => {
  it('names the sink, the status line and the path without its query; keeps the status, a body excerpt, ERR_RXTEL_HTTP', () => {
    const error = httpError('otlp', 500, 'oops', 'http://127.0.0.1:4318/v1/logs?token=secret', 'and why');
    expect(error).toBeInstanceOf(ExportError);
    expect(error.message).toBe('otlp: HTTP 500 Internal Server Error from POST /v1/logs: and why');
    expect(error).toMatchObject({ sink: 'otlp', status: 500, body: 'oops', code: 'ERR_RXTEL_HTTP' });
    expect(error.message).not.toContain('secret');
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
