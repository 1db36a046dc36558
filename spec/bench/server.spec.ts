/**
 * The benchmark's counting server (bench/server.mjs), run as the child process the bench runs it
 * as: every protocol's events are counted once, duplicates and foreign events apart, gzip bodies
 * decoded, and an outage answers 503 without counting.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

type Counts = { received: number; duplicates: number; other: number; requests: number; refused: number; badRequests: number; lastAt: number };
type Stats = Record<'tinker' | 'posthog' | 'segment' | 'otlp', Counts>;

const serverPath = fileURLToPath(new URL('../../bench/server.mjs', import.meta.url));
let child: ChildProcess;
let url: string;
let nextId = 0;

function ask(message: { type: 'stats' | 'outage' | 'reset'; on?: boolean }): Promise<Stats> {
  const id = ++nextId;
  return new Promise((resolve) => {
    const onMessage = (m: { type: string; id?: number; stats?: Stats }) => {
      if (m.type !== 'stats' || m.id !== id) return;
      child.off('message', onMessage);
      resolve(m.stats as Stats);
    };
    child.on('message', onMessage);
    child.send({ ...message, id });
  });
}

function post(path: string, body: unknown, gzip = false): Promise<Response> {
  const json = Buffer.from(JSON.stringify(body));
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: gzip ? gzipSync(json) : json,
  });
}

beforeAll(async () => {
  child = fork(serverPath, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => {
    child.once('message', (m: { type: string; port: number }) => resolve(m.port));
  });
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'exit' });
  await exited;
});

const action = 'user.action';

describe('bench counting server', () => {
  it('counts Tinker events by event_id, apart from duplicates and other event names', async () => {
    await ask({ type: 'reset' });
    const events = ['a', 'b', 'c'].map((id) => ({ event_id: id, event_name: action }));
    const session = { event_id: 's', event_name: 'SESSION_START' };
    expect((await post('/api/v1/telemetry', { events: [...events, session] })).status).toBe(200);
    await post('/api/v1/telemetry', { events: [events[0]] });
    const { tinker } = await ask({ type: 'stats' });
    expect(tinker).toMatchObject({ received: 3, duplicates: 1, other: 1, requests: 2, refused: 0, badRequests: 0 });
    expect(tinker.lastAt).toBeGreaterThan(0);
  });

  it('counts PostHog (batch[].uuid) on /batch/ and Segment (batch[].messageId) on /v1/batch', async () => {
    await ask({ type: 'reset' });
    await post('/batch/', { api_key: 'k', batch: [{ uuid: '1', event: action }, { uuid: '2', event: action }, { uuid: '1', event: action }] });
    await post('/v1/batch', { batch: [{ messageId: 'm1', event: action }, { messageId: 'm2', event: 'other' }] });
    const stats = await ask({ type: 'stats' });
    expect(stats.posthog).toMatchObject({ received: 2, duplicates: 1, other: 0, requests: 1 });
    expect(stats.segment).toMatchObject({ received: 1, duplicates: 0, other: 1, requests: 1 });
    expect(stats.tinker.requests).toBe(0);
  });

  it('counts OTLP log records across resources and scopes, by eventName or body, and decodes gzip', async () => {
    await ask({ type: 'reset' });
    const record = (name: string) => ({ eventName: name });
    const body = {
      resourceLogs: [
        { scopeLogs: [{ logRecords: [record(action), record(action)] }, { logRecords: [{ body: { stringValue: action } }] }] },
        { scopeLogs: [{ logRecords: [record('SESSION_START')] }] },
      ],
    };
    expect((await post('/v1/logs', body, true)).status).toBe(200);
    const { otlp } = await ask({ type: 'stats' });
    expect(otlp).toMatchObject({ received: 3, other: 1, duplicates: 0, requests: 1 });
  });

  it('answers 503 during an outage without counting, and 400 to a body it cannot read', async () => {
    await ask({ type: 'reset' });
    await ask({ type: 'outage', on: true });
    expect((await post('/api/v1/telemetry', { events: [{ event_id: 'x', event_name: action }] })).status).toBe(503);
    await ask({ type: 'outage', on: false });
    const bad = await fetch(`${url}/api/v1/telemetry`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    const { tinker } = await ask({ type: 'stats' });
    expect(tinker).toMatchObject({ received: 0, requests: 2, refused: 1, badRequests: 1 });
  });
});
