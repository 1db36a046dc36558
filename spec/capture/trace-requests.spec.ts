import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createReporter } from '../../src/create-reporter.js';
import { traceRequests, type TraceRequestsOptions } from '../../src/capture/trace-requests.js';
import { instrumentFetch } from '../../src/capture/instrument-http.js';
import type { Reporter } from '../../src/reporter/types.js';
import { InMemorySink } from '../../src/sinks/in-memory-sink.js';
import type { GenericEvent } from '../../src/events/wire.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-http-server.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A reporter into memory and a loopback server running `handler` under traceRequests; `call` resolves once the server span has ended. */
async function setup(handler: Handler, options?: TraceRequestsOptions, caught?: unknown[]) {
  const sink = new InMemorySink();
  const reporter: Reporter = createReporter({ sinks: [sink], flushIntervalMs: 0, attachEvents: false });
  cleanup.push(() => reporter.stop());
  const traced = traceRequests(reporter, handler, options);
  // With `caught`, a framework's shape: what the handler throws or rejects with is caught and answered with a 500.
  const answer500 = (res: ServerResponse) => (error: unknown) => {
    caught!.push(error);
    res.statusCode = 500;
    res.end();
  };
  const server: Server = createServer(
    caught === undefined
      ? traced
      : (req, res) => {
          try {
            Promise.resolve(traced(req, res)).catch(answer500(res));
          } catch (error) {
            answer500(res)(error);
          }
        },
  );
  // Registered after the wrapper's own listeners: a response's 'close' here comes after its span ended.
  const closed: Promise<void>[] = [];
  server.on('request', (_req, res: ServerResponse) => closed.push(once(res, 'close').then(() => undefined)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${url}${path}`, init);
    await response.text();
    await Promise.all(closed);
    return response;
  };
  const sent = async () => {
    await reporter.flush();
    return sink.events.filter((e): e is GenericEvent => e.event === 'GENERIC_EVENT');
  };
  const spans = async () => (await sent()).filter((e) => e.event_name === 'span').map((e) => e.event_data);
  const exceptions = async () => {
    await reporter.flush();
    return sink.events.filter((e) => e.event === 'UNHANDLED_EXCEPTION');
  };
  return { reporter, url, call, sent, spans, exceptions };
}

describe('traceRequests', () => {
  it('continues the caller’s trace with a server span carrying the HTTP attributes, active in the handler', async () => {
    const holder: { reporter?: Reporter } = {};
    const { reporter, url, call, sent } = await setup(async (_req, res) => {
      await Promise.resolve();
      holder.reporter!.log('handled', { step: 1 });
      res.statusCode = 201;
      res.end('ok');
    });
    holder.reporter = reporter;
    await call('/items/42?token=secret', { method: 'POST', headers: { traceparent: `00-${T}-${P}-01`, tracestate: 'rojo=1', 'user-agent': 'test-agent/1' } });
    const events = await sent();
    const server = events.find((e) => e.event_name === 'span')!.event_data;
    const port = Number(new URL(url).port);
    expect(server).toMatchObject({
      name: 'POST',
      kind: 'server',
      trace_id: T,
      parent_span_id: P,
      status: 'unset',
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/items/42',
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'server.port': port,
        'user_agent.original': 'test-agent/1',
        'http.response.status_code': 201,
      },
    });
    expect(JSON.stringify(events)).not.toContain('secret');
    expect(events.find((e) => e.event_name === 'handled')!.event_data).toEqual({ step: 1, trace_id: T, span_id: server['span_id'] });
  });

  it('starts a new trace without a valid traceparent', async () => {
    const { call, spans } = await setup((_req, res) => res.end());
    await call('/', { headers: { traceparent: `00-${'0'.repeat(32)}-${P}-01`, tracestate: 'rojo=1' } });
    const [server] = await spans();
    expect(server!['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(server!['trace_id']).not.toBe('0'.repeat(32));
    expect(server).not.toHaveProperty('parent_span_id');
  });

  it('names the span by its route and records http.route (an option, or Express’s req.route)', async () => {
    const { call, spans } = await setup(
      (req, res) => {
        Object.assign(req, { baseUrl: '/api', route: { path: '/users/:id' } });
        res.end();
      },
    );
    await call('/api/users/7');
    expect((await spans())[0]).toMatchObject({ name: 'GET /api/users/:id', attributes: { 'http.route': '/api/users/:id' } });
    const other = await setup((_req, res) => res.end(), { route: () => '/things/:id' });
    await other.call('/things/1');
    expect((await other.spans())[0]).toMatchObject({ name: 'GET /things/:id', attributes: { 'http.route': '/things/:id' } });
  });

  it('a 5xx, or a handler that throws, ends the span with an error; the error is logged in the request’s trace and re-thrown', async () => {
    const caught: unknown[] = [];
    const rejected = new RangeError('async boom');
    const thrown = new TypeError('boom');
    const { call, spans, exceptions } = await setup(
      async (req, res) => {
        if (req.url === '/reject') throw rejected;
        res.statusCode = 503;
        res.end();
      },
      undefined,
      caught,
    );
    const sync = await setup(() => {
      throw thrown;
    }, undefined, caught);
    await call('/busy');
    await call('/reject');
    await sync.call('/throw');
    expect(caught).toEqual([rejected, thrown]);
    const [busy, reject] = await spans();
    expect(busy).toMatchObject({ status: 'error', attributes: { 'http.response.status_code': 503, 'error.type': '503' } });
    expect(reject).toMatchObject({ status: 'error', attributes: { 'http.response.status_code': 500, 'error.type': 'RangeError' } });
    expect((await sync.spans())[0]).toMatchObject({ status: 'error', attributes: { 'error.type': 'TypeError' } });
    // The exceptions themselves, logged as they happened (an UNHANDLED_EXCEPTION has no event_data on the Tinker wire).
    expect(await exceptions()).toEqual([expect.objectContaining({ error_type: 'RangeError', error_message: 'async boom' })]);
    expect(await sync.exceptions()).toEqual([expect.objectContaining({ error_type: 'TypeError', error_message: 'boom' })]);
  });

  it('outgoing instrumented fetches inside the handler are client spans under the server span, carrying traceparent and tracestate', async () => {
    const downstream: ScriptedServer = await startScriptedServer();
    cleanup.push(() => downstream.close());
    const instrumented = instrumentFetch(fetch, { sessionId: 'other-session' });
    const { call, spans } = await setup(async (_req, res) => {
      const answer = await instrumented(`${downstream.url}/v1/items?key=secret`);
      res.end(String(answer.status));
    });
    await call('/', { headers: { traceparent: `00-${T}-${P}-01`, tracestate: 'rojo=1,congo=2' } });
    const all = await spans();
    const server = all.find((s) => s['kind'] === 'server')!;
    const client = all.find((s) => s['kind'] === 'client')!;
    expect(client).toMatchObject({
      name: 'GET',
      trace_id: T,
      parent_span_id: server['span_id'],
      attributes: { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'url.full': `${downstream.url}/v1/items`, 'http.response.status_code': 200 },
    });
    const sentHeaders = downstream.requests[0]!.headers;
    expect(sentHeaders['traceparent']).toBe(`00-${T}-${client['span_id'] as string}-01`);
    expect(sentHeaders['tracestate']).toBe('rojo=1,congo=2');
  });
});
