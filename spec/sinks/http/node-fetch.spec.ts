import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import ky from 'ky';
import { createNodeFetch, PREPARED_BODY, receivedBody, type NodeFetch, type PreparedBody } from '../../../src/sinks/http/node-fetch.js';
import { startScriptedServer, type ScriptedServer } from '../../helpers/scripted-http-server.js';

describe('createNodeFetch under ky', () => {
  let server: ScriptedServer;
  let fetch: NodeFetch;

  beforeEach(async () => {
    server = await startScriptedServer();
    fetch = createNodeFetch();
  });
  afterEach(async () => {
    fetch.close();
    await server.close();
  });

  it('sends a prepared body as it is, with the headers ky built and a matching content-length', async () => {
    const api = ky.create({ retry: 0, fetch, headers: { 'content-type': 'application/json', 'x-api-key': 'k' } });
    const body = JSON.stringify({ events: [{ event_name: 'é' }] });
    const prepared: PreparedBody = { [PREPARED_BODY]: body };

    const response = await api.post(`${server.url}/api/v1/telemetry`, { ...prepared, headers: { 'x-idempotency-key': 'b1' } });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"accepted"}');
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/telemetry');
    expect(request?.body).toBe(body);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-api-key': 'k',
      'x-idempotency-key': 'b1',
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('sends a prepared binary body byte for byte', async () => {
    const api = ky.create({ retry: 0, fetch });
    const prepared: PreparedBody = { [PREPARED_BODY]: new Uint8Array([0x7b, 0x7d]) };
    await api.post(`${server.url}/x`, { ...prepared, method: 'post' });
    expect(server.requests[0]?.body).toBe('{}');
    expect(server.requests[0]?.headers['content-length']).toBe('2');
  });

  it('without a prepared body sends the body ky put in its Request', async () => {
    const api = ky.create({ retry: 0, fetch });
    await api.post(`${server.url}/x`, { json: { a: 1 } });
    expect(server.requests[0]?.body).toBe('{"a":1}');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('an aborted signal rejects with its reason and sends nothing', async () => {
    const api = ky.create({ retry: 0, fetch });
    const controller = new AbortController();
    const reason = new DOMException('stop', 'TimeoutError');
    controller.abort(reason);
    const prepared: PreparedBody = { [PREPARED_BODY]: 'x' };
    await expect(api.post(`${server.url}/x`, { ...prepared, signal: controller.signal })).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps the bytes of each answer for receivedBody, the same as the Response body', async () => {
    server.setHandler(() => ({ status: 503, body: '{"error":"überlastet"}' }));
    const response = await fetch(`${server.url}/x`, { method: 'POST', body: '{}' });
    expect(receivedBody(response)?.toString('utf8')).toBe('{"error":"überlastet"}');
    expect(await response.text()).toBe('{"error":"überlastet"}');
    expect(receivedBody(new Response('elsewhere'))).toBeUndefined();
  });

  it('keeps at most maxBodyBytes of an answer and reads the rest, so the next request on the keep-alive agent goes through', async () => {
    const bounded = createNodeFetch({ maxBodyBytes: 1000 });
    server.setHandler(() => ({ status: 500, body: 'x'.repeat(200_000) }));
    try {
      const first = await bounded(`${server.url}/x`, { method: 'POST', body: '{}' });
      expect(receivedBody(first)?.byteLength).toBe(1000);
      expect(await first.text()).toBe('x'.repeat(1000));
      server.setHandler(() => ({ status: 200, body: 'ok' }));
      const second = await bounded(`${server.url}/x`, { method: 'POST', body: '{}' });
      expect(await second.text()).toBe('ok');
      expect(server.requests[1]?.headers['connection']).toBe('keep-alive');
    } finally {
      bounded.close();
    }
  });

  it('an answer without a body (204) has none', async () => {
    server.setHandler(() => ({ status: 204 }));
    const response = await fetch(`${server.url}/x`, { method: 'POST', body: '{}' });
    expect(response.body).toBeNull();
    expect(receivedBody(response)?.byteLength).toBe(0);
  });
});
