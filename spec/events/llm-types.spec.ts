/**
 * Compile-time tests of the typed API, checked by `npm run typecheck` (`tsc --noEmit` over spec/):
 * each `@ts-expect-error` line must NOT compile, every other line must. Jest runs the file too, so
 * the values are also checked at run time.
 */
import { describe, expect, it } from '@jest/globals';
import {
  createReporter,
  Generation,
  LlmEvent,
  RoundCompleted,
  TokenUsage,
  ToolCalled,
  type EventTimeInput,
  type Reporter,
} from '../../src/index.js';

// A value and a type under one name.
const rc: RoundCompleted = { type: 'round_completed', chat_id: 'c1', round: 0, status: 'ok', latency_ms: 812, usage: { inputTokens: 3, outputTokens: 4 } };
const gen: Generation = { type: 'generation', model: 'm-1', start_time: new Date(0), end_time: 1250 };
const times: EventTimeInput[] = [new Date(), 0, '2026-01-01T00:00:00.000Z'];
const usages: TokenUsage[] = [{ input_tokens: 1, output_tokens: 2 }, { inputTokens: 1, outputTokens: 2, totalTokens: 3 }];
const any: LlmEvent = rc;

function compileTime(reporter: Reporter): void {
  reporter.track(rc);
  reporter.track(gen, { 'gen_ai.provider.name': 'anthropic' });
  reporter.track({ type: 'tool_called', tool: 'search', latency_ms: 4, success: true });
  // @ts-expect-error -- `unknown` is not an event: narrow it or parse it with LlmEvent first
  reporter.track(JSON.parse('{}') as unknown);
  // @ts-expect-error -- no such event type
  reporter.track({ type: 'round_done', chat_id: 'c1' });
  // @ts-expect-error -- latency_ms is missing
  reporter.track({ type: 'tool_called', tool: 'search', success: true });
  // @ts-expect-error -- status is one of ok | error | cancelled
  reporter.track({ ...rc, status: 'fine' });
  // @ts-expect-error -- an unknown field (extra data goes in the second argument)
  reporter.track({ type: 'tool_called', tool: 'search', latency_ms: 4, success: true, prompt: 'hi' });
  // @ts-expect-error -- a time is a Date, a number or a string
  reporter.track({ ...gen, start_time: { seconds: 0 } });
  // @ts-expect-error -- usage counts are numbers
  const badUsage: TokenUsage = { input_tokens: '1', output_tokens: 2 };
  // @ts-expect-error -- a round_completed is not a tool_called
  const wrongKind: ToolCalled = rc;
  void badUsage;
  void wrongKind;
}

describe('the typed API', () => {
  it('accepts at run time what it accepts at compile time', () => {
    for (const event of [rc, gen, any]) expect(LlmEvent.safeParse(event).success).toBe(true);
    for (const time of times) expect(Generation.safeParse({ ...gen, start_time: time }).success).toBe(true);
    for (const usage of usages) expect(TokenUsage.safeParse(usage).success).toBe(true);
    const reporter = createReporter({ enabled: false });
    compileTime(reporter);
    expect(reporter.track(rc)).toBe(false);
  });
});
