import { describe, expect, it } from '@jest/globals';
import { llmEventData, type LlmEventData } from '../../src/events/llm-events.js';
import { toWireTime } from '../../src/events/llm-fields.js';

const generation = { type: 'generation', model: 'm-1' } as const;
const round = { type: 'round_completed', chat_id: 'c1', round: 1, status: 'ok', latency_ms: 12 } as const;

/** The event's `event_data`, or fails the test with why it was refused. */
function data(event: unknown): Record<string, unknown> {
  const typed = llmEventData(event, false);
  if (typed.refused !== undefined) throw new Error(typed.refused);
  return typed.data;
}

function refusal(event: unknown): string {
  const typed: LlmEventData = llmEventData(event, false);
  expect(typed.refused).toBeDefined();
  return typed.refused!;
}

describe('typed event times', () => {
  it('takes a Date, epoch milliseconds or an ISO string, and sends an ISO string', () => {
    const start = new Date('2026-01-01T00:00:00.000Z');
    expect(data({ ...generation, start_time: start, end_time: start.getTime() + 1250 })).toMatchObject({
      start_time: '2026-01-01T00:00:00.000Z',
      end_time: '2026-01-01T00:00:01.250Z',
    });
  });

  it('keeps a UTC ISO string as given (microseconds intact) and brings an offset to UTC', () => {
    expect(data({ ...generation, start_time: '2026-01-01T00:00:00.000001Z', end_time: '2026-01-01T02:00:00+01:00' })).toMatchObject({
      start_time: '2026-01-01T00:00:00.000001Z',
      end_time: '2026-01-01T01:00:00.000Z',
    });
    expect(toWireTime('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
  });

  it.each([
    ['an invalid Date', new Date(Number.NaN)],
    ['NaN', Number.NaN],
    ['a number beyond a Date', 9e15],
    ['a string that is no date', 'yesterday'],
    ['a local time without offset', '2026-01-01T00:00:00'],
  ])('refuses %s, naming the field and what it expects', (_what, value) => {
    expect(refusal({ ...generation, start_time: value, end_time: 0 })).toBe(
      'track() refused a `generation` event: `start_time`: expected a Date, epoch milliseconds or an ISO-8601 date-time string with Z or an offset; counted in stats().dropped.invalid',
    );
  });
});

describe('typed event usage', () => {
  it('takes camelCase counts and sends them in snake_case', () => {
    expect(data({ ...round, usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 } })['usage']).toEqual({ input_tokens: 12, output_tokens: 3, total_tokens: 15 });
    expect(data({ ...round, usage: { inputTokens: 12, outputTokens: 3 } })['usage']).toEqual({ input_tokens: 12, output_tokens: 3 });
    expect(data({ ...round, usage: { input_tokens: 12, output_tokens: 3 } })['usage']).toEqual({ input_tokens: 12, output_tokens: 3 });
  });

  it('refuses a usage that mixes the spellings, or misses a count', () => {
    expect(refusal({ ...round, usage: { input_tokens: 1, outputTokens: 2 } })).toContain('`usage.outputTokens`: one spelling per object, snake_case or camelCase, not both');
    expect(refusal({ ...round, usage: { inputTokens: 1 } })).toContain('`usage.outputTokens` is missing (expected number)');
  });
});

describe('why an event is refused', () => {
  it('names an unknown field with the closest known one and where extra data goes, never its value', () => {
    const why = refusal({ type: 'tool_called', tool: 't', latency_ms: 1, success: true, latencyMs: 3, prompt: 'my secret prompt' });
    expect(why).toBe(
      'track() refused a `tool_called` event: unknown field `latencyMs` (did you mean `latency_ms`?); unknown field `prompt` (extra data goes in track(event, extra)); counted in stats().dropped.invalid',
    );
  });

  it('names missing and mistyped fields, and never echoes a value', () => {
    const why = refusal({ type: 'round_completed', chat_id: 'c1', round: 'one-secret', status: 'fine-secret' });
    expect(why).toContain('`round`: Invalid input: expected number, received string');
    expect(why).toContain('`status`: Invalid option: expected one of "ok"|"error"|"cancelled"');
    expect(why).toContain('`latency_ms` is missing (expected number)');
    expect(why).not.toContain('secret');
  });

  it('names an unknown type without echoing it, and says at most three problems', () => {
    const why = refusal({ type: 'secret-type' });
    expect(why).toMatch(/^track\(\) refused an event: `type`: expected one of 'chat_session_started', /);
    expect(why).not.toContain('secret');
    expect(refusal(null)).toBe('track() refused an event: the event: Invalid input: expected object, received null; counted in stats().dropped.invalid');
    expect(refusal({ type: 'generation', a: 1, b: 2, c: 3, d: 4, model: 1, start_time: 'x', end_time: 'y' })).toMatch(/; and \d+ more/);
  });
});
