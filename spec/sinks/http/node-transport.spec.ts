import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createNodeTransport } from '../../../src/sinks/http/node-transport.js';
import { RequestTimeoutError, type HttpTransport } from '../../../src/sinks/http/transport.js';
import { startScriptedServer, type ScriptedServer } from '../../helpers/scripted-http-server.js';

const never = new AbortController().signal;

describe('createNodeTransport (the batch hot path)', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;

  beforeEach(async () => {
    server = await startScriptedServer();
    transport = createNodeTransport({ timeoutMs: 5000, maxBodyBytes: 1000 });
  });
  afterEach(async () => {
    transport.close();
    await server.close();
  });

  it('POSTs a string body with the given headers and a matching content-length, and reads the answer', async () => {
    const body = JSON.stringify({ events: [{ event_name: 'é' }] });
    const answer = await transport.post({ url: `${server.url}/api/v1/telemetry`, body, headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, signal: never });

    expect(answer.status).toBe(200);
    expect(answer.bodyText).toBe('{"status":"accepted"}');
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/telemetry');
    expect(request?.body).toBe(body);
    expect(request?.headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': 'k', 'content-length': String(Buffer.byteLength(body)) });
  });

  it('sends bytes (a gzip body) byte for byte', async () => {
    await transport.post({ url: `${server.url}/x`, body: new Uint8Array([0x7b, 0x7d]), headers: {}, signal: never });
    expect(server.requests[0]?.body).toBe('{}');
    expect(server.requests[0]?.headers['content-length']).toBe('2');
  });

  it('answers every status with its headers; a repeated header reads joined, as Headers does', async () => {
    server.setHandler(() => ({ status: 503, headers: { 'retry-after': '2', 'x-should-retry': 'true' }, body: '{"error":"überlastet"}' }));
    const answer = await transport.post({ url: `${server.url}/x`, body: '{}', headers: {}, signal: never });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.headers.get('x-should-retry')).toBe('true');
    expect(answer.headers.get('absent')).toBeNull();
    expect(answer.bodyText).toBe('{"error":"überlastet"}');
  });

  it('keeps at most maxBodyBytes of an answer and reads the rest, so the next request reuses the socket', async () => {
    server.setHandler(() => ({ status: 500, body: 'x'.repeat(200_000) }));
    const first = await transport.post({ url: `${server.url}/x`, body: '{}', headers: {}, signal: never });
    expect(first.bodyText).toBe('x'.repeat(1000));
    server.setHandler(() => ({ status: 200, body: 'ok' }));
    const second = await transport.post({ url: `${server.url}/x`, body: '{}', headers: {}, signal: never });
    expect(second.bodyText).toBe('ok');
    expect(server.requests[1]?.headers['connection']).toBe('keep-alive');
  });

  it('an answer without a body (204) reads as empty', async () => {
    server.setHandler(() => ({ status: 204 }));
    const answer = await transport.post({ url: `${server.url}/x`, body: '{}', headers: {}, signal: never });
    expect(answer).toMatchObject({ status: 204, bodyText: '' });
  });

  it('an aborted signal rejects with its reason and sends nothing', async () => {
    const controller = new AbortController();
    const reason = new DOMException('stop', 'TimeoutError');
    controller.abort(reason);
    await expect(transport.post({ url: `${server.url}/x`, body: 'x', headers: {}, signal: controller.signal })).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('an abort mid-request destroys it and rejects with the reason', async () => {
    server.setHandler(() => ({ hang: true }));
    const controller = new AbortController();
    const posted = transport.post({ url: `${server.url}/x`, body: 'x', headers: {}, signal: controller.signal });
    const reason = new Error('stop deadline');
    await waitFor(() => server.requests.length === 1);
    controller.abort(reason);
    await expect(posted).rejects.toBe(reason);
  });

  it('its own timeout covers the whole answer: a server that never answers, and one that stalls its body', async () => {
    const hurried = createNodeTransport({ timeoutMs: 50, maxBodyBytes: 1000 });
    try {
      server.setHandler(() => ({ hang: true }));
      await expect(hurried.post({ url: `${server.url}/x`, body: 'x', headers: {}, signal: never })).rejects.toBeInstanceOf(RequestTimeoutError);
      server.setHandler(() => ({ status: 200, body: '{"partial', stallBody: true }));
      const stalled = hurried.post({ url: `${server.url}/x`, body: 'x', headers: {}, signal: never });
      await expect(stalled).rejects.toMatchObject({ name: 'TimeoutError', message: 'no complete answer within 50 ms' });
    } finally {
      hurried.close();
    }
  });

  it("a refused connection rejects with Node's system code", async () => {
    const closed = await unusedPort();
    await expect(transport.post({ url: `http://127.0.0.1:${closed}/x`, body: 'x', headers: {}, signal: never })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('close() destroys the pooled sockets; a later request opens a new one', async () => {
    let closedSockets = 0;
    const raw = await listen(createServer((_req, res) => res.end('ok')));
    raw.on('connection', (socket) => socket.on('close', () => closedSockets++));
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/x`;
      await transport.post({ url, body: '{}', headers: {}, signal: never });
      transport.close();
      await waitFor(() => closedSockets === 1);
      expect((await transport.post({ url, body: '{}', headers: {}, signal: never })).bodyText).toBe('ok');
    } finally {
      transport.close();
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function unusedPort(): Promise<number> {
  const server = await listen(createServer());
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Yields to the loop (no timer) until `condition` holds: the server's events arrive on I/O. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
