import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normaliseLangfuseIngestion } from '../../../src/console/ingest/langfuse.js';
import type { IncomingEvent } from '../../../src/console/model.js';

const NOW = 1_800_000_000_000;
const events = (body: unknown, options = {}): IncomingEvent[] => normaliseLangfuseIngestion(body, NOW, options).groups.flatMap((group) => group.events);

/** The request examples of Langfuse's API reference (langfuse/langfuse v4.16.0+30, `fern/apis/server/definition/ingestion.yml`). */
const REFERENCE = {
  traceCreate: {
    id: 'abcdef-1234-5678-90ab',
    timestamp: '2022-01-01T00:00:00.000Z',
    type: 'trace-create',
    body: {
      id: 'abcdef-1234-5678-90ab',
      timestamp: '2022-01-01T00:00:00.000Z',
      environment: 'production',
      name: 'My Trace',
      userId: '1234-5678-90ab-cdef',
      input: 'My input',
      output: 'My output',
      sessionId: '1234-5678-90ab-cdef',
      release: '1.0.0',
      version: '1.0.0',
      metadata: 'My metadata',
      tags: ['tag1', 'tag2'],
      public: true,
    },
  },
  spanCreate: {
    id: 'abcdef-1234-5678-90ab',
    timestamp: '2022-01-01T00:00:00.000Z',
    type: 'span-create',
    body: { id: 'abcdef-1234-5678-90ab', traceId: '1234-5678-90ab-cdef', startTime: '2022-01-01T00:00:00.000Z', environment: 'test' },
  },
  scoreCreate: {
    id: 'abcdef-1234-5678-90ab',
    timestamp: '2022-01-01T00:00:00.000Z',
    type: 'score-create',
    body: { id: 'abcdef-1234-5678-90ab', traceId: '1234-5678-90ab-cdef', name: 'My Score', value: 0.9, environment: 'default' },
  },
};
const JAN_2022 = Date.UTC(2022, 0, 1);

describe("normaliseLangfuseIngestion: the API reference's examples, and Langfuse's answer", () => {
  it('a trace-create with content is a log in its session; the answer is 207-shaped', () => {
    const result = normaliseLangfuseIngestion({ batch: [REFERENCE.traceCreate] }, NOW);
    expect(result.itemResults).toEqual({ successes: [{ id: 'abcdef-1234-5678-90ab', status: 201 }], errors: [] });
    expect(result.traceSessions).toEqual(new Map([['abcdef-1234-5678-90ab', '1234-5678-90ab-cdef']]));
    expect(result.groups).toEqual([
      {
        session: '1234-5678-90ab-cdef',
        client: {},
        events: [
          {
            id: 'abcdef-1234-5678-90ab',
            session: '1234-5678-90ab-cdef',
            ts: JAN_2022,
            received_ms: NOW,
            severity: 'INFO',
            kind: 'log',
            name: 'My Trace',
            source: 'langfuse',
            message: 'My Trace',
            trace_id: 'abcdef-1234-5678-90ab',
            data: { metadata: 'My metadata', userId: '1234-5678-90ab-cdef', input: 'My input', output: 'My output', version: '1.0.0', tags: ['tag1', 'tag2'], public: true, environment: 'production', release: '1.0.0' },
          },
        ],
      },
    ]);
  });

  it('a span-create of a trace this request does not create: session langfuse:<traceId>, no span until it ends', () => {
    const [span] = events({ batch: [REFERENCE.spanCreate] });
    expect(span).toMatchObject({ session: 'langfuse:1234-5678-90ab-cdef', kind: 'span', name: 'span', ts: JAN_2022, trace_id: '1234-5678-90ab-cdef', data: { environment: 'test' } });
    expect(span?.span).toBeUndefined();
  });

  it("a score-create is a log named after the score, its value the message; the trace's session when known", () => {
    const [score] = events({ batch: [REFERENCE.scoreCreate] }, { sessionOfTrace: (id: string) => (id === '1234-5678-90ab-cdef' ? 'from-earlier' : undefined) });
    expect(score).toMatchObject({ session: 'from-earlier', kind: 'log', name: 'My Score', message: 'My Score = 0.9', trace_id: '1234-5678-90ab-cdef', data: { value: 0.9, environment: 'default' } });
  });
});

describe('normaliseLangfuseIngestion: observations', () => {
  const trace = { id: 't-env', type: 'trace-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'trace-1', sessionId: 'chat-9', name: 'chat' } };

  it('a generation created and updated in one request is one event: the merged model, usage, times and latency, with a span', () => {
    const result = normaliseLangfuseIngestion(
      {
        batch: [
          { id: 'u-1', type: 'generation-update', timestamp: '2026-01-01T00:00:02Z', body: { id: 'gen-1', traceId: 'trace-1', endTime: '2026-01-01T00:00:01.250Z', usage: { promptTokens: 120, completionTokens: 48 }, output: 'Hi' } },
          trace,
          { id: 'c-1', type: 'generation-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'gen-1', traceId: 'trace-1', name: 'answer', model: 'gpt-4o', startTime: '2026-01-01T00:00:00.000Z', parentObservationId: 'span-1', input: 'Hello' } },
        ],
        metadata: { batch_size: 3, sdk_name: 'python', sdk_version: '2.60.0', public_key: 'pk-lf-123' },
      },
      NOW,
    );
    expect(result.itemResults.successes.map((success) => success.id)).toEqual(['u-1', 't-env', 'c-1']);
    expect(result.groups).toHaveLength(1);
    const [generation, ...rest] = result.groups[0]?.events ?? [];
    expect(rest).toEqual([]);
    expect(result.groups[0]?.client).toEqual({ sdk: 'langfuse-python 2.60.0' });
    expect(JSON.stringify(result.groups)).not.toContain('pk-lf-123');
    expect(generation).toMatchObject({
      id: 'c-1',
      session: 'chat-9',
      kind: 'llm',
      name: 'answer',
      ts: Date.UTC(2026, 0, 1) + 1250,
      trace_id: 'trace-1',
      span_id: 'gen-1',
      span: { trace_id: 'trace-1', span_id: 'gen-1', parent_span_id: 'span-1', start_ms: Date.UTC(2026, 0, 1), end_ms: Date.UTC(2026, 0, 1) + 1250, status: 'unset' },
      llm: { type: 'generation', model: 'gpt-4o', input_tokens: 120, output_tokens: 48, latency_ms: 1250 },
      data: { input: 'Hello', output: 'Hi' },
    });
  });

  it('an update without its create in the request is an event of its own, under its envelope id', () => {
    const [update] = events({ batch: [{ id: 'u-9', type: 'span-update', timestamp: '2026-01-01T00:00:00Z', body: { id: 'span-9', traceId: 'trace-1', endTime: '2026-01-01T00:00:01Z' } }] });
    expect(update).toMatchObject({ id: 'u-9', kind: 'span', name: 'span', ts: Date.UTC(2026, 0, 1) + 1000, trace_id: 'trace-1' });
    // Its start is in another request: no span to draw.
    expect(update?.span).toBeUndefined();
  });

  it.each([
    ['DEBUG', 'DEBUG'],
    ['DEFAULT', 'INFO'],
    ['WARNING', 'WARNING'],
    ['ERROR', 'ERROR'],
    [undefined, 'INFO'],
  ])('level %s → severity %s', (level, severity) => {
    const [event] = events({ batch: [{ id: 'e', type: 'event-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'o', traceId: 't', name: 'x', level } }] });
    expect(event?.severity).toBe(severity);
  });

  it('tool, agent, embedding and the other observation types; an event with a status message', () => {
    const item = (type: string, extra: Record<string, unknown> = {}) => ({ id: `e-${type}`, type, timestamp: '2026-01-01T00:00:00Z', body: { id: `o-${type}`, traceId: 't', startTime: '2026-01-01T00:00:00Z', endTime: '2026-01-01T00:00:00.010Z', ...extra } });
    const got = events({
      batch: [
        item('tool-create', { name: 'search' }),
        item('agent-create', { name: 'planner' }),
        item('embedding-create', { model: 'text-embedding-3-small', usageDetails: { input: 8 } }),
        item('chain-create', { name: 'rag' }),
        item('event-create', { name: 'retry', statusMessage: 'second attempt', level: 'WARNING' }),
        item('observation-create', { type: 'GENERATION', model: 'legacy-model' }),
      ],
    });
    expect(got.map((event) => [event.kind, event.llm?.type, event.name])).toEqual([
      ['llm', 'tool', 'search'],
      ['llm', 'agent', 'planner'],
      ['llm', 'embedding', 'embedding'],
      ['span', undefined, 'rag'],
      ['log', undefined, 'retry'],
      ['llm', 'generation', 'generation'],
    ]);
    expect(got[0]?.llm).toEqual({ type: 'tool', tool: 'search', latency_ms: 10 });
    expect(got[2]?.llm).toMatchObject({ model: 'text-embedding-3-small', input_tokens: 8 });
    expect(got[4]).toMatchObject({ message: 'second attempt', severity: 'WARNING', ts: Date.UTC(2026, 0, 1) });
    expect(got[4]?.span).toBeUndefined();
  });

  it('an sdk-log goes to the langfuse session; an observation of no trace is a session of its own', () => {
    const got = events({
      batch: [
        { id: 'l', type: 'sdk-log', timestamp: '2026-01-01T00:00:00Z', body: { log: { level: 'error', message: 'flush failed' } } },
        { id: 'o', type: 'event-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'lonely', name: 'x' } },
      ],
    });
    expect(got[0]).toMatchObject({ session: 'langfuse', name: 'sdk-log', message: '{"level":"error","message":"flush failed"}', data: { level: 'error', message: 'flush failed' } });
    expect(got[1]).toMatchObject({ session: 'langfuse:lonely', name: 'x' });
    expect(got[1]?.trace_id).toBeUndefined();
  });
});

describe('normaliseLangfuseIngestion: refusals, as Langfuse answers them', () => {
  it('each bad item gets a 400 entry (Invalid request data, and why); the good ones are stored', () => {
    const result = normaliseLangfuseIngestion(
      {
        batch: [
          { type: 'event-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'x' } },
          { id: 'bad-type', type: 'thing-create', timestamp: '2026-01-01T00:00:00Z', body: {} },
          { id: 'bad-time', type: 'event-create', timestamp: 'yesterday', body: { id: 'x' } },
          { id: 'bad-level', type: 'event-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'x', level: 'LOUD' } },
          { id: 'no-body-id', type: 'span-create', timestamp: '2026-01-01T00:00:00Z', body: { traceId: 't' } },
          { id: 'internal', type: 'dataset-run-item-create', timestamp: '2026-01-01T00:00:00Z', body: { traceId: 't', datasetId: 'd', runId: 'r', datasetItemId: 'i' } },
          { id: 'fine', type: 'event-create', timestamp: '2026-01-01T00:00:00+02:00', body: { id: 'y', traceId: 't' } },
        ],
      },
      NOW,
    );
    expect(result.itemResults.successes).toEqual([{ id: 'fine', status: 201 }]);
    expect(result.itemResults.errors.map((error) => [error.id, error.status, error.message])).toEqual([
      ['unknown', 400, 'Invalid request data'],
      ['bad-type', 400, 'Invalid request data'],
      ['bad-time', 400, 'Invalid request data'],
      ['bad-level', 400, 'Invalid request data'],
      ['no-body-id', 400, 'Invalid request data'],
      ['internal', 400, 'Invalid request data'],
    ]);
    expect(result.itemResults.errors[5]?.error).toBe('Dataset run item creation is only allowed for internal usage');
    expect(result.rejected).toBe(6);
    expect(result.reason).toBe('batch[0]: id must be a string of 1 to 800 characters without a carriage return');
    expect(result.groups[0]?.events.map((event) => event.id)).toEqual(['fine']);
  });

  it('a body without a batch array is invalid as a whole (Langfuse answers 400)', () => {
    expect(normaliseLangfuseIngestion({ items: [] }, NOW).invalid).toBe('Invalid request data: the body must be { batch: [...] }');
    expect(normaliseLangfuseIngestion(null, NOW).invalid).toBeDefined();
    expect(normaliseLangfuseIngestion({ batch: [] }, NOW)).toMatchObject({ groups: [], rejected: 0, itemResults: { successes: [], errors: [] } });
  });

  it('never throws, whatever the body (fuzzed)', () => {
    const type = fc.constantFrom('trace-create', 'score-create', 'event-create', 'span-create', 'span-update', 'generation-create', 'generation-update', 'tool-create', 'sdk-log', 'observation-create', 'nope');
    const time = fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.string(), fc.date({ noInvalidDate: true }).map((date) => date.toISOString()));
    const body = fc.record(
      {
        id: fc.oneof(fc.string(), fc.constantFrom('o1', 'o2')),
        traceId: fc.oneof(fc.string(), fc.constantFrom('t1', 't2')),
        sessionId: fc.string(),
        name: fc.oneof(fc.string(), fc.constantFrom('SESSION_START', 'SESSION_END', 'UNHANDLED_EXCEPTION', 'rxtel.session', 'llm.generation')),
        startTime: time,
        endTime: time,
        level: fc.constantFrom('DEBUG', 'DEFAULT', 'WARNING', 'ERROR', 'x'),
        metadata: fc.anything(),
        usage: fc.anything(),
        usageDetails: fc.anything(),
        value: fc.anything(),
        log: fc.anything(),
        type: fc.constantFrom('GENERATION', 'SPAN', 'EVENT'),
      },
      { requiredKeys: [] },
    );
    const item = fc.oneof(fc.anything(), fc.record({ id: fc.oneof(fc.string(), fc.constantFrom('e1', 'e2')), type, timestamp: time, body: fc.oneof(body, fc.anything()) }));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ batch: fc.array(item, { maxLength: 8 }), metadata: fc.anything() })), (value) => {
        const result = normaliseLangfuseIngestion(value, NOW);
        expect(() => JSON.stringify(result.groups)).not.toThrow();
        expect(result.itemResults.successes.length + result.itemResults.errors.length).toBe(Array.isArray((value as { batch?: unknown })?.batch) ? (value as { batch: unknown[] }).batch.length : 0);
      }),
      { seed: 19, numRuns: 500 },
    );
  });
});
