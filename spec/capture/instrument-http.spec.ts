import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import ky from 'ky';
import { TelemetryBus, type BusEvent } from '../../src/bus/telemetry.js';
import { instrumentFetch, instrumentKy } from '../../src/capture/instrument-http.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-http-server.js';

let server: ScriptedServer;
let bus: TelemetryBus;
let seen: BusEvent[];
const options = () => ({ sessionId: 'session-1', metadata: { service: 'api' }, bus });

beforeEach(async () => {
  server = await startScriptedServer();
  bus = new TelemetryBus();
  seen = [];
  bus.events$.subscribe((e) => seen.push(e));
});
afterEach(async () => {
  await server.close();
});

const names = () => seen.map((e) => e.name);

describe('instrumentFetch', () => {
  it('emits start and stop with method, path without the query, status and duration', async () => {
    const instrumented = instrumentFetch(fetch, options());
    const response = await instrumented(`${server.url}/v1/models?token=secret`, { method: 'post', body: '{}' });
    expect(response.status).toBe(200);
    expect(names()).toEqual(['rxtel.http.request.start', 'rxtel.http.request.stop']);
    const stop = seen[1]!;
    expect(stop.metadata).toEqual({ service: 'api', session_id: 'session-1', method: 'POST', path: '/v1/models' });
    expect(stop.measurements).toMatchObject({ status: 200, duration_ms: expect.any(Number) });
    expect(JSON.stringify(seen)).not.toContain('secret');
  });

  it('emits an exception for a network error and re-throws it', async () => {
    const url = server.url;
    await server.close();
    const instrumented = instrumentFetch(fetch, options());
    await expect(instrumented(`${url}/x`)).rejects.toThrow();
    expect(names()).toEqual(['rxtel.http.request.start', 'rxtel.http.request.exception']);
    expect(seen[1]!.metadata).toMatchObject({ error_type: 'TypeError' });
  });

  it('ignores the reporter’s own requests', async () => {
    const instrumented = instrumentFetch(fetch, options());
    await instrumented(`${server.url}/api/v1/telemetry`, { method: 'POST', headers: { 'user-agent': 'rxtel/0.1.0 node/20' }, body: '{}' });
    expect(seen).toEqual([]);
  });
});

describe('instrumentKy', () => {
  it('emits stop with the status and ky’s retry count', async () => {
    let calls = 0;
    server.setHandler(() => (++calls === 1 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200, body: '{}' }));
    const api = instrumentKy(ky.create({ retry: { limit: 2, delay: () => 0 } }), options());
    const response = await api.get(`${server.url}/v1/items?page=2`);
    expect(response.status).toBe(200);
    expect(names()).toEqual(['rxtel.http.request.start', 'rxtel.http.request.stop']);
    expect(seen[1]!.measurements).toMatchObject({ status: 200, retries: 1 });
    expect(seen[1]!.metadata).toMatchObject({ method: 'GET', path: '/v1/items' });
  });

  it('reports an HTTP error as stop with its status, a network error as exception', async () => {
    server.setHandler(() => ({ status: 404, body: '{}' }));
    const api = instrumentKy(ky.create({ retry: 0 }), options());
    await expect(api.post(`${server.url}/missing`)).rejects.toThrow();
    expect(seen.at(-1)).toMatchObject({ name: 'rxtel.http.request.stop', measurements: { status: 404 } });
    const url = server.url;
    await server.close();
    await expect(api(`${url}/gone`)).rejects.toThrow();
    expect(seen.at(-1)).toMatchObject({ name: 'rxtel.http.request.exception', metadata: { method: 'GET', path: '/gone' } });
  });

  it('keeps the wrapped instance’s methods and extends instrumented', async () => {
    const api = instrumentKy(ky.create({ retry: 0 }), options()).extend({ headers: { 'x-app': '1' } });
    await api.get(`${server.url}/a`).json();
    expect(server.requests.at(-1)?.headers['x-app']).toBe('1');
    expect(names()).toEqual(['rxtel.http.request.start', 'rxtel.http.request.stop']);
  });
});
