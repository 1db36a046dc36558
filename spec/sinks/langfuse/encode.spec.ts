import { describe, expect, it } from '@jest/globals';
import type { Severity, TelemetryEvent } from '../../../src/events/wire.js';
import { encodeBatch, observationLevel, SESSION_TRACE_NAME, stableId, type LangfuseItem } from '../../../src/sinks/langfuse/encode.js';

const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT = '00f067aa0ba902b7';
const CHILD = '1a2b3c4d5e6f7081';
const T0 = '2026-01-01T00:00:00.000001Z';
const T1 = '2026-01-01T00:00:01.000000Z';
const T2 = '2026-01-01T00:00:02.000000Z';

const common = (id: string, index: number, severity: Severity = 'INFO', timestamp = T1) => ({ event_id: id, event_session_index: index, severity, timestamp });

const sessionStart: TelemetryEvent = { event: 'SESSION_START', ...common('e0', 0, 'INFO', T0) };
const generation: TelemetryEvent = {
  event: 'GENERIC_EVENT',
  ...common('e1', 1),
  event_name: 'llm.generation',
  event_data: {
    model: 'gpt-4o-mini',
    input: [{ role: 'user', content: 'hi' }],
    output: 'hello',
    usage: { input_tokens: 12, output_tokens: 3 },
    start_time: '2026-01-01T00:00:00.500Z',
    end_time: '2026-01-01T00:00:01.000Z',
    temperature: 0.2,
  },
};
const tracedGeneration: TelemetryEvent = {
  event: 'GENERIC_EVENT',
  ...common('e2', 2),
  event_name: 'llm.generation',
  event_data: {
    model: 'claude',
    usage: { input_tokens: 1, output_tokens: 2, total_tokens: 4 },
    start_time: '2026-01-01T00:00:01.000Z',
    end_time: '2026-01-01T00:00:02.000Z',
    trace_id: TRACE,
    parent_span_id: ROOT,
  },
};
const childSpan: TelemetryEvent = {
  event: 'GENERIC_EVENT',
  ...common('e3', 3, 'ERROR', T2),
  event_name: 'span',
  event_data: {
    name: 'tool.call',
    trace_id: TRACE,
    span_id: CHILD,
    parent_span_id: ROOT,
    start_time: T1,
    end_time: T2,
    duration_ms: 1000,
    status: 'error',
    attributes: { tool: 'search' },
  },
};
const rootSpan: TelemetryEvent = {
  event: 'GENERIC_EVENT',
  ...common('e4', 4, 'INFO', T2),
  event_name: 'span',
  event_data: { name: 'agent.run', trace_id: TRACE, span_id: ROOT, start_time: T0, end_time: T2, duration_ms: 2000, status: 'ok', attributes: {} },
};
const generic: TelemetryEvent = { event: 'GENERIC_EVENT', ...common('e5', 5, 'DEBUG'), event_name: 'user.action', event_data: { button: 'submit' } };
const exception: TelemetryEvent = {
  event: 'UNHANDLED_EXCEPTION',
  ...common('e6', 6, 'CRITICAL'),
  error_type: 'TypeError',
  error_message: 'x is undefined',
  traceback: 'TypeError: x is undefined\n    at f (a.js:1:1)',
};
const sessionEnd: TelemetryEvent = { event: 'SESSION_END', ...common('e7', 7, 'WARNING', T2), duration: '0:00:02.000000' };

const batch = [sessionStart, generation, tracedGeneration, childSpan, rootSpan, generic, exception, sessionEnd];
const byType = (items: readonly LangfuseItem[], type: string) => items.filter((i) => i.type === type);

describe('encodeBatch', () => {
  const { items, positions } = encodeBatch(batch, { sessionId: SESSION_ID });

  it('puts one trace-create per distinct trace first, in order of first appearance, then one observation per event in batch order', () => {
    expect(items.map((i) => i.type)).toEqual([
      'trace-create',
      'trace-create',
      'event-create',
      'generation-create',
      'generation-create',
      'span-create',
      'span-create',
      'event-create',
      'event-create',
      'event-create',
    ]);
    expect(items.slice(2).map((i) => i.id)).toEqual(batch.map((e) => e.event_id));
  });

  it('encodes the session trace and a span trace, each with the session id, the earliest timestamp and a name', () => {
    const [session, spans] = byType(items, 'trace-create');
    expect(session).toEqual({
      id: stableId('trace-create', SESSION_ID, 'e0'),
      type: 'trace-create',
      timestamp: T0,
      body: { id: SESSION_ID, sessionId: SESSION_ID, name: SESSION_TRACE_NAME },
    });
    expect(spans).toEqual({
      id: stableId('trace-create', TRACE, 'e2'),
      type: 'trace-create',
      timestamp: T1,
      body: { id: TRACE, sessionId: SESSION_ID, name: 'agent.run' },
    });
    expect(positions.get(session!.id)).toEqual([0, 1, 5, 6, 7]);
    expect(positions.get(spans!.id)).toEqual([2, 3, 4]);
    expect(positions.get('e3')).toEqual([3]);
  });

  it('encodes llm.generation as generation-create with usageDetails, times and the rest as metadata', () => {
    const [plain, traced] = byType(items, 'generation-create');
    expect(plain).toEqual({
      id: 'e1',
      type: 'generation-create',
      timestamp: T1,
      body: {
        id: 'e1',
        traceId: SESSION_ID,
        name: 'llm.generation',
        model: 'gpt-4o-mini',
        input: [{ role: 'user', content: 'hi' }],
        output: 'hello',
        usageDetails: { input: 12, output: 3, total: 15 },
        startTime: '2026-01-01T00:00:00.500Z',
        endTime: '2026-01-01T00:00:01.000Z',
        level: 'DEFAULT',
        metadata: { temperature: 0.2 },
      },
    });
    expect(traced?.body).toEqual({
      id: 'e2',
      traceId: TRACE,
      name: 'llm.generation',
      model: 'claude',
      usageDetails: { input: 1, output: 2, total: 4 },
      startTime: '2026-01-01T00:00:01.000Z',
      endTime: '2026-01-01T00:00:02.000Z',
      parentObservationId: ROOT,
      level: 'DEFAULT',
    });
  });

  it('encodes span events as span-create: span id, parent, ERROR level on error status, attributes as metadata', () => {
    const [child, root] = byType(items, 'span-create');
    expect(child).toEqual({
      id: 'e3',
      type: 'span-create',
      timestamp: T2,
      body: {
        id: CHILD,
        traceId: TRACE,
        parentObservationId: ROOT,
        name: 'tool.call',
        startTime: T1,
        endTime: T2,
        level: 'ERROR',
        metadata: { tool: 'search' },
      },
    });
    expect(root?.body).toEqual({ id: ROOT, traceId: TRACE, name: 'agent.run', startTime: T0, endTime: T2, level: 'DEFAULT' });
  });

  it('encodes other events as event-create with level, metadata and the exception as status message', () => {
    const events = byType(items, 'event-create').map((i) => i.body);
    expect(events).toEqual([
      { id: 'e0', traceId: SESSION_ID, name: 'SESSION_START', startTime: T0, level: 'DEFAULT' },
      { id: 'e5', traceId: SESSION_ID, name: 'user.action', startTime: T1, level: 'DEBUG', metadata: { button: 'submit' } },
      {
        id: 'e6',
        traceId: SESSION_ID,
        name: 'UNHANDLED_EXCEPTION',
        startTime: T1,
        level: 'ERROR',
        statusMessage: 'TypeError: x is undefined',
        metadata: { error_type: 'TypeError', error_message: 'x is undefined', traceback: 'TypeError: x is undefined\n    at f (a.js:1:1)' },
      },
      { id: 'e7', traceId: SESSION_ID, name: 'SESSION_END', startTime: T2, level: 'WARNING', metadata: { duration: '0:00:02.000000' } },
    ]);
  });

  it('puts a generic event with a trace_id into that trace', () => {
    const event: TelemetryEvent = { ...generic, event_data: { trace_id: TRACE, step: 1 } } as TelemetryEvent;
    const encoded = encodeBatch([event], { sessionId: SESSION_ID });
    expect(encoded.items.map((i) => [i.type, i.body.id, i.body.traceId])).toEqual([
      ['trace-create', TRACE, undefined],
      ['event-create', 'e5', TRACE],
    ]);
    // No root span in the batch: no trace name, so an upsert does not overwrite the one Langfuse has.
    expect(encoded.items[0]?.body).not.toHaveProperty('name');
  });

  it('adds environment to every body and release to traces', () => {
    const encoded = encodeBatch([sessionStart, childSpan], { sessionId: SESSION_ID, environment: 'staging', release: '1.2.3' });
    for (const item of encoded.items) expect(item.body.environment).toBe('staging');
    expect(encoded.items.filter((i) => i.body.release === '1.2.3').map((i) => i.type)).toEqual(['trace-create', 'trace-create']);
  });

  it('gives the same item ids to the same batch, every time', () => {
    const again = encodeBatch(batch.map((e) => ({ ...e })), { sessionId: SESSION_ID });
    expect(again.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('treats span-named events without span ids, and generations without a model, as plain events', () => {
    const notSpan = { ...generic, event_name: 'span', event_data: { name: 'x' } } as TelemetryEvent;
    const notGeneration = { ...generic, event_id: 'e9', event_name: 'llm.generation', event_data: { input: 'x' } } as TelemetryEvent;
    expect(encodeBatch([notSpan, notGeneration], { sessionId: SESSION_ID }).items.map((i) => i.type)).toEqual([
      'trace-create',
      'event-create',
      'event-create',
    ]);
  });
});

describe('observationLevel', () => {
  it.each<[Severity, string]>([
    ['DEBUG', 'DEBUG'],
    ['INFO', 'DEFAULT'],
    ['WARNING', 'WARNING'],
    ['ERROR', 'ERROR'],
    ['CRITICAL', 'ERROR'],
  ])('%s → %s', (severity, level) => {
    expect(observationLevel(severity)).toBe(level);
  });
});

describe('stableId', () => {
  it('is a UUID-shaped (version 8) pure function of its parts', () => {
    const id = stableId('trace-create', TRACE, 'e1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableId('trace-create', TRACE, 'e1')).toBe(id);
    expect(stableId('trace-create', TRACE, 'e2')).not.toBe(id);
    expect(stableId('a', 'bc')).not.toBe(stableId('ab', 'c'));
  });
});
