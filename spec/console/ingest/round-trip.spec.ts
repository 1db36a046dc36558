import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { normaliseLangfuseIngestion } from '../../../src/console/ingest/langfuse.js';
import { normaliseOtlpLogs } from '../../../src/console/ingest/otlp-logs.js';
import { normaliseOtlpTraces } from '../../../src/console/ingest/otlp-traces.js';
import type { IngestResult } from '../../../src/console/ingest/result.js';
import { normaliseTinker } from '../../../src/console/ingest/tinker.js';
import type { IncomingEvent } from '../../../src/console/model.js';
import { validateBatch } from '../../../src/receiver/validate.js';
import { LangfuseOtlpSink } from '../../../src/sinks/langfuse-otlp-sink.js';
import { LangfuseSink } from '../../../src/sinks/langfuse-sink.js';
import { OtlpHttpSink } from '../../../src/sinks/otlp-http-sink.js';
import { TinkerHttpSink } from '../../../src/sinks/tinker-http-sink.js';
import { VERSION } from '../../../src/version.js';
import { rxtelSession, type RxtelSession } from '../../helpers/rxtel-session.js';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../../helpers/scripted-http-server.js';

/**
 * One rxtel session sent at once through all four of rxtel's HTTP sinks (Tinker, OTLP/HTTP, Langfuse
 * ingestion, Langfuse OTLP) to a real server on 127.0.0.1, and each request read back by the
 * console's normaliser for its protocol: the same event should look the same in the console,
 * whichever way it came, as far as each protocol carries it. What a protocol does not carry is
 * named where it is left out of a comparison.
 */

const NOW = 1_800_000_000_000;
let server: ScriptedServer;
let session: RxtelSession;

beforeAll(async () => {
  server = await startScriptedServer((req) =>
    req.path === '/api/public/ingestion'
      ? { status: 207, headers: { 'content-type': 'application/json' }, body: '{"successes":[],"errors":[]}' }
      : { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' },
  );
  session = await rxtelSession([
    new TinkerHttpSink({ endpoint: server.url, apiKey: 'k' }),
    new OtlpHttpSink({ endpoint: server.url }),
    new LangfuseSink({ baseUrl: server.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' }),
    new LangfuseOtlpSink({ baseUrl: server.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', name: 'langfuse-otlp' }),
  ]);
});

afterAll(async () => {
  await server.close();
});

const requestsTo = (path: string): RecordedRequest[] => server.requests.filter((request) => request.path === path);

/** Every event of the given results, checking that each request was read whole and into rxtel's session. */
function read(results: readonly IngestResult[]): IncomingEvent[] {
  for (const result of results) {
    expect(result).toMatchObject({ rejected: 0 });
    expect(result.invalid).toBeUndefined();
    expect(result.groups.map((group) => group.session)).toEqual([session.sessionId]);
    expect(result.groups[0]?.client.sdk).toBe(`rxtel ${VERSION}`);
  }
  return results.flatMap((result) => result.groups.flatMap((group) => group.events));
}

function tinker(): IncomingEvent[] {
  return read(
    requestsTo('/api/v1/telemetry').map((request) => {
      const checked = validateBatch(request.body);
      if (!('batch' in checked)) throw new Error(checked.error);
      return normaliseTinker(checked.batch, NOW, { userAgent: request.headers['user-agent'] });
    }),
  );
}

const otlp = (paths: readonly string[]): IncomingEvent[] =>
  read(
    server.requests
      .filter((request) => paths.includes(request.path))
      .map((request) => (request.path.endsWith('/logs') ? normaliseOtlpLogs(JSON.parse(request.body), NOW) : normaliseOtlpTraces(JSON.parse(request.body), NOW))),
  );

/** The event a Tinker event became in another protocol: by its span (spans are identified by span id there) or by its id. */
function counterpart(events: readonly IncomingEvent[], event: IncomingEvent): IncomingEvent {
  const found = events.find((other) => (event.span !== undefined && other.span?.span_id === event.span.span_id) || other.id === event.id);
  if (found === undefined) throw new Error(`no counterpart for ${event.kind} ${event.name} (${event.id})`);
  return found;
}

const pick = (event: IncomingEvent, keys: readonly (keyof IncomingEvent)[]): Partial<IncomingEvent> =>
  Object.fromEntries(keys.filter((key) => event[key] !== undefined).map((key) => [key, event[key]]));

/** What every protocol carries of every event. */
const COMMON = ['kind', 'severity', 'ts', 'trace_id', 'exception'] as const;

describe('an rxtel session through every sink, read back by the console', () => {
  it('every sink delivered: one Tinker batch, OTLP logs and traces, a Langfuse batch and Langfuse spans', () => {
    expect(requestsTo('/api/v1/telemetry').length).toBeGreaterThan(0);
    expect(requestsTo('/v1/logs').length).toBeGreaterThan(0);
    expect(requestsTo('/v1/traces').length).toBeGreaterThan(0);
    expect(requestsTo('/api/public/ingestion').length).toBeGreaterThan(0);
    expect(requestsTo('/api/public/otel/v1/traces').length).toBeGreaterThan(0);
    expect(tinker()).toHaveLength(session.events.length);
  });

  it('OTLP/HTTP (OtlpHttpSink: encodeLogsRequest + encodeTracesRequest): every event as by Tinker; LLM spans keep their GenAI name and attributes', () => {
    const viaTinker = tinker();
    const viaOtlp = otlp(['/v1/logs', '/v1/traces']);
    expect(viaOtlp).toHaveLength(viaTinker.length);
    for (const event of viaTinker) {
      const other = counterpart(viaOtlp, event);
      expect(pick(other, [...COMMON, 'span_id', 'span', 'llm'])).toEqual(pick(event, [...COMMON, 'span_id', 'span', 'llm']));
      // An LLM event that is a span travels as a GenAI span: named `chat gpt-4o-mini`, its data the GenAI attributes.
      if (event.kind === 'llm' && event.span !== undefined) continue;
      // A log record carries rxtel.event.id; a span is known by its span id.
      expect(other.id).toBe(event.span?.span_id ?? event.id);
      expect(pick(other, ['name', 'message'])).toEqual(pick(event, ['name', 'message']));
      // A typed LLM log record's fields go by their GenAI names (gen_ai.conversation.id for chat_id).
      if (event.kind !== 'llm') expect(other.data).toEqual(event.data);
    }
  });

  it('Langfuse ingestion (LangfuseSink: encodeBatch): every event as by Tinker, but for what Langfuse observations do not carry', () => {
    const viaTinker = tinker();
    const results = requestsTo('/api/public/ingestion').map((request) => normaliseLangfuseIngestion(JSON.parse(request.body), NOW));
    for (const result of results) expect(result.itemResults.errors).toEqual([]);
    const viaLangfuse = read(results);
    // The trace-create items only say which session a trace is in: no events of their own.
    expect(viaLangfuse).toHaveLength(viaTinker.length);
    for (const event of viaTinker) {
      const other = viaLangfuse.find((candidate) => candidate.id === event.id);
      expect(other).toBeDefined();
      if (other === undefined) continue;
      expect(pick(other, ['kind', 'name', 'ts'])).toEqual(pick(event, ['kind', 'name', 'ts']));
      expect(other.llm).toEqual(event.llm);
      // Langfuse has levels, not span statuses: a span that ended `ok` reads back `unset`.
      const span = event.span === undefined ? undefined : { ...event.span, status: event.span.status === 'ok' ? 'unset' : event.span.status };
      if (event.kind === 'llm') {
        // A generation is an observation whose id is the event id (not the span id rxtel derives for OTLP);
        // tool calls and rounds are Langfuse events: no span, so no severity raised by a failed one.
        if (other.span !== undefined) expect({ ...other.span, span_id: '' }).toEqual({ ...span, span_id: '' });
        continue;
      }
      expect(pick(other, ['severity', 'message', 'trace_id', 'span_id', 'exception'])).toEqual(pick(event, ['severity', 'message', 'trace_id', 'span_id', 'exception']));
      expect(other.span).toEqual(span);
      // A span's kind is not an observation field: its metadata is the span's attributes.
      const { 'span.kind': _kind, ...data } = event.data ?? {};
      expect(other.data ?? {}).toEqual(event.kind === 'span' ? data : (event.data ?? {}));
    }
  });

  it('Langfuse OTLP (LangfuseOtlpSink: encodeLangfuseTraces): spans as by OTLP, every other event as by Tinker', () => {
    const viaTinker = tinker();
    const viaLangfuseOtlp = otlp(['/api/public/otel/v1/traces']);
    expect(viaLangfuseOtlp).toHaveLength(viaTinker.length);
    for (const event of viaTinker) {
      const other = counterpart(viaLangfuseOtlp, event);
      expect(pick(other, [...COMMON, 'span_id', 'span', 'llm'])).toEqual(pick(event, [...COMMON, 'span_id', 'span', 'llm']));
      if (event.span !== undefined) continue;
      expect(other.id).toBe(event.id);
      expect(pick(other, ['name', 'message'])).toEqual(pick(event, ['name', 'message']));
      if (event.kind !== 'llm') expect(other.data).toEqual(event.data);
    }
  });
});
