import { z } from 'zod';
import { redactContent, withoutContent } from './content.js';
import { EventTime, TokenUsage } from './llm-fields.js';
import { describeLlmRefusal } from './llm-refusal.js';
import { LLM_EVENT_NAMES } from './names.js';

export { redactContent } from './content.js';
export { LLM_EVENT_NAMES } from './names.js';
export { TokenUsage, type EventTimeInput } from './llm-fields.js';

/**
 * Typed events for LLM applications (what bamboo's and siumai's telemetry record). Each is a zod
 * schema (a value) and, under the same name, the type of what a caller may pass (`z.input`: times
 * as `Date`, epoch ms or ISO strings, usage in either spelling); `reporter.track(event)` validates
 * one and logs it as a GENERIC_EVENT under the conventional `event_name` of {@link LLM_EVENT_NAMES}.
 * The schemas are strict: an unknown field is refused (extra data goes in `track(event, extra)`).
 */

const nonNegative = z.number().nonnegative();
const Status = z.enum(['ok', 'error', 'cancelled']);
/** Raw content (prompts, outputs, tool payloads): exported only when `captureContent` is on. */
const Content = z.unknown();

export const ChatSessionStarted = z.strictObject({ type: z.literal('chat_session_started'), chat_id: z.string(), model: z.string().optional() });
export const ChatSessionCompleted = z.strictObject({
  type: z.literal('chat_session_completed'),
  chat_id: z.string(),
  status: Status,
  rounds: z.number().int().nonnegative(),
  duration_ms: nonNegative,
});
export const RoundStarted = z.strictObject({ type: z.literal('round_started'), chat_id: z.string(), round: z.number().int().nonnegative() });
export const RoundCompleted = z.strictObject({
  type: z.literal('round_completed'),
  chat_id: z.string(),
  round: z.number().int().nonnegative(),
  status: Status,
  usage: TokenUsage.optional(),
  latency_ms: nonNegative,
  error: z.string().optional(),
});
export const ToolCalled = z.strictObject({ type: z.literal('tool_called'), tool: z.string(), latency_ms: nonNegative, success: z.boolean() });
export const MessageCountUpdated = z.strictObject({ type: z.literal('message_count_updated'), chat_id: z.string(), count: z.number().int().nonnegative() });
export const ForwardRequestStarted = z.strictObject({
  type: z.literal('forward_request_started'),
  endpoint: z.string(),
  model: z.string(),
  stream: z.boolean(),
});
export const ForwardRequestCompleted = z.strictObject({
  type: z.literal('forward_request_completed'),
  endpoint: z.string(),
  model: z.string(),
  stream: z.boolean(),
  status_code: z.number().int(),
  usage: TokenUsage.optional(),
  latency_ms: nonNegative.optional(),
});
/**
 * Per-call switches (as in the AI SDKs' telemetry settings): `false` keeps this call's `input` or
 * `output` out of telemetry even when the reporter captures content. They never reach the wire.
 */
const RecordSwitches = { recordInputs: z.boolean().optional(), recordOutputs: z.boolean().optional() };

export const Generation = z.strictObject({
  type: z.literal('generation'),
  model: z.string(),
  input: Content.optional(),
  output: Content.optional(),
  ...RecordSwitches,
  usage: TokenUsage.optional(),
  start_time: EventTime,
  end_time: EventTime,
});
export const ToolExecution = z.strictObject({
  type: z.literal('tool_execution'),
  tool: z.string(),
  input: Content.optional(),
  output: Content.optional(),
  ...RecordSwitches,
  latency_ms: nonNegative,
  success: z.boolean(),
  error: z.string().optional(),
});
export const Orchestrator = z.strictObject({
  type: z.literal('orchestrator'),
  steps: z.number().int().nonnegative(),
  total_duration_ms: nonNegative,
  status: Status.optional(),
});

/** Any typed LLM event. */
export const LlmEvent = z.discriminatedUnion('type', [
  ChatSessionStarted,
  ChatSessionCompleted,
  RoundStarted,
  RoundCompleted,
  ToolCalled,
  MessageCountUpdated,
  ForwardRequestStarted,
  ForwardRequestCompleted,
  Generation,
  ToolExecution,
  Orchestrator,
]);
/** Any typed LLM event, as a caller may pass it to `reporter.track()`. */
export type LlmEvent = z.input<typeof LlmEvent>;
export type ChatSessionStarted = z.input<typeof ChatSessionStarted>;
export type ChatSessionCompleted = z.input<typeof ChatSessionCompleted>;
export type RoundStarted = z.input<typeof RoundStarted>;
export type RoundCompleted = z.input<typeof RoundCompleted>;
export type ToolCalled = z.input<typeof ToolCalled>;
export type MessageCountUpdated = z.input<typeof MessageCountUpdated>;
export type ForwardRequestStarted = z.input<typeof ForwardRequestStarted>;
export type ForwardRequestCompleted = z.input<typeof ForwardRequestCompleted>;
export type Generation = z.input<typeof Generation>;
export type ToolExecution = z.input<typeof ToolExecution>;
export type Orchestrator = z.input<typeof Orchestrator>;

const USAGE_KEYS = ['input_tokens', 'output_tokens', 'total_tokens', 'inputTokens', 'outputTokens', 'totalTokens'];

/** The field names an event of `type` may have at `path` (for "did you mean" in a refusal). */
function knownFields(type: string | undefined): (path: readonly PropertyKey[]) => readonly string[] {
  const schema = LlmEvent.options.find((option) => option.shape.type.value === type);
  return (path) => (path.length === 0 ? Object.keys(schema?.shape ?? {}) : path[path.length - 1] === 'usage' ? USAGE_KEYS : []);
}

/** The event's `type` when it names a typed event (safe to log: one of a fixed set), else undefined. */
function knownType(event: unknown): keyof typeof LLM_EVENT_NAMES | undefined {
  const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
  return typeof type === 'string' && Object.hasOwn(LLM_EVENT_NAMES, type) ? (type as keyof typeof LLM_EVENT_NAMES) : undefined;
}

/** A typed event as it is logged, or why it was refused (one line, no value in it). */
export type LlmEventData = { name: string; data: Record<string, unknown>; refused?: undefined } | { refused: string };

/**
 * The GENERIC_EVENT for a typed event, normalised (times as ISO strings, usage in snake_case), or
 * why it does not validate. `input`/`output` are kept only with `captureContent` (DESIGN §2: raw
 * prompts and outputs are off by default).
 *
 * @example
 * ```ts
 * llmEventData({ type: 'tool_called', tool: 'search', latency_ms: 4, success: true }, false);
 * // { name: 'llm.tool.called', data: { tool: 'search', latency_ms: 4, success: true } }
 * ```
 */
export function llmEventData(event: unknown, captureContent: boolean): LlmEventData {
  const parsed = LlmEvent.safeParse(event);
  if (!parsed.success) {
    const type = knownType(event);
    return { refused: describeLlmRefusal(parsed.error.issues, type, knownFields(type)) };
  }
  const { type, recordInputs, recordOutputs, ...fields } = { recordInputs: undefined, recordOutputs: undefined, ...parsed.data };
  // Indexed by every `type`: a typed event without its name in LLM_EVENT_NAMES does not compile.
  const name = LLM_EVENT_NAMES[type];
  const data: Record<string, unknown> = { ...fields };
  if (!captureContent) return { name, data: withoutContent(name, data) };
  if (recordInputs === false && data['input'] !== undefined) data['input'] = redactContent(data['input']);
  if (recordOutputs === false && data['output'] !== undefined) data['output'] = redactContent(data['output']);
  return { name, data };
}
