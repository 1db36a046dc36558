/**
 * Names rxtel itself gives to events and bus events: one place, so that the reporter that makes
 * an event, the step that exempts it and the tests that look for it cannot disagree.
 */

/** `event_name` of the reporter's report of what it dropped. */
export const HEALTH_EVENT = 'telemetry.health';
/** `event_name` of a sink's state change, sent to the other sinks. */
export const SINK_HEALTH_EVENT = 'telemetry.sink_health';
/** `event_name` of the per-name counts of what the rate limit refused, sent with the health reports. */
export const RATE_LIMITED_EVENT = 'rxtel.rate_limited';
/** Bus event when the queue fills up or has room again (forwarded to the reporter by default). */
export const QUEUE_STATE_EVENT = 'rxtel.queue.state_change';

/**
 * Bus events of `instrumentFetch` / `instrumentKy`, around one HTTP request each (forwarded to the
 * reporter by default).
 */
export const HTTP_REQUEST_EVENTS = {
  start: 'rxtel.http.request.start',
  stop: 'rxtel.http.request.stop',
  exception: 'rxtel.http.request.exception',
} as const;

/** `event_name` of a finished span (`reporter.startSpan(…).end()`); the OTLP and Langfuse sinks send these as spans. */
export const SPAN_EVENT = 'span';

/**
 * The `event_name` each typed LLM event (`reporter.track(event)`, see `llm-events.ts`) is logged
 * under, by its `type`.
 */
export const LLM_EVENT_NAMES = {
  chat_session_started: 'llm.chat_session.started',
  chat_session_completed: 'llm.chat_session.completed',
  round_started: 'llm.round.started',
  round_completed: 'llm.round.completed',
  tool_called: 'llm.tool.called',
  message_count_updated: 'llm.message_count.updated',
  forward_request_started: 'llm.forward_request.started',
  forward_request_completed: 'llm.forward_request.completed',
  generation: 'llm.generation',
  tool_execution: 'llm.tool.execution',
  orchestrator: 'llm.orchestrator',
} as const;

/**
 * Where the Tinker API takes telemetry, relative to the endpoint: where the Tinker sink posts and
 * the loopback receiver listens.
 *
 * @example
 * ```ts
 * const url = `${endpoint}${TELEMETRY_PATH}`; // https://…/api/v1/telemetry
 * ```
 */
export const TELEMETRY_PATH = '/api/v1/telemetry';
/** `event_name` of the one event a recovered session that never ended gets (the spool's recovery). */
export const SESSION_RECOVERED_EVENT = 'rxtel.session.recovered';
