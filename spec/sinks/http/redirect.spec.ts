/**
 * The redirect rule of every HTTP sink, through both transports, against loopback servers: a 307
 * or 308 to the same origin is followed once with the same method, body and headers; any other
 * redirect is a failure that says so. Two loopback servers on different ports are two origins.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import ky, { type KyInstance, type KyRequest } from 'ky';
import { gunzipSync } from 'node:zlib';
import { ExportError } from '../../../src/errors/export-error.js';
import { JsonPoster, type JsonPosterOptions } from '../../../src/sinks/http/json-poster.js';
import { classifyOtlpResponse } from '../../../src/sinks/http/otlp-classifier.js';
import type { ExportResult } from '../../../src/sinks/sink.js';
import { startScriptedServer, type RecordedRequest, type ScriptedReply, type ScriptedServer } from '../../helpers/scripted-http-server.js';

const API_KEY = 'tml-redirect-secret-0123';
const PATH = '/api/v1/telemetry';
const JSON_BODY = JSON.stringify({ session_id: 's', events: [{ event: 'GENERIC_EVENT', event_name: 'user.action', event_data: { n: 'ünï' } }] });
const live = (): AbortSignal => new AbortController().signal;
const ok: ScriptedReply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"accepted"}' };

let servers: ScriptedServer[] = [];
let posters: JsonPoster[] = [];
afterEach(async () => {
  for (const poster of posters) poster.close();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  posters = [];
});

async function serve(handler: (request: RecordedRequest) => ScriptedReply): Promise<ScriptedServer> {
  const server = await startScriptedServer(handler);
  servers.push(server);
  return server;
}

/** Answers `first` on the sink's path, 200 anywhere else. */
const redirectOnce = (first: ScriptedReply) => (req: RecordedRequest): ScriptedReply => (req.path === PATH ? first : ok);

function errorOf(result: ExportResult): ExportError {
  if (result.status === 'success') throw new Error(`expected an error result, got ${JSON.stringify(result)}`);
  expect(result.error).toBeInstanceOf(ExportError);
  return result.error as ExportError;
}

describe.each<[string, () => KyInstance | undefined]>([
  ['the default node:http transport', () => undefined],
  ["the user's ky.create()", () => ky.create({ headers: { 'x-team': 'ml' } })],
])('redirects through %s', (_transport, userKy) => {
  function posterFor(extra: Partial<JsonPosterOptions> = {}): JsonPoster {
    const poster = new JsonPoster({ name: 'tinker', timeoutMs: 5000, headers: { 'x-api-key': API_KEY }, secrets: [API_KEY], ky: userKy(), ...extra });
    posters.push(poster);
    return poster;
  }
  const post = (poster: JsonPoster, server: ScriptedServer) => poster.post(`${server.url}${PATH}`, JSON_BODY, live(), { 'x-idempotency-key': 'batch-7' });

  it.each([307, 308])('a %p to the same origin is followed once, with the same method, body and headers', async (status) => {
    const server = await serve(redirectOnce({ status, headers: { location: '/v2/telemetry' } }));

    const outcome = await post(posterFor(), server);

    expect(outcome).toMatchObject({ result: { status: 'success' }, status: 200 });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${PATH}`, 'POST /v2/telemetry']);
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(second.bodyBytes.equals(first.bodyBytes)).toBe(true);
    expect(second.body).toBe(JSON_BODY);
    for (const name of ['x-api-key', 'x-idempotency-key', 'content-type', 'content-length', 'user-agent', 'host']) {
      expect([name, second.headers[name]]).toEqual([name, first.headers[name]]);
    }
    expect(second.headers['x-api-key']).toBe(API_KEY);
  });

  it.each([307, 308])('a %p with gzip: the second request carries the same compressed bytes, to an absolute same-origin URL with its query', async (status) => {
    const server = await serve((req) => (req.path === PATH ? { status, headers: { location: `http://${req.headers.host}/v2/telemetry?region=eu` } } : ok));

    const outcome = await post(posterFor({ compression: 'gzip' }), server);

    expect(outcome.result).toEqual({ status: 'success' });
    expect(server.requests.map((r) => r.path)).toEqual([PATH, '/v2/telemetry?region=eu']);
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(second.headers['content-encoding']).toBe('gzip');
    expect(second.bodyBytes.equals(first.bodyBytes)).toBe(true);
    expect(gunzipSync(second.bodyBytes).toString('utf8')).toBe(JSON_BODY);
  });

  it("the answer to the followed request is classified as usual: a 503 with Retry-After is retryable; under OTLP's rule a 500 is a failure", async () => {
    const server = await serve((req): ScriptedReply => (req.path === PATH ? { status: 308, headers: { location: '/moved' } } : { status: 503, headers: { 'retry-after': '2' } }));
    const retryable = await post(posterFor(), server);
    expect(retryable.result).toMatchObject({ status: 'retryable', retryAfterMs: 2000 });
    expect(errorOf(retryable.result).message).toBe('tinker: HTTP 503 Service Unavailable from POST /moved');

    const otlp = await serve((req) => (req.path === PATH ? { status: 307, headers: { location: '/v1/logs' } } : { status: 500 }));
    const failed = await post(posterFor({ name: 'otlp', classify: classifyOtlpResponse }), otlp);
    expect(failed).toMatchObject({ result: { status: 'failure' }, status: 500 });
    expect(otlp.requests).toHaveLength(2);
  });

  it('a 307 to another origin is not followed: a failure naming the status and that origin, never its path, query or a secret', async () => {
    const other = await serve(() => ok);
    const server = await serve(redirectOnce({ status: 307, headers: { location: `${other.url}/collect?token=${API_KEY}` }, body: `moved, key ${API_KEY}` }));

    const outcome = await post(posterFor(), server);

    expect(outcome.result.status).toBe('failure');
    const error = errorOf(outcome.result);
    expect(error.message).toBe(`tinker: HTTP 307 Temporary Redirect from POST ${PATH}: a redirect to ${other.url}, not followed: another origin`);
    expect(error).toMatchObject({ status: 307, code: 'ERR_RXTEL_HTTP', body: 'moved, key [redacted]' });
    expect(JSON.stringify(outcome)).not.toContain(API_KEY);
    expect(error.message).not.toContain('collect');
    expect(server.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });

  it.each([
    [301, 'Moved Permanently'],
    [302, 'Found'],
    [303, 'See Other'],
  ])('a %p is not followed, even to the same origin: a failure whose message says so', async (status, reason) => {
    const server = await serve((req) => (req.path === PATH ? { status, headers: { location: `http://${req.headers.host}/v2/telemetry?sig=abc` } } : ok));

    const outcome = await post(posterFor(), server);

    expect(outcome).toMatchObject({ result: { status: 'failure' }, status });
    expect(errorOf(outcome.result).message).toBe(
      `tinker: HTTP ${status} ${reason} from POST ${PATH}: a redirect to ${server.url}, not followed (only a 307 or 308 to the same origin is)`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('a redirect loop is refused after one follow', async () => {
    const server = await serve(() => ({ status: 307, headers: { location: PATH } }));

    const outcome = await post(posterFor(), server);

    expect(server.requests.map((r) => r.path)).toEqual([PATH, PATH]);
    expect(outcome).toMatchObject({ result: { status: 'failure' }, status: 307 });
    expect(errorOf(outcome.result).message).toBe(`tinker: HTTP 307 Temporary Redirect from POST ${PATH}: a second redirect to ${server.url}, not followed (one is followed)`);
  });

  it.each<[string, Record<string, string>, string]>([
    ['no Location', {}, 'a redirect without a Location header, not followed'],
    ['a Location that is not a URL', { location: 'http://[bad' }, 'a redirect to a Location that is not a URL, not followed'],
  ])('a 307 with %s is a failure that says so', async (_label, headers, why) => {
    const server = await serve(redirectOnce({ status: 307, headers }));
    const outcome = await post(posterFor(), server);
    expect(outcome.result.status).toBe('failure');
    expect(errorOf(outcome.result).message).toBe(`tinker: HTTP 307 Temporary Redirect from POST ${PATH}: ${why}`);
    expect(server.requests).toHaveLength(1);
  });

  it("x-should-retry: true does not make a redirect that is not followed retryable; a secret in the target's host is redacted", async () => {
    const server = await serve(redirectOnce({ status: 302, headers: { location: `https://${API_KEY}.example/`, 'x-should-retry': 'true' } }));
    const outcome = await post(posterFor(), server);
    expect(outcome.result.status).toBe('failure');
    expect(errorOf(outcome.result).message).toBe(`tinker: HTTP 302 Found from POST ${PATH}: a redirect to https://[redacted].example, not followed (only a 307 or 308 to the same origin is)`);
  });
});

describe("redirects through the user's ky instance", () => {
  it('its hooks see both requests of a followed redirect, and fetch follows nothing by itself', async () => {
    const seen: string[] = [];
    const api = ky.create({ hooks: { beforeRequest: [(request: KyRequest) => void seen.push(`${request.method} ${new URL(request.url).pathname}`)] } });
    const other = await serve(() => ok);
    const server = await serve((req) => (req.path === PATH ? { status: 308, headers: { location: '/v2' } } : { status: 302, headers: { location: `${other.url}/` } }));
    const poster = new JsonPoster({ name: 'tinker', timeoutMs: 5000, ky: api });
    posters.push(poster);

    const outcome = await poster.post(`${server.url}${PATH}`, JSON_BODY, live());

    expect(seen).toEqual([`POST ${PATH}`, 'POST /v2']);
    expect(outcome).toMatchObject({ result: { status: 'failure' }, status: 302 });
    expect(other.requests).toHaveLength(0);
  });
});
