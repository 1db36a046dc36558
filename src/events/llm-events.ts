import { z } from 'zod';
import { redactContent, withoutContent } from './content.js';
import { LLM_EVENT_NAMES } from './names.js';

export { redactContent } from './content.js';
export { LLM_EVENT_NAMES } from './names.js';

/**
 * Typed events for LLM applications (what bamboo's and siumai's telemetry record). Each has a
 * zod schema with its inferred type; `reporter.track(event)` validates one and logs it as a
 * GENERIC_EVENT under the conventional `event_name` of {@link LLM_EVENT_NAMES}.
 */

const nonNegative = z.number().nonnegative();
export const TokenUsage = z.strictObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;
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
  start_time: z.iso.datetime(),
  end_time: z.iso.datetime(),
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
export type LlmEvent = z.infer<typeof LlmEvent>;

/**
 * The GENERIC_EVENT for a typed event, or `undefined` when it does not validate. `input`/`output`
 * are kept only with `captureContent` (DESIGN §2: raw prompts and outputs are off by default).
 */
export function llmEventData(event: unknown, captureContent: boolean): { name: string; data: Record<string, unknown> } | undefined {
  const parsed = LlmEvent.safeParse(event);
  if (!parsed.success) return undefined;
  const { type, recordInputs, recordOutputs, ...fields } = { recordInputs: undefined, recordOutputs: undefined, ...parsed.data };
  // Indexed by every `type`: a typed event without its name in LLM_EVENT_NAMES does not compile.
  const name = LLM_EVENT_NAMES[type];
  const data: Record<string, unknown> = { ...fields };
  if (!captureContent) return { name, data: withoutContent(name, data) };
  if (recordInputs === false && data['input'] !== undefined) data['input'] = redactContent(data['input']);
  if (recordOutputs === false && data['output'] !== undefined) data['output'] = redactContent(data['output']);
  return { name, data };
}
