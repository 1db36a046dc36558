import { afterEach, describe, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from '../../../src/console/server/console-server.js';
import type { IngestOutcome } from '../../../src/console/server/ingest-routes.js';
import { EVERY_KIND, inSpan, sdkLogRecords, sdkSpan } from '../../helpers/otlp-sdk.js';
import { readStatus } from '../../helpers/protobuf-bytes.js';

/**
 * `rxtel console` taking OTLP/HTTP in the binary protobuf encoding, as an SDK's `http/protobuf`
 * exporter sends it (the serializer's bytes, posted with its content type), and answering as
 * opentelemetry-proto v1.11.0 `docs/specification.md` "OTLP/HTTP Response" says.
 */

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Partial<ConsoleServerOptions> = {}): Promise<ConsoleServer & { outcomes: IngestOutcome[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'rxtel-console-protobuf-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const outcomes: IngestOutcome[] = [];
  const console = await startConsoleServer({ port: 0, host: '127.0.0.1', dir, onIngest: (outcome) => outcomes.push(outcome), ...options });
  cleanups.push(() => console.close());
  return Object.assign(console, { outcomes });
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };

const post = (url: string, body: Uint8Array | string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers, body });

/** The answer's bytes, after checking it is protobuf. */
async function protobufAnswer(response: Response): Promise<Uint8Array> {
  expect(response.headers.get('content-type')).toBe('application/x-protobuf');
  return new Uint8Array(await response.arrayBuffer());
}

/** Every event the console stored, without the server's arrival time (two requests never share it). */
async function storedEvents(console: ConsoleServer): Promise<unknown[]> {
  const events: unknown[] = [];
  for (const session of console.store.sessions()) {
    const page = await console.store.events(session.id, {}, 0, 1000);
    for (const { received_ms: _, ...event } of page?.events ?? []) events.push(event);
  }
  return events;
}

function logRecords() {
  return sdkLogRecords((logger) => {
    logger.emit({ timestamp: [1_795_428_000, 0], severityNumber: 17, body: 'payment failed', eventName: 'payment.failed', attributes: { amount: 12.5 }, exception: new TypeError('card is undefined') });
    logger.emit({ timestamp: [1_795_428_001, 0], severityNumber: 9, body: EVERY_KIND, context: inSpan('b7ad6b7169203331') });
  });
}

function spans(traceId?: string) {
  const trace = traceId === undefined ? {} : { traceId };
  return [
    sdkSpan({ name: 'POST /pay', spanId: 'b7ad6b7169203331', ...trace, kind: SpanKind.SERVER, start: [1_795_428_000, 0], end: [1_795_428_001, 0], status: { code: SpanStatusCode.ERROR, message: 'declined' } }),
    sdkSpan({ name: 'chat', spanId: '00f067aa0ba902b7', ...trace, parent: 'b7ad6b7169203331', start: [1_795_428_000, 100], end: [1_795_428_000, 900_000_000], attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } }),
  ];
}

describe('rxtel console: OTLP/HTTP protobuf', () => {
  it('logs and traces in protobuf: 200 with an empty Export*ServiceResponse, and the same stored events as the same records in JSON', async () => {
    const protobuf = await start();
    const json = await start();
    const records = logRecords();
    const logs = await post(`${protobuf.url}/v1/logs`, ProtobufLogsSerializer.serializeRequest(records)!, PROTOBUF);
    expect(logs.status).toBe(200);
    const logsAnswer = await protobufAnswer(logs);
    expect(logsAnswer).toHaveLength(0);
    expect(ProtobufLogsSerializer.deserializeResponse(logsAnswer)).toEqual({});
    const traces = await post(`${protobuf.url}/v1/traces`, ProtobufTraceSerializer.serializeRequest(spans())!, PROTOBUF);
    expect(traces.status).toBe(200);
    expect(ProtobufTraceSerializer.deserializeResponse(await protobufAnswer(traces))).toEqual({});

    const jsonType = { 'content-type': 'application/json' };
    expect((await post(`${json.url}/v1/logs`, JsonLogsSerializer.serializeRequest(records)!, jsonType)).status).toBe(200);
    expect((await post(`${json.url}/v1/traces`, JsonTraceSerializer.serializeRequest(spans())!, jsonType)).status).toBe(200);

    expect(protobuf.outcomes.map(({ protocol, status, stored, rejected }) => ({ protocol, status, stored, rejected }))).toEqual([
      { protocol: 'otlp_logs', status: 200, stored: 2, rejected: 0 },
      { protocol: 'otlp_traces', status: 200, stored: 2, rejected: 0 },
    ]);
    const events = await storedEvents(protobuf);
    expect(events).toHaveLength(4);
    expect(events).toEqual(await storedEvents(json));
  });

  it('takes gzip, application/protobuf, and Langfuse’s OTLP path; the same records sent again are stored once', async () => {
    const console = await start();
    const body = ProtobufTraceSerializer.serializeRequest(spans())!;
    expect((await post(`${console.url}/v1/traces`, gzipSync(body), { ...PROTOBUF, 'content-encoding': 'gzip' })).status).toBe(200);
    expect((await post(`${console.url}/v1/traces`, body, { 'content-type': 'application/protobuf' })).status).toBe(200);
    expect((await post(`${console.url}/api/public/otel/v1/traces`, body, PROTOBUF)).status).toBe(200);
    expect(console.outcomes.map(({ protocol, stored, duplicates }) => [protocol, stored, duplicates])).toEqual([
      ['otlp_traces', 2, 0],
      ['otlp_traces', 0, 2],
      ['langfuse_otlp', 0, 2],
    ]);
  });

  it('a partial success in protobuf: rejected_spans and error_message, read by the official response deserializer', async () => {
    const console = await start();
    const response = await post(`${console.url}/v1/traces`, ProtobufTraceSerializer.serializeRequest([...spans('0'.repeat(32)), ...spans().slice(1)])!, PROTOBUF);
    expect(response.status).toBe(200);
    expect(ProtobufTraceSerializer.deserializeResponse(await protobufAnswer(response))).toEqual({
      partialSuccess: { rejectedSpans: 2, errorMessage: 'resourceSpans[0].scopeSpans[0].spans[0]: traceId is not 16 bytes of hex (nor all zeros)' },
    });
    expect(console.outcomes[0]).toMatchObject({ stored: 1, rejected: 2 });
  });

  it('refusals are a protobuf google.rpc.Status: 400 for a body that is no request, 413 past the limit, 415 for another coding, 401 without the key', async () => {
    const console = await start({ maxBodyBytes: 4096, apiKey: 'k' });
    const auth = { ...PROTOBUF, 'x-api-key': 'k' };
    const body = ProtobufLogsSerializer.serializeRequest(logRecords())!;

    const truncated = await post(`${console.url}/v1/logs`, body.subarray(0, body.length - 3), auth);
    expect(truncated.status).toBe(400);
    const status = readStatus(await protobufAnswer(truncated));
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^invalid protobuf ExportLogsServiceRequest at resourceLogs\[0\][^\n]* at byte \d+$/);

    const tooLarge = await post(`${console.url}/v1/logs`, gzipSync(Buffer.alloc(100_000)), { ...auth, 'content-encoding': 'gzip' });
    expect(tooLarge.status).toBe(413);
    expect(readStatus(await protobufAnswer(tooLarge))).toEqual({ code: 8, message: 'payload too large (limit 4096 bytes, as sent and decoded)' });

    const brotli = await post(`${console.url}/v1/traces`, body, { ...auth, 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
    expect(readStatus(await protobufAnswer(brotli))).toEqual({ code: 3, message: 'unsupported content-encoding: br (accepted: gzip, identity)' });

    const withoutKey = await post(`${console.url}/v1/logs`, body, PROTOBUF);
    expect(withoutKey.status).toBe(401);
    expect(readStatus(await protobufAnswer(withoutKey))).toEqual({ code: 16, message: 'missing or wrong API key (x-api-key, Authorization: Bearer, or Basic auth)' });

    expect((await post(`${console.url}/v1/logs`, body, auth)).status).toBe(200);
  });

  it('hostile bodies get 400 at once, and the console goes on taking requests', async () => {
    const console = await start();
    const body = ProtobufTraceSerializer.serializeRequest(spans())!;
    const hostile = [
      Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      Uint8Array.from([0x08, ...Array.from({ length: 10 }, () => 0xff), 0x01]),
      Uint8Array.from(Array.from({ length: 500 }, (_, i) => (i * 7919) % 256)),
      ...[1, 17, 60, body.length - 1].map((cut) => body.subarray(0, cut)),
    ];
    for (const bytes of hostile) {
      const response = await post(`${console.url}/v1/traces`, bytes, PROTOBUF);
      expect(response.status).toBe(400);
      expect(readStatus(await protobufAnswer(response)).message).toMatch(/^invalid protobuf ExportTraceServiceRequest[^\n]* at byte \d+$/);
    }
    expect((await post(`${console.url}/v1/traces`, body, PROTOBUF)).status).toBe(200);
  });
});
