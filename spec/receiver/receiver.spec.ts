import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver, type Receiver, type ReceiverOptions } from '../../src/receiver/receiver.js';
import { makeBatch, makeEvent } from '../helpers/wire-fixtures.js';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(options: ReceiverOptions = {}): Promise<Receiver> {
  receiver = await startReceiver(options);
  return receiver;
}

function post(r: Receiver, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${r.url}/api/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

describe('receiver', () => {
  it('stores a valid batch with its session id and arrival time, and says accepted', async () => {
    const r = await start();
    const batch = makeBatch(3);
    const response = await post(r, batch);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
    expect(r.events).toHaveLength(3);
    expect(r.events[1]).toMatchObject({ session_id: batch.session_id, event: 'GENERIC_EVENT', received_at: expect.stringMatching(/Z$/) });
    expect(r.requests[0]).toMatchObject({ method: 'POST', path: '/api/v1/telemetry', status: 200, eventCount: 3 });
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 422 naming the bad field to a body that is no batch, 400 to one that is not JSON', async () => {
    const r = await start();
    const bad = makeBatch(2);
    bad.events[1] = makeEvent(1, { timestamp: '2026-01-01 00:00' });
    const response = await post(r, bad);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ detail: 'Validation Error', errors: [{ loc: 'body -> events -> 1 -> timestamp' }], error: expect.stringMatching(/events\.1\.timestamp/) });
    const notJson = await post(r, '{not json');
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: expect.stringMatching(/^invalid JSON: /) }]);
    expect((await post(r, { ...makeBatch(1), session_id: 'not-a-uuid' })).status).toBe(422);
    expect(r.events).toHaveLength(0);
  });

  it('answers 413 for a body over the cap and for too many events', async () => {
    const r = await start({ maxBodyBytes: 2000, maxEventsPerBatch: 3 });
    expect((await post(r, makeBatch(20))).status).toBe(413);
    expect((await post(r, { ...makeBatch(4), events: makeBatch(4).events })).status).toBe(413);
    expect((await post(r, makeBatch(3))).status).toBe(200);
  });

  it('ignores events it already stored and counts them', async () => {
    const r = await start();
    const batch = makeBatch(3);
    await post(r, batch);
    await post(r, batch);
    expect(r.events).toHaveLength(3);
    expect(r.duplicates).toBe(3);
  });

  it('checks the API key when it has one', async () => {
    const r = await start({ apiKey: 'k1' });
    expect((await post(r, makeBatch(1))).status).toBe(401);
    expect((await post(r, makeBatch(1), { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await post(r, makeBatch(1), { 'x-api-key': 'k1' })).status).toBe(200);
  });

  it('appends stored events to an NDJSON file', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'rxtel-receiver-')), 'events.ndjson');
    const r = await start({ out });
    const batch = makeBatch(2);
    await post(r, batch);
    await post(r, makeBatch(1));
    await r.close();
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ session_id: batch.session_id, event: 'SESSION_START', received_at: expect.any(String) });
  });

  it('injects faults in order: status with headers, times, delay', async () => {
    const r = await start();
    r.inject({ status: 503, headers: { 'retry-after': '2' } }, { status: 500, times: 2 }, { delayMs: 50 });
    const first = await post(r, makeBatch(1));
    expect([first.status, first.headers.get('retry-after')]).toEqual([503, '2']);
    expect((await post(r, makeBatch(1))).status).toBe(500);
    expect((await post(r, makeBatch(1))).status).toBe(500);
    expect((await post(r, makeBatch(1))).status).toBe(200); // delayed, then stored
    expect((await post(r, makeBatch(1))).status).toBe(200);
    expect(r.events).toHaveLength(2);
    expect(r.requests.map((q) => q.status)).toEqual([503, 500, 500, 200, 200]);
  });

  it('a hanging request is cut when the receiver closes', async () => {
    const r = await start();
    r.inject({ hang: true });
    const pending = post(r, makeBatch(1)).then(
      () => 'answered',
      () => 'cut',
    );
    await r.waitForRequests(1);
    await r.close();
    expect(await pending).toBe('cut');
  });

  it('waits for events, and says so when they do not come', async () => {
    const r = await start();
    const waiting = r.waitForEvents(2);
    await post(r, makeBatch(2));
    expect(await waiting).toHaveLength(2);
    await expect(r.waitForEvents(5, 50)).rejects.toThrow(/expected 5 events, got 2 within 50 ms/);
  });

  it('serves /health, 404 elsewhere, 405 for GET on the telemetry path; reset forgets', async () => {
    const r = await start();
    expect((await fetch(`${r.url}/health`)).status).toBe(200);
    expect((await fetch(`${r.url}/nope`)).status).toBe(404);
    expect((await fetch(`${r.url}/api/v1/telemetry`)).status).toBe(405);
    await post(r, makeBatch(1));
    r.inject({ status: 500 });
    r.reset();
    expect([r.events.length, r.requests.length, r.duplicates]).toEqual([0, 0, 0]);
    expect((await post(r, makeBatch(1))).status).toBe(200);
  });
});
