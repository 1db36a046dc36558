import { describe, expect, it } from '@jest/globals';
import { createReporter } from '../../src/create-reporter.js';
import type { ReporterOptions } from '../../src/config/options.js';
import { LLM_EVENT_NAMES, type Generation, type LlmEvent } from '../../src/events/llm-events.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

/** A virtual-time reporter whose sink takes raw content, and the GENERIC_EVENTs it sent after a flush. */
function setup(options: Partial<ReporterOptions> = {}) {
  const virtual = virtualReporter({ options, sink: { contentCapture: 'raw' } });
  const { reporter, sink, settleAll } = virtual;
  const generic = async () => {
    await settleAll(reporter.flush());
    return sink.generic();
  };
  return { ...virtual, generic };
}

const usage = { input_tokens: 12, output_tokens: 30, total_tokens: 42 };
const generation: Generation = {
  type: 'generation',
  model: 'm-1',
  input: 'What is the capital of France?',
  output: 'Paris.',
  usage,
  start_time: '2026-01-01T00:00:00.000Z',
  end_time: '2026-01-01T00:00:01.250Z',
};

describe('reporter.track', () => {
  it('logs each typed event under its conventional name', async () => {
    const { reporter, generic } = setup();
    const events: LlmEvent[] = [
      { type: 'chat_session_started', chat_id: 'c1', model: 'm-1' },
      { type: 'round_completed', chat_id: 'c1', round: 0, status: 'ok', usage, latency_ms: 812 },
      { type: 'tool_called', tool: 'search', latency_ms: 40, success: true },
      { type: 'forward_request_completed', endpoint: '/v1/chat', model: 'm-1', stream: true, status_code: 200, usage },
      { type: 'orchestrator', steps: 4, total_duration_ms: 2300, status: 'ok' },
    ];
    for (const event of events) expect(reporter.track(event)).toBe(true);
    const sent = await generic();
    expect(sent.map((e) => e.event_name)).toEqual(events.map((e) => LLM_EVENT_NAMES[e.type]));
    expect(sent[1]!.event_data).toEqual({ chat_id: 'c1', round: 0, status: 'ok', usage, latency_ms: 812 });
  });

  it('drops and counts an invalid event as `invalid`, never throws', async () => {
    const { reporter, generic } = setup();
    // @ts-expect-error -- round, status and latency_ms are missing
    expect(reporter.track({ type: 'round_completed', chat_id: 'c1' })).toBe(false);
    // @ts-expect-error -- no such type
    expect(reporter.track({ type: 'nope' })).toBe(false);
    // @ts-expect-error -- not an event
    expect(reporter.track(null)).toBe(false);
    // Only the reporter's own report of the three it dropped.
    expect((await generic()).map((e) => [e.event_name, e.event_data])).toEqual([['telemetry.health', expect.objectContaining({ dropped: { invalid: 3 }, total: 3 })]]);
    expect(reporter.stats().dropped.invalid).toBe(3);
  });

  it('tells the logger why it refused, once per distinct reason, and never a value', async () => {
    const { reporter, warnings } = setup();
    const typo = { type: 'tool_called', tool: 'search', latency_ms: 5, success: true, latencyMs: 5 } as const;
    // A variable, not a literal: TypeScript checks no excess property, so only the run-time check sees the typo.
    for (let i = 0; i < 3; i++) expect(reporter.track(typo)).toBe(false);
    // The type allows any string; only an ISO date-time passes at run time.
    expect(reporter.track({ ...generation, start_time: 'soon, a secret prompt' })).toBe(false);
    const told = warnings.filter((w) => w.startsWith('track()'));
    expect(told).toEqual([
      'track() refused a `tool_called` event: unknown field `latencyMs` (did you mean `latency_ms`?) (extra data goes in track(event, extra)); counted in stats().dropped.invalid',
      'track() refused a `generation` event: `start_time`: expected a Date, epoch milliseconds or an ISO-8601 date-time string with Z or an offset; counted in stats().dropped.invalid',
    ]);
    expect(told.join('\n')).not.toContain('secret');
    expect(reporter.stats().dropped.invalid).toBe(4);
  });

  it('takes times as Date, epoch ms or ISO strings and camelCase usage, and sends the wire form', async () => {
    const { reporter, generic } = setup();
    const start = new Date('2026-01-01T00:00:00.000Z');
    expect(reporter.track({ type: 'generation', model: 'm-1', start_time: start, end_time: start.getTime() + 1250, usage: { inputTokens: 12, outputTokens: 30 } })).toBe(true);
    expect((await generic())[0]!.event_data).toEqual({
      model: 'm-1',
      start_time: '2026-01-01T00:00:00.000Z',
      end_time: '2026-01-01T00:00:01.250Z',
      usage: { input_tokens: 12, output_tokens: 30 },
    });
  });

  it('replaces raw content unless captureContent is on', async () => {
    const off = setup();
    off.reporter.track(generation);
    expect((await off.generic())[0]!.event_data).toMatchObject({ input: { redacted: true, chars: 30 }, output: { redacted: true, chars: 6 }, usage });

    const on = setup({ captureContent: true });
    on.reporter.track(generation);
    expect((await on.generic())[0]!.event_data).toMatchObject({ input: 'What is the capital of France?', output: 'Paris.' });
  });

  it('honours recordInputs / recordOutputs per call, and never sends the switches', async () => {
    const { reporter, generic } = setup({ captureContent: true });
    reporter.track({ ...generation, recordInputs: false });
    reporter.track({ ...generation, recordOutputs: false });
    reporter.track({ type: 'tool_execution', tool: 'search', input: { q: 'paris' }, output: 'ok', latency_ms: 5, success: true, recordInputs: false, recordOutputs: true });
    const [noInput, noOutput, tool] = (await generic()).map((e) => e.event_data);
    expect(noInput).toMatchObject({ input: { redacted: true, chars: 30 }, output: 'Paris.' });
    expect(noOutput).toMatchObject({ input: 'What is the capital of France?', output: { redacted: true, chars: 6 } });
    expect(tool).toMatchObject({ input: { redacted: true, chars: 13 }, output: 'ok' });
    for (const data of [noInput, noOutput, tool]) {
      expect(data).not.toHaveProperty('recordInputs');
      expect(data).not.toHaveProperty('recordOutputs');
    }
    // @ts-expect-error -- recordInputs is a boolean
    expect(reporter.track({ ...generation, recordInputs: 'no' })).toBe(false);
  });
});

describe('spans', () => {
  it('ending a span logs W3C ids, times and duration; a child shares the trace', async () => {
    const { scheduler, reporter, generic } = setup();
    const root = reporter.startSpan('agent.turn', { attributes: { model: 'm-1' } });
    const child = root.child('tool.search');
    scheduler.schedule(() => child.end({ status: 'ok' }), 40);
    scheduler.schedule(() => root.end({ status: 'error', attributes: { reason: 'timeout' } }), 100);
    scheduler.flush();
    expect(root.end()).toBe(false); // once
    const [childEvent, rootEvent] = (await generic()).map((e) => e.event_data as Record<string, unknown>);
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(childEvent).toMatchObject({ name: 'tool.search', trace_id: root.traceId, parent_span_id: root.spanId, duration_ms: 40, status: 'ok' });
    expect(rootEvent).toMatchObject({ name: 'agent.turn', trace_id: root.traceId, span_id: root.spanId, duration_ms: 100, status: 'error', attributes: { model: 'm-1', reason: 'timeout' } });
    expect(rootEvent).not.toHaveProperty('parent_span_id');
    expect(rootEvent!['start_time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('keeps a given trace id, replaces a malformed one', () => {
    const { reporter } = setup();
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(reporter.startSpan('a', { traceId: trace, parentSpanId: '00f067aa0ba902b7' })).toMatchObject({ traceId: trace, parentSpanId: '00f067aa0ba902b7' });
    expect(reporter.startSpan('b', { traceId: 'not-hex' }).traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(reporter.startSpan('c', { traceId: '0'.repeat(32) }).traceId).not.toBe('0'.repeat(32));
  });
});

describe('reporter.with', () => {
  it('adds correlation ids to logged and tracked events, and spans join its trace', async () => {
    const { reporter, generic } = setup();
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const turn = reporter.with({ correlationId: 'req-7', turnId: 't-3', traceId: trace });
    turn.log('agent.step', { step: 1 });
    turn.log('agent.note', 'plain');
    turn.track({ type: 'tool_called', tool: 'search', latency_ms: 5, success: true });
    turn.with({ turnId: 't-4' }).log('agent.step', { step: 2 });
    turn.startSpan('llm.call').end();
    const sent = await generic();
    const ids = { correlation_id: 'req-7', turn_id: 't-3', trace_id: trace };
    expect(sent[0]!.event_data).toEqual({ step: 1, ...ids });
    expect(sent[1]!.event_data).toEqual({ value: 'plain', ...ids });
    expect(sent[2]!.event_data).toMatchObject(ids);
    expect(sent[3]!.event_data).toEqual({ step: 2, ...ids, turn_id: 't-4' });
    expect(sent[4]!.event_data).toMatchObject({ trace_id: trace, name: 'llm.call' });
    expect(turn.sessionId).toBe(reporter.sessionId);
  });

  it('a disabled reporter has the same API and logs nothing', () => {
    const reporter = createReporter({ enabled: false });
    expect(reporter.track(generation)).toBe(false);
    const span = reporter.startSpan('x');
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.end()).toBe(false);
    expect(reporter.with({ correlationId: 'c' }).log('a')).toBe(false);
  });
});
