import { LLM_EVENT_NAMES } from '../../events/names.js';
import { ATTR, GEN_AI } from '../../sinks/otlp/semconv.js';
import type { LlmInfo } from '../model.js';
import { isoMs, roundMicros } from './times.js';

/**
 * What an LLM event says about the call, read from rxtel's typed LLM events (src/events/llm-events.ts)
 * as the Tinker wire carries them (`model`, `usage`, `tool`, `latency_ms`, …) and as rxtel's OTLP
 * log records carry them (the GenAI names: `gen_ai.request.model`, `gen_ai.usage.input_tokens`, …,
 * src/sinks/otlp/genai-attributes.ts), so that both look the same in the console.
 */

/** `LlmInfo.type` of each typed event (a new typed event must be given one: `tsc` fails without). */
const TYPE_OF: Readonly<Record<keyof typeof LLM_EVENT_NAMES, string>> = {
  chat_session_started: 'chat',
  chat_session_completed: 'chat',
  message_count_updated: 'chat',
  round_started: 'round',
  round_completed: 'round',
  tool_called: 'tool',
  tool_execution: 'tool',
  forward_request_started: 'forward_request',
  forward_request_completed: 'forward_request',
  generation: 'generation',
  orchestrator: 'orchestrator',
};

const TYPES: ReadonlyMap<string, string> = new Map(
  (Object.keys(LLM_EVENT_NAMES) as (keyof typeof LLM_EVENT_NAMES)[]).map((key) => [LLM_EVENT_NAMES[key], TYPE_OF[key]]),
);

/**
 * Whether `name` is an LLM event: one of rxtel's typed events, or any other `llm.…` name.
 *
 * @example
 * ```ts
 * isLlmName('llm.generation'); // true
 * isLlmName('user.action');    // false
 * ```
 */
export function isLlmName(name: string): boolean {
  return TYPES.has(name) || (name.startsWith('llm.') && name.length > 4) || (name.startsWith('gen_ai.') && name.length > 7);
}

/** `LlmInfo.type` of each well-known `gen_ai.operation.name` (semantic-conventions v1.41.0 `model/gen-ai/registry.yaml`). */
const OPERATION_TYPES: Readonly<Record<string, string>> = {
  chat: 'generation',
  text_completion: 'generation',
  generate_content: 'generation',
  embeddings: 'embedding',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
};

/**
 * The {@link LlmInfo} type of a GenAI operation: `chat`, `text_completion`, `generate_content` →
 * `generation`; `embeddings` → `embedding`; `execute_tool` → `tool`; `invoke_agent`, `create_agent`
 * → `agent`; any other operation as it is named; `undefined` without one.
 *
 * @example
 * ```ts
 * operationType('chat'); // 'generation'
 * ```
 */
export function operationType(operation: unknown): string | undefined {
  if (typeof operation !== 'string' || operation === '') return undefined;
  return Object.hasOwn(OPERATION_TYPES, operation) ? OPERATION_TYPES[operation] : operation;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/**
 * Token counts from `usage` in either spelling (`input_tokens`/`inputTokens`, see
 * src/events/llm-fields.ts) or from the GenAI attributes.
 *
 * @example
 * ```ts
 * tokensOf({ usage: { inputTokens: 3, outputTokens: 4 } }); // { input_tokens: 3, output_tokens: 4 }
 * ```
 */
export function tokensOf(data: Readonly<Record<string, unknown>>): { input_tokens?: number; output_tokens?: number } {
  const usage = typeof data['usage'] === 'object' && data['usage'] !== null ? (data['usage'] as Record<string, unknown>) : {};
  const input = count(usage['input_tokens']) ?? count(usage['inputTokens']) ?? count(data[GEN_AI.inputTokens]);
  const output = count(usage['output_tokens']) ?? count(usage['outputTokens']) ?? count(data[GEN_AI.outputTokens]);
  return { ...(input === undefined ? {} : { input_tokens: input }), ...(output === undefined ? {} : { output_tokens: output }) };
}

/**
 * The {@link LlmInfo} of an LLM event named `name` with data (or attributes) `data`. Latency: the
 * event's `latency_ms` (`duration_ms` of a chat, `total_duration_ms` of an orchestrator), else
 * `end_time - start_time`. Status: a tool's `success` as `'true'`/`'false'`, else `status`, else a
 * forwarded request's `status_code`.
 *
 * @example
 * ```ts
 * llmInfoOf('llm.tool.called', { tool: 'search', latency_ms: 4, success: true });
 * // { type: 'tool', tool: 'search', latency_ms: 4, status: 'true' }
 * ```
 */
export function llmInfoOf(name: string, data: Readonly<Record<string, unknown>>): LlmInfo {
  const type = TYPES.get(name) ?? operationType(data[GEN_AI.operationName]) ?? (name.startsWith('gen_ai.') ? 'generation' : name.split('.')[1] || 'llm');
  const model = str(data['model']) ?? str(data[GEN_AI.responseModel]) ?? str(data[GEN_AI.requestModel]);
  const tool = str(data['tool']) ?? str(data[GEN_AI.toolName]);
  const start = isoMs(data['start_time']);
  const end = isoMs(data['end_time']);
  const latency =
    count(data['latency_ms']) ??
    count(data['duration_ms']) ??
    count(data['total_duration_ms']) ??
    (start !== undefined && end !== undefined && end >= start ? roundMicros(end - start) : undefined);
  const success = data['success'];
  const code = data['status_code'] ?? data[ATTR.httpResponseStatusCode];
  const status = typeof success === 'boolean' ? String(success) : (str(data['status']) ?? (Number.isInteger(code) ? String(code) : undefined));
  return {
    type,
    ...(model === undefined ? {} : { model }),
    ...(tool === undefined ? {} : { tool }),
    ...tokensOf(data),
    ...(latency === undefined ? {} : { latency_ms: latency }),
    ...(status === undefined ? {} : { status }),
  };
}
