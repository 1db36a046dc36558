import { createReporter } from '../../src/create-reporter.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { InMemorySink } from '../../src/sinks/in-memory-sink.js';
import type { Sink } from '../../src/sinks/sink.js';

/** A whole session of a real reporter, as its sinks see it (the wire events of DESIGN §3). */
export interface RxtelSession {
  readonly sessionId: string;
  readonly events: readonly TelemetryEvent[];
}

/**
 * Runs a real reporter (its own pipeline, an {@link InMemorySink}) through one session that has
 * every kind of event the console knows: plain logs (one inside a span, so it carries the span's
 * ids), a failed span with a child, a generation and a tool call inside the span, a round, a
 * round start (an LLM event that makes no span), an exception with a cause, a 4xx `user_error`, a
 * `telemetry.health` report (after a refused event) and the SESSION_START/SESSION_END pair.
 * `sinks` get the same events too (real HTTP sinks, for a round trip through each protocol).
 *
 * @example
 * ```ts
 * const { sessionId, events } = await rxtelSession();
 * ```
 */
export async function rxtelSession(sinks: readonly Sink[] = []): Promise<RxtelSession> {
  const sink = new InMemorySink();
  const reporter = createReporter({ sinks: [sink, ...sinks], flushIntervalMs: 0, attachEvents: false });
  reporter.log('user.action', { button: 'submit', nested: { list: [1, 2.5, 'three', null, true] } });
  const span = reporter.startSpan('checkout', { kind: 'server', attributes: { 'http.route': '/checkout' } });
  span.run(() => {
    reporter.log('cart.loaded', { items: 3 }, 'DEBUG');
    const child = span.child('db.query', { kind: 'client' });
    child.end({ status: 'ok' });
    const start = Date.now();
    reporter.track({ type: 'generation', model: 'gpt-4o-mini', usage: { input_tokens: 120, output_tokens: 48 }, start_time: start - 250, end_time: start });
    reporter.track({ type: 'tool_called', tool: 'search', latency_ms: 12, success: false });
  });
  span.end({ status: 'error' });
  reporter.track({ type: 'round_started', chat_id: 'chat-1', round: 1 });
  reporter.track({ type: 'round_completed', chat_id: 'chat-1', round: 1, status: 'ok', latency_ms: 300, usage: { inputTokens: 10, outputTokens: 20 } });
  reporter.log('cache.miss', { key: 'user:123' }, 'WARNING');
  reporter.logException(new Error('payment failed', { cause: new TypeError('card is undefined') }));
  reporter.logException(Object.assign(new Error('Not Found'), { status: 404 }));
  reporter.log('');
  await reporter.stop();
  return { sessionId: reporter.sessionId, events: [...sink.events] };
}
