import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import ky from 'ky';
import { TelemetryBus } from '../../src/bus/telemetry.js';
import { instrumentFetch, instrumentKy } from '../../src/capture/instrument-http.js';
import { createReporter } from '../../src/create-reporter.js';
import type { GenericEvent } from '../../src/events/wire.js';
import type { Reporter } from '../../src/reporter/types.js';
import { InMemorySink } from '../../src/sinks/in-memory-sink.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-http-server.js';

let server: ScriptedServer;
let reporter: Reporter;
let sink: InMemorySink;
const options = () => ({ sessionId: 'session-1', bus: new TelemetryBus() });
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

beforeEach(async () => {
  server = await startScriptedServer();
  sink = new InMemorySink();
  reporter = createReporter({ sinks: [sink], flushIntervalMs: 0, attachEvents: false });
});
afterEach(async () => {
  await reporter.stop();
  await server.close();
});

const spans = async () => {
  await reporter.flush();
  return sink.events.filter((e): e is GenericEvent => e.event === 'GENERIC_EVENT' && e.event_name === 'span').map((e) => e.event_data);
};

describe('client spans of instrumentFetch', () => {
  it('under an active span: a client child, whose ids go out in traceparent', async () => {
    const call = instrumentFetch(fetch, options());
    const parent = reporter.startSpan('job');
    await parent.run(() => call(`${server.url}/v1/items?q=secret`, { method: 'post', body: '{}' }));
    const [client] = await spans();
    const [, traceId, spanId] = TRACEPARENT.exec(String(server.requests[0]!.headers['traceparent']))!;
    expect(client).toMatchObject({
      name: 'POST',
      kind: 'client',
      trace_id: parent.traceId,
      span_id: spanId,
      parent_span_id: parent.spanId,
      status: 'unset',
      attributes: { 'http.request.method': 'POST', 'url.full': `${server.url}/v1/items`, 'server.address': '127.0.0.1', 'http.response.status_code': 200 },
    });
    expect(traceId).toBe(parent.traceId);
    expect(server.requests[0]!.headers['tracestate']).toBeUndefined();
    expect(JSON.stringify(sink.events)).not.toContain('secret');
  });

  it('outside any context: nothing injected, no span; with the reporter option: a root client span', async () => {
    await instrumentFetch(fetch, options())(`${server.url}/a`);
    expect(server.requests[0]!.headers['traceparent']).toBeUndefined();
    await instrumentFetch(fetch, { ...options(), reporter })(new Request(`${server.url}/b`));
    const [client] = await spans();
    expect(client).toMatchObject({ kind: 'client', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(client).not.toHaveProperty('parent_span_id');
    expect(server.requests[1]!.headers['traceparent']).toBe(`00-${client!['trace_id'] as string}-${client!['span_id'] as string}-01`);
  });

  it('a 4xx or a network error ends the client span with an error; the caller’s own traceparent wins; the reporter’s own requests are never traced', async () => {
    server.setHandler(() => ({ status: 404 }));
    const call = instrumentFetch(fetch, { ...options(), reporter });
    await call(`${server.url}/missing`);
    await call(`${server.url}/mine`, { headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00` } });
    await call(`${server.url}/api/v1/telemetry`, { method: 'POST', headers: { 'user-agent': 'rxtel/0.1.0 node/20' }, body: '{}' });
    const url = server.url;
    await server.close();
    await expect(call(`${url}/gone`)).rejects.toThrow();
    const sent = await spans();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ status: 'error', attributes: { 'http.response.status_code': 404, 'error.type': '404' } });
    expect(sent[1]).toMatchObject({ status: 'error', attributes: { 'error.type': 'TypeError' } });
    expect(server.requests[1]!.headers['traceparent']).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`);
    expect(server.requests[2]!.headers['traceparent']).toBeUndefined();
  });
});

describe('client spans of instrumentKy', () => {
  it('injects traceparent and tracestate under the active span, one span per call with ky’s resend count', async () => {
    let calls = 0;
    server.setHandler(() => (++calls === 1 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200, body: '{}' }));
    const api = instrumentKy(ky.create({ retry: { limit: 2, delay: () => 0 }, headers: { 'x-app': 'a' } }), options());
    const parent = reporter.startSpan('job', { traceState: 'rojo=1' });
    await parent.run(() => api.get(`${server.url}/v1/items`));
    const [client] = await spans();
    expect(client).toMatchObject({ kind: 'client', trace_id: parent.traceId, parent_span_id: parent.spanId, attributes: { 'http.response.status_code': 200, 'http.request.resend_count': 1 } });
    for (const request of server.requests) {
      expect(request.headers['traceparent']).toBe(`00-${parent.traceId}-${client!['span_id'] as string}-01`);
      expect(request.headers['tracestate']).toBe('rojo=1');
      expect(request.headers['x-app']).toBe('a');
    }
    expect(server.requests).toHaveLength(2);
  });

  it('an HTTPError status ends the span with an error; outside a context nothing is injected', async () => {
    server.setHandler(() => ({ status: 400 }));
    const api = instrumentKy(ky.create({ retry: 0 }), options());
    await expect(api.post(`${server.url}/x`)).rejects.toThrow();
    expect(server.requests[0]!.headers['traceparent']).toBeUndefined();
    const parent = reporter.startSpan('job');
    await expect(parent.run(() => api.post(`${server.url}/x`))).rejects.toThrow();
    expect(await spans()).toEqual([expect.objectContaining({ status: 'error', attributes: expect.objectContaining({ 'http.response.status_code': 400 }) })]);
  });
});
