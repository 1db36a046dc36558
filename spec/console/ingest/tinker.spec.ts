import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normaliseTinker, tinkerClient } from '../../../src/console/ingest/tinker.js';
import type { IncomingEvent } from '../../../src/console/model.js';
import { ReceivedBatch } from '../../../src/receiver/received-batch.js';
import { derivedSpanId } from '../../../src/sinks/otlp/ids.js';
import { rxtelSession } from '../../helpers/rxtel-session.js';
import { TINKER_SDK_BODIES } from '../../helpers/tinker-sdk-bodies.js';

const NOW = 1_800_000_000_000;
const parse = (body: unknown): ReceivedBatch => ReceivedBatch.parse(body);

function only(events: readonly IncomingEvent[], name: string): IncomingEvent {
  const found = events.filter((event) => event.name === name);
  expect(found).toHaveLength(1);
  return found[0] as IncomingEvent;
}

describe('normaliseTinker: what the Tinker Python SDK sends (0.25.0)', () => {
  it('a whole-second SESSION_START and a generic event, in the batch session, named by the SDK', () => {
    const result = normaliseTinker(parse(TINKER_SDK_BODIES.wholeSecondStart), NOW);
    expect(result).toEqual({
      rejected: 0,
      groups: [
        {
          session: '3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c',
          client: { sdk: 'tinker-python 0.25.0', platform: 'Linux' },
          events: [
            {
              id: '00000000-0000-4000-8000-000000000001',
              session: '3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c',
              ts: Date.UTC(2026, 0, 1),
              received_ms: NOW,
              severity: 'INFO',
              kind: 'session_start',
              name: 'SESSION_START',
              source: 'tinker',
            },
            {
              id: '00000000-0000-4000-8000-000000000002',
              session: '3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c',
              ts: Date.UTC(2026, 0, 1) + 120,
              received_ms: NOW,
              severity: 'INFO',
              kind: 'log',
              name: 'client.init',
              source: 'tinker',
              data: { base_url: null, retries: 3 },
            },
          ],
        },
      ],
    });
  });

  it("a fatal exception with Python's traceback, and SESSION_END's str(timedelta) as milliseconds", () => {
    const [group] = normaliseTinker(parse(TINKER_SDK_BODIES.fatalAfterFiveSeconds), NOW).groups;
    const [exception, end] = group?.events ?? [];
    expect(exception).toMatchObject({ kind: 'exception', severity: 'CRITICAL', name: 'RuntimeError', message: 'boom' });
    expect(exception?.exception?.chain).toEqual([
      { type: 'RuntimeError', message: 'boom', stack: 'Traceback (most recent call last):\n  File "train.py", line 3, in <module>\n    main()' },
    ]);
    expect(end).toMatchObject({ kind: 'session_end', name: 'SESSION_END', data: { duration: '0:00:05', duration_ms: 5000 } });
    const [later] = normaliseTinker(parse(TINKER_SDK_BODIES.endAfterADay), NOW).groups[0]?.events ?? [];
    expect(later?.data).toEqual({ duration: '1 day, 2:00:00.000007', duration_ms: 93_600_000.007 });
  });

  it('an exception that was never raised (no traceback) is one part; a user_error stays a log', () => {
    const [exception, userError] = normaliseTinker(parse(TINKER_SDK_BODIES.neverRaisedAndUserError), NOW).groups[0]?.events ?? [];
    expect(exception?.exception?.chain).toEqual([{ type: 'ValueError', message: '' }]);
    expect(userError).toMatchObject({ kind: 'log', severity: 'WARNING', name: 'user_error', data: { error_type: 'BadRequestError' } });
  });
});

describe('normaliseTinker: what rxtel sends', () => {
  it('every event of a real session, of the right kind, in order, with the ids it was sent with', async () => {
    const { sessionId, events } = await rxtelSession();
    const result = normaliseTinker(parse({ session_id: sessionId, platform: 'linux/x64', sdk_version: '0.1.0', events }), NOW, { userAgent: 'rxtel/0.1.0 node/20.19.0' });
    expect(result.rejected).toBe(0);
    expect(result.groups).toHaveLength(1);
    const group = result.groups[0]!;
    expect(group.client).toEqual({ sdk: 'rxtel 0.1.0', platform: 'linux/x64' });
    expect(group.events.map((event) => event.id)).toEqual(events.map((event) => event.event_id));
    expect(group.events.map((event) => `${event.kind} ${event.name}`)).toEqual([
      'session_start SESSION_START',
      'log user.action',
      'log cart.loaded',
      'span db.query',
      'llm llm.generation',
      'llm llm.tool.called',
      'span checkout',
      'llm llm.round.started',
      'llm llm.round.completed',
      'log cache.miss',
      'exception Error',
      'log user_error',
      'health telemetry.health',
      'session_end SESSION_END',
    ]);
  });

  it('spans: their own ids and parents, start and end, a failed one raised to ERROR', async () => {
    const { sessionId, events } = await rxtelSession();
    const got = normaliseTinker(parse({ session_id: sessionId, platform: 'linux/x64', sdk_version: '0.1.0', events }), NOW).groups[0]!.events;
    const checkout = only(got, 'checkout');
    const query = only(got, 'db.query');
    expect(checkout).toMatchObject({ kind: 'span', severity: 'ERROR', message: 'checkout', span: { status: 'error' } });
    expect(checkout.span?.parent_span_id).toBeUndefined();
    expect(query.span).toMatchObject({ trace_id: checkout.span?.trace_id, parent_span_id: checkout.span?.span_id, status: 'ok' });
    expect(query.severity).toBe('INFO');
    expect(checkout.trace_id).toBe(checkout.span?.trace_id);
    expect(checkout.span_id).toBe(checkout.span?.span_id);
    expect(checkout.span!.start_ms).toBeLessThanOrEqual(query.span!.start_ms);
    expect(checkout.ts).toBe(checkout.span?.end_ms);
    // A span's data is what OTLP carries of it: its attributes and kind (the rest is in `span`).
    expect(checkout.data).toEqual({ 'http.route': '/checkout', 'span.kind': 'server' });
    expect(query.data).toEqual({ 'span.kind': 'client' });
    // A log inside the span names it; the ids move out of its data.
    expect(only(got, 'cart.loaded')).toMatchObject({ severity: 'DEBUG', trace_id: checkout.span?.trace_id, span_id: checkout.span?.span_id, data: { items: 3 } });
    expect(only(got, 'cart.loaded').data).toEqual({ items: 3 });
    expect(only(got, 'SESSION_START').data).toBeUndefined();
  });

  it('LLM events: model, tokens in either spelling, latency, status; a span under the span they ran in', async () => {
    const { sessionId, events } = await rxtelSession();
    const got = normaliseTinker(parse({ session_id: sessionId, platform: 'linux/x64', sdk_version: '0.1.0', events }), NOW).groups[0]!.events;
    const checkout = only(got, 'checkout');
    const generation = only(got, 'llm.generation');
    expect(generation.llm).toEqual({ type: 'generation', model: 'gpt-4o-mini', input_tokens: 120, output_tokens: 48, latency_ms: 250 });
    expect(generation.span).toMatchObject({ trace_id: checkout.span?.trace_id, parent_span_id: checkout.span?.span_id, status: 'unset' });
    expect(generation.span?.span_id).toBe(derivedSpanId(sessionId, generation.id));
    expect(generation.span!.end_ms - generation.span!.start_ms).toBe(250);
    const tool = only(got, 'llm.tool.called');
    expect(tool).toMatchObject({ severity: 'ERROR', llm: { type: 'tool', tool: 'search', latency_ms: 12, status: 'false' }, span: { status: 'error' } });
    const round = only(got, 'llm.round.completed');
    expect(round.llm).toEqual({ type: 'round', input_tokens: 10, output_tokens: 20, latency_ms: 300, status: 'ok' });
    // Outside any span: the session's own trace (the session id's 16 bytes), as rxtel's OTLP sink puts it.
    expect(round.span?.trace_id).toBe(sessionId.replaceAll('-', ''));
    expect(round.span?.parent_span_id).toBeUndefined();
    expect(only(got, 'llm.round.started')).toMatchObject({ kind: 'llm', llm: { type: 'round' } });
    expect(only(got, 'llm.round.started').span).toBeUndefined();
  });

  it('an exception with its cause, the health report and SESSION_END', async () => {
    const { sessionId, events } = await rxtelSession();
    const got = normaliseTinker(parse({ session_id: sessionId, platform: 'linux/x64', sdk_version: '0.1.0', events }), NOW).groups[0]!.events;
    const exception = only(got, 'Error');
    expect(exception.exception?.chain.map(({ type, message }) => `${type}: ${message}`)).toEqual(['Error: payment failed', 'TypeError: card is undefined']);
    expect(only(got, 'telemetry.health')).toMatchObject({ kind: 'health', severity: 'WARNING', data: { dropped: { invalid: 1 } } });
    expect(only(got, 'SESSION_END').data?.['duration_ms']).toEqual(expect.any(Number));
  });

  it('telemetry.sink_health becomes sink_health; ids in event_data are read as W3C ids where they are', () => {
    const batch = parse({
      session_id: '3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c',
      platform: 'linux/x64',
      sdk_version: '0.1.0',
      events: [
        { event: 'GENERIC_EVENT', event_id: 'a', event_session_index: 1, severity: 'WARNING', timestamp: '2026-01-01T00:00:00.000001Z', event_name: 'telemetry.sink_health', event_data: { sink: 'otlp', state: 'degraded' } },
        { event: 'GENERIC_EVENT', event_id: 'b', event_session_index: 2, severity: 'INFO', timestamp: '2026-01-01T00:00:00.000001Z', event_name: 'x', event_data: { trace_id: '0B6F3C9E-3F5A-4C1E-9A53-0D2F4F1B7A10', span_id: 'not-hex' } },
      ],
    });
    const [health, x] = normaliseTinker(batch, NOW).groups[0]!.events;
    expect(health).toMatchObject({ kind: 'sink_health', ts: Date.UTC(2026, 0, 1) + 0.001 });
    expect(x).toMatchObject({ trace_id: '0b6f3c9e3f5a4c1e9a530d2f4f1b7a10', span_id: 'not-hex' });
  });
});

describe('tinkerClient', () => {
  it.each([
    [{ platform: 'linux/x64', sdk_version: '0.1.0' }, undefined, { sdk: 'rxtel 0.1.0', platform: 'linux/x64' }],
    [{ platform: 'Darwin', sdk_version: '0.25.0' }, undefined, { sdk: 'tinker-python 0.25.0', platform: 'Darwin' }],
    [{ platform: 'Linux', sdk_version: '0.25.0' }, 'AsyncTinker/Python 0.25.0', { sdk: 'tinker-python 0.25.0', platform: 'Linux' }],
    [{ platform: 'weird', sdk_version: '9' }, 'rxtel/9 node/22.0.0', { sdk: 'rxtel 9', platform: 'weird' }],
    [{ platform: 'my os', sdk_version: 'custom-1.0' }, 'curl/8', { sdk: 'custom-1.0', platform: 'my os' }],
    [{ platform: '', sdk_version: '' }, undefined, {}],
  ])('%j with user agent %s → %j', (batch, userAgent, client) => {
    expect(tinkerClient(batch, userAgent)).toEqual(client);
  });
});

describe('normaliseTinker never throws', () => {
  it('on whatever it is handed, valid or not (fuzzed)', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (anything) => {
        const result = normaliseTinker(anything as ReceivedBatch, NOW);
        expect(Array.isArray(result.groups)).toBe(true);
      }),
      { seed: 19, numRuns: 500 },
    );
  });

  it('and maps every event of any valid batch (fuzzed over the schema)', () => {
    const timestamp = fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((date) => date.toISOString());
    const common = { event_id: fc.string({ minLength: 1 }), event_session_index: fc.nat(), severity: fc.constantFrom('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'), timestamp };
    const event = fc.oneof(
      fc.record({ event: fc.constant('SESSION_START'), ...common }),
      fc.record({ event: fc.constant('SESSION_END'), ...common, duration: fc.constantFrom('0:00:01', '1 day, 0:00:00.000001', 'PT1S') }),
      fc.record({ event: fc.constant('UNHANDLED_EXCEPTION'), ...common, error_type: fc.string(), error_message: fc.string(), traceback: fc.option(fc.string(), { nil: undefined }) }),
      fc.record({
        event: fc.constant('GENERIC_EVENT'),
        ...common,
        event_name: fc.constantFrom('span', 'llm.generation', 'llm.tool.called', 'llm.round.completed', 'llm.x', 'telemetry.health', 'x'),
        event_data: fc.dictionary(fc.constantFrom('trace_id', 'span_id', 'parent_span_id', 'start_time', 'end_time', 'latency_ms', 'usage', 'model', 'status', 'name'), fc.oneof(fc.anything(), timestamp, fc.double())),
      }),
    );
    let checked = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (events) => {
        const parsed = ReceivedBatch.safeParse({ session_id: '3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c', platform: 'linux/x64', sdk_version: '0.1.0', events: events.map((e) => JSON.parse(JSON.stringify(e)) as unknown) });
        if (!parsed.success) return;
        checked += 1;
        const result = normaliseTinker(parsed.data, NOW);
        expect(result.rejected).toBe(0);
        expect(result.groups[0]?.events).toHaveLength(events.length);
        expect(() => JSON.stringify(result)).not.toThrow();
      }),
      { seed: 19, numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(200);
  });
});
