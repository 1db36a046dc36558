/**
 * The receiver takes every body the official Tinker Python SDK sends (bodies made by the SDK's own
 * models: spec/helpers/tinker-sdk-bodies.ts), stores each event as it was sent, and refuses what
 * the real server refuses, with the real server's status.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startReceiver, type Receiver } from '../../src/receiver/receiver.js';
import { TINKER_SDK_BODIES } from '../helpers/tinker-sdk-bodies.js';
import { makeBatch, makeEvent } from '../helpers/wire-fixtures.js';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(): Promise<Receiver> {
  receiver = await startReceiver();
  return receiver;
}

function post(r: Receiver, body: unknown): Promise<Response> {
  return fetch(`${r.url}/api/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('receiver: bodies of the Tinker Python SDK', () => {
  it.each(Object.entries(TINKER_SDK_BODIES))('accepts %s and stores its events as sent', async (_name, body) => {
    const r = await start();
    const response = await post(r, body);
    expect([response.status, await response.json()]).toEqual([200, { status: 'accepted' }]);
    expect(r.events.map(({ received_at: _at, session_id: _id, ...event }) => event)).toEqual(body.events);
    expect(r.events.every((e) => e.session_id === body.session_id)).toBe(true);
  });

  it('accepts the other ISO-8601 forms of a UTC datetime: +00:00, an offset, 1 to 9 fractional digits', async () => {
    const r = await start();
    const stamps = [
      '2026-01-01T00:00:00+00:00',
      '2026-01-01T00:00:00.120000+00:00',
      '2026-01-01T05:30:00.5+05:30',
      '2026-01-01T00:00:00.12Z',
      '2026-01-01T00:00:00.123456789Z',
      '2025-12-31T19:00:00-05:00',
    ];
    expect((await post(r, makeBatch(1, { events: stamps.map((timestamp, i) => makeEvent(i, { timestamp })) }))).status).toBe(200);
    expect(r.events.map((e) => e.timestamp)).toEqual(stamps);
  });

  it('accepts every duration Python’s str(timedelta) writes, and an ISO 8601 duration', async () => {
    const r = await start();
    const durations = ['0:00:05', '0:00:00.000005', '23:59:59.999999', '1 day, 2:00:00.000007', '3 days, 0:00:01', '-1 day, 23:59:59', '26:00:00.000001', 'PT5.123456S', 'P1DT2H'];
    const ends = durations.map((duration, i) => ({ ...makeEvent(0), event: 'SESSION_END' as const, event_session_index: i + 1, duration }));
    expect((await post(r, makeBatch(1, { events: ends }))).status).toBe(200);
    expect(r.events.map((e) => (e.event === 'SESSION_END' ? e.duration : undefined))).toEqual(durations);
  });

  it('accepts a GENERIC_EVENT without event_data (the model defaults it to {}) and stores it with {}', async () => {
    const r = await start();
    const batch = makeBatch(2);
    delete (batch.events[1] as Record<string, unknown>)['event_data'];
    expect((await post(r, batch)).status).toBe(200);
    expect(r.events[1]).toMatchObject({ event: 'GENERIC_EVENT', event_data: {} });
  });

  it('answers 422 to a non-UUID session id, as the Tinker server does, naming the field like it', async () => {
    const r = await start();
    const response = await post(r, { ...TINKER_SDK_BODIES.typical, session_id: 'sessionless-3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      detail: 'Validation Error',
      errors: [{ loc: 'body -> session_id', msg: expect.any(String), type: expect.any(String) }],
      error: expect.stringMatching(/^invalid telemetry batch: session_id: /),
    });
    expect(r.events).toHaveLength(0);
  });

  it('still refuses what no SDK sends: a date-only or zone-less timestamp, a bad duration, an unknown field', async () => {
    const r = await start();
    const refused: [string, Record<string, unknown>][] = [
      ['events -> 0 -> timestamp', { timestamp: '2026-01-01' }],
      ['events -> 0 -> timestamp', { timestamp: '2026-01-01T00:00:00' }],
      ['events -> 0 -> timestamp', { timestamp: '2026-13-01T00:00:00Z' }],
      ['events -> 0 -> duration', { event: 'SESSION_END', duration: '5 seconds' }],
      ['events -> 0 -> duration', { event: 'SESSION_END', duration: '0:0:5' }],
      ['events -> 0', { colour: 'red' }],
    ];
    for (const [loc, change] of refused) {
      const event = { ...makeEvent(0), ...change };
      const response = await post(r, makeBatch(1, { events: [event as never] }));
      expect([response.status, ((await response.json()) as { errors: { loc: string }[] }).errors[0]?.loc]).toEqual([422, `body -> ${loc}`]);
    }
    expect(r.events).toHaveLength(0);
  });
});
