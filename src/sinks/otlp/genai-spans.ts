import { LLM_EVENT_NAMES } from '../../events/names.js';
import type { GenericEvent } from '../../events/wire.js';
import { usageAttributes } from './genai-attributes.js';
import { inputMessagesOf, outputMessagesOf, toolPayloadOf } from './genai-messages.js';
import { derivedSpanId, sessionTraceId, spanIdOf, traceIdOf } from './ids.js';
import { ERROR_TYPE_OTHER, GEN_AI, GEN_AI_OPERATION, RXTEL_ATTR, ATTR } from './semconv.js';
import { SPAN_KIND, STATUS_CODE, type SpanModel, type SpanStatus } from './span-model.js';
import { minusMillis, timeOr, unixNanoOf } from './time.js';

/**
 * rxtel's typed LLM events as the spans of the OpenTelemetry GenAI semantic conventions
 * (semantic-conventions v1.41.0, `model/gen-ai/spans.yaml`):
 *
 * | event | span | name |
 * | --- | --- | --- |
 * | `llm.generation` | inference (`gen_ai.inference.client`), kind CLIENT | `{gen_ai.operation.name} {gen_ai.request.model}` |
 * | `llm.tool.execution`, `llm.tool.called` | `gen_ai.execute_tool.internal`, kind INTERNAL | `execute_tool {gen_ai.tool.name}` |
 * | `llm.round.completed` | `gen_ai.invoke_agent.internal`, kind INTERNAL | `invoke_agent` (`invoke_agent {gen_ai.agent.name}` when given) |
 *
 * A round of a chat is one invocation of the application's agent: the model calls and tool calls
 * it made, its token usage, its outcome; it has no model of its own, so it is not an inference.
 * Raw content (`input` / `output`) is written, in the conventions' own attributes, only when the
 * content gate is open: the event still holds it (the reporter's `captureContent`) and the sink
 * says `contentCapture: 'raw'` (`context.content`).
 */

/** What a mapping needs beyond the event. */
export interface GenAiContext {
  /** The session: events that name no trace go into the session's trace ({@link sessionTraceId}). */
  readonly sessionId: string;
  /** Whether raw content may be written (the sink's `contentCapture === 'raw'`). */
  readonly content: boolean;
  /** `gen_ai.provider.name` when the event does not say (`event_data['gen_ai.provider.name']`). @defaultValue {@link UNKNOWN_PROVIDER} */
  readonly providerName?: string;
}

/** `gen_ai.provider.name` when neither the event nor the sink says: the attribute is required, and custom values are allowed. */
export const UNKNOWN_PROVIDER = 'unknown';

/** The event names that become GenAI spans. */
export const GEN_AI_SPAN_EVENTS: ReadonlySet<string> = new Set([
  LLM_EVENT_NAMES.generation,
  LLM_EVENT_NAMES.tool_execution,
  LLM_EVENT_NAMES.tool_called,
  LLM_EVENT_NAMES.round_completed,
]);

/**
 * Whether `event` becomes a GenAI span (see the table above).
 *
 * @example
 * ```ts
 * const spans = batch.filter(isGenAiSpanEvent).map((event) => genAiSpanOf(event, context));
 * ```
 */
export function isGenAiSpanEvent(event: { readonly event: string; readonly event_name?: string }): event is GenericEvent {
  return event.event === 'GENERIC_EVENT' && event.event_name !== undefined && GEN_AI_SPAN_EVENTS.has(event.event_name);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const isRedacted = (value: unknown): boolean => typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true;
/** Raw content the gate lets through, else `undefined`. */
const gated = (context: GenAiContext, value: unknown): unknown => (context.content && value !== undefined && !isRedacted(value) ? value : undefined);

/** Keys a mapping consumes: never repeated as plain attributes. */
const IDS = ['trace_id', 'span_id', 'parent_span_id'];
const CONSUMED: Readonly<Record<string, ReadonlySet<string>>> = {
  [LLM_EVENT_NAMES.generation]: new Set([...IDS, 'model', 'usage', 'input', 'output', 'start_time', 'end_time']),
  [LLM_EVENT_NAMES.tool_execution]: new Set([...IDS, 'tool', 'input', 'output', 'latency_ms', 'success', 'error']),
  [LLM_EVENT_NAMES.tool_called]: new Set([...IDS, 'tool', 'latency_ms', 'success']),
  [LLM_EVENT_NAMES.round_completed]: new Set([...IDS, 'chat_id', 'round', 'status', 'usage', 'latency_ms', 'error']),
};

/** Trace, span, parent and times shared by every GenAI span of `event`. */
function frame(event: GenericEvent, context: GenAiContext) {
  const data = event.event_data;
  const parentSpanId = spanIdOf(data['parent_span_id']) ?? spanIdOf(data['span_id']);
  return {
    traceId: traceIdOf(data['trace_id']) ?? sessionTraceId(context.sessionId),
    spanId: derivedSpanId(context.sessionId, event.event_id),
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    at: unixNanoOf(event.timestamp),
  };
}

/** An error status and `error.type`, or unset: the conventions' "Recording errors" (unset on success). */
function outcome(failed: boolean, errorType: string, message: unknown): { status: SpanStatus; errorType?: string } {
  if (!failed) return { status: { code: STATUS_CODE.unset } };
  const text = str(message);
  return { status: { code: STATUS_CODE.error, ...(text === undefined ? {} : { message: text }) }, errorType };
}

/** The remaining `event_data` entries, after the mapping's own, unless a mapping already set that key. */
function addRest(attributes: Map<string, unknown>, event: GenericEvent): Map<string, unknown> {
  const consumed = CONSUMED[event.event_name] ?? new Set<string>();
  for (const [key, value] of Object.entries(event.event_data)) if (!consumed.has(key) && !attributes.has(key)) attributes.set(key, value);
  return attributes;
}

function generation(event: GenericEvent, context: GenAiContext): SpanModel {
  const data = event.event_data;
  const { at, ...ids } = frame(event, context);
  const operation = str(data[GEN_AI.operationName]) ?? GEN_AI_OPERATION.chat;
  const model = str(data['model']);
  const attributes = new Map<string, unknown>([
    [GEN_AI.operationName, operation],
    [GEN_AI.providerName, str(data[GEN_AI.providerName]) ?? context.providerName ?? UNKNOWN_PROVIDER],
    [GEN_AI.requestModel, model],
    [GEN_AI.responseModel, str(data[GEN_AI.responseModel]) ?? model],
    ...usageAttributes(data['usage']),
  ]);
  const input = gated(context, data['input']);
  const output = gated(context, data['output']);
  if (input !== undefined) attributes.set(GEN_AI.inputMessages, inputMessagesOf(input));
  if (output !== undefined) attributes.set(GEN_AI.outputMessages, outputMessagesOf(output));
  const end = timeOr(data['end_time'], at);
  return {
    ...ids,
    name: model === undefined ? operation : `${operation} ${model}`,
    kind: SPAN_KIND.client,
    startTimeUnixNano: timeOr(data['start_time'], end),
    endTimeUnixNano: end,
    attributes: addRest(attributes, event),
    status: { code: STATUS_CODE.unset },
  };
}

function toolCall(event: GenericEvent, context: GenAiContext): SpanModel {
  const data = event.event_data;
  const { at, ...ids } = frame(event, context);
  const tool = str(data['tool']);
  const failed = data['success'] === false;
  const { status, errorType } = outcome(failed, ERROR_TYPE_OTHER, data['error']);
  const input = gated(context, data['input']);
  // The conventions' result is "if any and if execution was successful".
  const output = failed ? undefined : gated(context, data['output']);
  const attributes = new Map<string, unknown>([
    [GEN_AI.operationName, GEN_AI_OPERATION.executeTool],
    [GEN_AI.toolName, tool],
    [ATTR.errorType, errorType],
    [GEN_AI.toolCallArguments, input === undefined ? undefined : toolPayloadOf(input)],
    [GEN_AI.toolCallResult, output === undefined ? undefined : toolPayloadOf(output)],
  ]);
  return {
    ...ids,
    name: tool === undefined ? GEN_AI_OPERATION.executeTool : `${GEN_AI_OPERATION.executeTool} ${tool}`,
    kind: SPAN_KIND.internal,
    startTimeUnixNano: minusMillis(at, Number(data['latency_ms'])),
    endTimeUnixNano: at,
    attributes: addRest(attributes, event),
    status,
  };
}

function round(event: GenericEvent, context: GenAiContext): SpanModel {
  const data = event.event_data;
  const { at, ...ids } = frame(event, context);
  const agent = str(data[GEN_AI.agentName]);
  const state = data['status'];
  const { status, errorType } = outcome(state === 'error' || state === 'cancelled', state === 'cancelled' ? 'cancelled' : ERROR_TYPE_OTHER, data['error']);
  const attributes = new Map<string, unknown>([
    [GEN_AI.operationName, GEN_AI_OPERATION.invokeAgent],
    [GEN_AI.providerName, str(data[GEN_AI.providerName]) ?? context.providerName ?? UNKNOWN_PROVIDER],
    [GEN_AI.conversationId, str(data['chat_id'])],
    ...usageAttributes(data['usage']),
    [ATTR.errorType, errorType],
    [RXTEL_ATTR.round, data['round']],
  ]);
  return {
    ...ids,
    name: agent === undefined ? GEN_AI_OPERATION.invokeAgent : `${GEN_AI_OPERATION.invokeAgent} ${agent}`,
    kind: SPAN_KIND.internal,
    startTimeUnixNano: minusMillis(at, Number(data['latency_ms'])),
    endTimeUnixNano: at,
    attributes: addRest(attributes, event),
    status,
  };
}

const MAPPINGS: Readonly<Record<string, (event: GenericEvent, context: GenAiContext) => SpanModel>> = {
  [LLM_EVENT_NAMES.generation]: generation,
  [LLM_EVENT_NAMES.tool_execution]: toolCall,
  [LLM_EVENT_NAMES.tool_called]: toolCall,
  [LLM_EVENT_NAMES.round_completed]: round,
};

/**
 * The GenAI span of an event for which {@link isGenAiSpanEvent} holds. Its span id derives from
 * the session and event ids, so a retried batch sends the same span; its trace is the event's
 * `trace_id` (32 hex or a UUID), else the session's; its parent the event's `parent_span_id` or
 * `span_id`. `event_data` keys the mapping does not consume (a `reporter.with()` id, a
 * `gen_ai.*` attribute passed as `track(event, extra)`) follow as attributes.
 *
 * @example
 * ```ts
 * const model = genAiSpanOf(event, { sessionId, content: sink.contentCapture === 'raw', providerName: 'openai' });
 * ```
 */
export function genAiSpanOf(event: GenericEvent, context: GenAiContext): SpanModel {
  const mapping = Object.hasOwn(MAPPINGS, event.event_name) ? MAPPINGS[event.event_name] : undefined;
  if (mapping === undefined) throw new TypeError(`${event.event_name} is not a GenAI span event`);
  return mapping(event, context);
}
