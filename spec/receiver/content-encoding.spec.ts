/**
 * The receiver decodes `content-encoding: gzip` bodies within its body limit, refuses codings it
 * does not know with 415, and takes what rxtel's own sinks send with `compression: 'gzip'`.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { createReporter } from '../../src/create-reporter.js';
import { startReceiver, type Receiver, type ReceiverOptions } from '../../src/receiver/receiver.js';
import { TinkerHttpSink } from '../../src/sinks/tinker-http-sink.js';
import { runFixture } from '../helpers/child-process.js';
import { makeBatch } from '../helpers/wire-fixtures.js';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(options: ReceiverOptions = {}): Promise<Receiver> {
  receiver = await startReceiver(options);
  return receiver;
}

function post(r: Receiver, body: Uint8Array | string, encoding?: string): Promise<Response> {
  return fetch(`${r.url}/api/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(encoding === undefined ? {} : { 'content-encoding': encoding }) },
    body,
  });
}

const errorOf = async (response: Response): Promise<string> => ((await response.json()) as { error: string }).error;

describe('receiver: content-encoding', () => {
  it('gunzips a gzip body and stores its events as sent; x-gzip, GZIP and identity are understood too', async () => {
    const r = await start();
    const batches = [makeBatch(3), makeBatch(1), makeBatch(1), makeBatch(2)];
    expect((await post(r, gzipSync(JSON.stringify(batches[0])), 'gzip')).status).toBe(200);
    expect((await post(r, gzipSync(JSON.stringify(batches[1])), 'x-gzip')).status).toBe(200);
    expect((await post(r, gzipSync(JSON.stringify(batches[2])), ' GZIP ')).status).toBe(200);
    expect((await post(r, JSON.stringify(batches[3]), 'identity')).status).toBe(200);
    expect(r.events.map(({ received_at: _at, session_id: _id, ...event }) => event)).toEqual(batches.flatMap((b) => b.events));
    expect(r.requests[0]).toMatchObject({ eventCount: 3, body: batches[0] });
  });

  it('answers 415 with accept-encoding to a coding it does not decode, or to several', async () => {
    const r = await start();
    const body = gzipSync(JSON.stringify(makeBatch(1)));
    for (const encoding of ['br', 'deflate', 'zstd', 'gzip, gzip', 'compress']) {
      const response = await post(r, body, encoding);
      expect([response.status, response.headers.get('accept-encoding')]).toEqual([415, 'gzip']);
      expect(await errorOf(response)).toBe(`unsupported content-encoding: ${encoding} (accepted: gzip, identity)`);
    }
    expect(r.events).toHaveLength(0);
  });

  it('answers 400 to a body that says gzip and is not (or is cut short)', async () => {
    const r = await start();
    const whole = gzipSync(JSON.stringify(makeBatch(2)));
    const plain = await post(r, JSON.stringify(makeBatch(1)), 'gzip');
    expect([plain.status, await errorOf(plain)]).toEqual([400, expect.stringMatching(/^invalid gzip body: /)]);
    expect((await post(r, whole.subarray(0, whole.length - 10), 'gzip')).status).toBe(400);
    expect(r.events).toHaveLength(0);
  });

  it('counts the decoded size against maxBodyBytes: up to the limit is taken, a byte past it is 413', async () => {
    const text = JSON.stringify(makeBatch(3));
    const r = await start({ maxBodyBytes: Buffer.byteLength(text) });
    expect((await post(r, gzipSync(text), 'gzip')).status).toBe(200);
    const over = await post(r, gzipSync(`${text} `), 'gzip');
    expect([over.status, await errorOf(over)]).toEqual([413, `payload too large (limit ${Buffer.byteLength(text)} bytes, as sent and decoded)`]);
    expect(r.events).toHaveLength(3);
  });

  it('refuses a gzip bomb (50 MB of zeros in about 50 KB) with 413', async () => {
    const r = await start();
    const bomb = gzipSync(Buffer.alloc(50_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    expect((await post(r, bomb, 'gzip')).status).toBe(413);
    expect((await post(r, gzipSync(JSON.stringify(makeBatch(1))), 'gzip')).status).toBe(200);
  });

  it('inflates a gzip bomb no further than the limit: peak memory grows by far less than 50 MB', async () => {
    const { code, stdout, stderr } = await runFixture('receiver-gzip-bomb.ts', [], {});
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { status: number; peakGrowthBytes: number; controlPeakGrowthBytes: number };
    expect(result.status).toBe(413);
    // The control (the same bomb inflated with no limit) shows the measurement sees 50 MB.
    expect(result.controlPeakGrowthBytes).toBeGreaterThan(40_000_000);
    expect(result.peakGrowthBytes).toBeLessThan(16_000_000);
  });

  it("rxtel's TinkerHttpSink with compression: 'gzip' delivers to it", async () => {
    const r = await start({ apiKey: 'k' });
    const reporter = createReporter({
      sinks: [new TinkerHttpSink({ endpoint: r.url, apiKey: 'k', compression: 'gzip' })],
      flushIntervalMs: 0,
      maxRetries: 0,
      attachEvents: false,
    });
    reporter.log('zipped', { n: 1 });
    expect(await reporter.stop(5000)).toBe(true);
    expect(r.requests.map((q) => [q.headers['content-encoding'], q.status])).toEqual([['gzip', 200]]);
    expect(r.events.map((e) => e.event)).toEqual(['SESSION_START', 'GENERIC_EVENT', 'SESSION_END']);
    expect(r.events[1]).toMatchObject({ event_name: 'zipped', event_data: { n: 1 }, session_id: reporter.sessionId });
    expect(reporter.stats()).toMatchObject({ accepted: 3, delivered: 3, dropped: { sendFailed: 0 } });
  });
});
