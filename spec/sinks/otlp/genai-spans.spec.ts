import { describe, expect, it } from '@jest/globals';
import type { GenericEvent } from '../../../src/events/wire.js';
import { encodeTracesRequest, isTraceEvent } from '../../../src/sinks/otlp/encode-traces.js';
import { genAiSpanOf, isGenAiSpanEvent, type GenAiContext } from '../../../src/sinks/otlp/genai-spans.js';
import { derivedSpanId } from '../../../src/sinks/otlp/ids.js';
import { resourceFactory } from '../../../src/sinks/otlp/resource.js';
import { otlpProblems } from '../../helpers/otlp-json.js';
import { attributeProblems } from '../../helpers/semconv-registry.js';

const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const SESSION_TRACE = '0b6f3c9e3f5a4c1e9a530d2f4f1b7a10';
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const PARENT = 'eee19b7ec3c1b174';
// 2026-11-23T10:00:00Z is 1795428000 s after the epoch.
const AT = '2026-11-23T10:00:00.500000Z';
const AT_NANOS = '1795428000500000000';
const closed: GenAiContext = { sessionId: SESSION_ID, content: false };
const open: GenAiContext = { sessionId: SESSION_ID, content: true };

const event = (event_name: string, event_data: Record<string, unknown>, event_id = 'e-1'): GenericEvent => ({
  event: 'GENERIC_EVENT',
  event_id,
  event_session_index: 1,
  severity: 'INFO',
  timestamp: AT,
  event_name,
  event_data,
});
const generation = (data: Record<string, unknown> = {}) =>
  event('llm.generation', {
    model: 'gpt-4o',
    input: 'Weather in Paris?',
    output: 'Rainy.',
    usage: { input_tokens: 120, output_tokens: 48, total_tokens: 168 },
    start_time: '2026-11-23T09:59:59.250Z',
    end_time: '2026-11-23T10:00:00.250000Z',
    ...data,
  });
const attrs = (model: { attributes: Map<string, unknown> }) => Object.fromEntries(model.attributes);

/** The span of one event, encoded, decoded independently and its attribute names held to the registry. */
function wireSpan(e: GenericEvent, context: GenAiContext, userKeys: string[] = []) {
  const body = JSON.parse(JSON.stringify(encodeTracesRequest([e], resourceFactory({})(SESSION_ID), context))) as {
    resourceSpans: [{ scopeSpans: [{ spans: [Record<string, unknown>] }] }];
  };
  expect(otlpProblems('traces', body)).toEqual([]);
  expect(attributeProblems(body, userKeys)).toEqual([]);
  return body.resourceSpans[0].scopeSpans[0].spans[0];
}

describe('which events are GenAI spans', () => {
  it.each(['llm.generation', 'llm.tool.execution', 'llm.tool.called', 'llm.round.completed'])('%s is a span, sent to /v1/traces', (name) => {
    expect(isGenAiSpanEvent(event(name, {}))).toBe(true);
    expect(isTraceEvent(event(name, {}))).toBe(true);
  });

  it.each(['llm.round.started', 'llm.chat_session.completed', 'llm.forward_request.completed', 'user.action'])('%s stays a log record', (name) => {
    expect(isTraceEvent(event(name, {}))).toBe(false);
  });
});

describe('a generation is an inference span', () => {
  it('named "{operation} {model}", kind CLIENT, with the conventions\' attributes and the times of the event', () => {
    const span = wireSpan(generation(), closed);
    expect(span).toMatchObject({
      traceId: SESSION_TRACE,
      spanId: derivedSpanId(SESSION_ID, 'e-1'),
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: '1795427999250000000',
      endTimeUnixNano: '1795428000250000000',
      status: { code: 0 },
    });
    expect(span['attributes']).toEqual([
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'unknown' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      { key: 'gen_ai.response.model', value: { stringValue: 'gpt-4o' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '120' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '48' } },
      { key: 'rxtel.llm.usage.total_tokens', value: { intValue: '168' } },
    ]);
  });

  it('takes the provider from the sink, and the event\'s own gen_ai.* (track\'s extra) over it; other keys follow', () => {
    const withProvider = { ...closed, providerName: 'openai' };
    expect(attrs(genAiSpanOf(generation(), withProvider))['gen_ai.provider.name']).toBe('openai');
    const own = genAiSpanOf(generation({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.operation.name': 'text_completion', 'gen_ai.response.model': 'gpt-4o-2024', turn_id: 't1' }), withProvider);
    expect(attrs(own)).toMatchObject({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.operation.name': 'text_completion', 'gen_ai.response.model': 'gpt-4o-2024', turn_id: 't1' });
    expect(own.name).toBe('text_completion gpt-4o');
    expect([...own.attributes.keys()].filter((key) => key === 'gen_ai.provider.name')).toHaveLength(1);
  });

  it('content only behind the gate, in gen_ai.input.messages / gen_ai.output.messages', () => {
    expect(attrs(genAiSpanOf(generation(), closed))).not.toHaveProperty('gen_ai.input.messages');
    expect(JSON.stringify(wireSpan(generation(), closed))).not.toContain('Paris');
    const redacted = generation({ input: { redacted: true, chars: 17 }, output: { redacted: true, chars: 6 } });
    expect(attrs(genAiSpanOf(redacted, open))).not.toHaveProperty('gen_ai.input.messages');
    expect(attrs(genAiSpanOf(redacted, open))).not.toHaveProperty('input');
    const raw = attrs(genAiSpanOf(generation(), open));
    expect(raw['gen_ai.input.messages']).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }]);
    expect(raw['gen_ai.output.messages']).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Rainy.' }], finish_reason: 'unknown' }]);
    expect(raw).not.toHaveProperty('input');
    // Structured, as the conventions want where OTLP allows it (a kvlist/array AnyValue).
    expect(JSON.stringify(wireSpan(generation(), open))).toContain('"key":"gen_ai.input.messages","value":{"arrayValue"');
  });

  it('joins the event\'s trace (32 hex, or a UUID) under its parent; keeps the same span id on a retry', () => {
    const traced = genAiSpanOf(generation({ trace_id: TRACE_ID.toUpperCase(), parent_span_id: PARENT }), closed);
    expect(traced).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT });
    expect(genAiSpanOf(generation({ trace_id: '5b8efff7-9803-8103-d269-b633813fc60c', span_id: PARENT }), closed)).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT });
    expect(genAiSpanOf(generation({ trace_id: 'not-a-trace' }), closed).traceId).toBe(SESSION_TRACE);
    expect(genAiSpanOf(generation(), closed).spanId).toBe(genAiSpanOf(generation(), closed).spanId);
    expect(genAiSpanOf(event('llm.generation', { model: 'm' }, 'e-2'), closed).spanId).not.toBe(genAiSpanOf(generation(), closed).spanId);
  });

  it('without a model or times: named by the operation alone, at the event\'s timestamp', () => {
    const span = wireSpan(event('llm.generation', {}), closed);
    expect(span).toMatchObject({ name: 'chat', startTimeUnixNano: AT_NANOS, endTimeUnixNano: AT_NANOS });
  });
});

describe('a tool call is an execute_tool span', () => {
  const tool = (data: Record<string, unknown> = {}) =>
    event('llm.tool.execution', { tool: 'get_weather', input: '{"city":"Paris"}', output: { temp: 12 }, latency_ms: 250, success: true, ...data });

  it('named "execute_tool {tool}", kind INTERNAL, ending at the event and lasting latency_ms', () => {
    const span = wireSpan(tool(), closed);
    expect(span).toMatchObject({ name: 'execute_tool get_weather', kind: 1, startTimeUnixNano: '1795428000250000000', endTimeUnixNano: AT_NANOS, status: { code: 0 } });
    expect(span['attributes']).toEqual([
      { key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } },
      { key: 'gen_ai.tool.name', value: { stringValue: 'get_weather' } },
    ]);
  });

  it('arguments and result only behind the gate, a JSON string parsed to an object', () => {
    expect(attrs(genAiSpanOf(tool(), open))).toMatchObject({ 'gen_ai.tool.call.arguments': { city: 'Paris' }, 'gen_ai.tool.call.result': { temp: 12 } });
    wireSpan(tool(), open);
  });

  it('a failure: error status with the message, error.type _OTHER, no result', () => {
    const span = genAiSpanOf(tool({ success: false, error: 'timeout after 5s' }), open);
    expect(span.status).toEqual({ code: 2, message: 'timeout after 5s' });
    expect(attrs(span)).toMatchObject({ 'error.type': '_OTHER', 'gen_ai.tool.call.arguments': { city: 'Paris' } });
    expect(attrs(span)).not.toHaveProperty('gen_ai.tool.call.result');
  });

  it('llm.tool.called (no content) is the same span', () => {
    const span = wireSpan(event('llm.tool.called', { tool: 'search', latency_ms: 12.5, success: true }), open);
    expect(span).toMatchObject({ name: 'execute_tool search', startTimeUnixNano: '1795428000487500000' });
  });
});

describe('a completed round is an invoke_agent span', () => {
  const round = (data: Record<string, unknown> = {}) =>
    event('llm.round.completed', { chat_id: 'c1', round: 2, status: 'ok', usage: { input_tokens: 10, output_tokens: 5 }, latency_ms: 812, ...data });

  it('kind INTERNAL, gen_ai.conversation.id from chat_id, usage, the round under rxtel.llm.round', () => {
    const span = wireSpan(round(), closed);
    expect(span).toMatchObject({ name: 'invoke_agent', kind: 1, startTimeUnixNano: '1795427999688000000', endTimeUnixNano: AT_NANOS, status: { code: 0 } });
    expect(span['attributes']).toEqual([
      { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_agent' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'unknown' } },
      { key: 'gen_ai.conversation.id', value: { stringValue: 'c1' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '10' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '5' } },
      { key: 'rxtel.llm.round', value: { intValue: '2' } },
    ]);
  });

  it('an error or a cancellation is an error status with error.type; an agent name names the span', () => {
    expect(genAiSpanOf(round({ status: 'error', error: 'model overloaded' }), closed)).toMatchObject({ status: { code: 2, message: 'model overloaded' } });
    expect(attrs(genAiSpanOf(round({ status: 'error' }), closed))['error.type']).toBe('_OTHER');
    expect(attrs(genAiSpanOf(round({ status: 'cancelled' }), closed))['error.type']).toBe('cancelled');
    expect(genAiSpanOf(round({ 'gen_ai.agent.name': 'Math Tutor' }), closed).name).toBe('invoke_agent Math Tutor');
  });
});
