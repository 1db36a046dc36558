import { isRecord } from '../../events/guards.js';
import { LLM_EVENT_NAMES } from '../../events/names.js';
import { ATTR, GEN_AI, RXTEL_ATTR } from './semconv.js';

/**
 * The GenAI attributes (semantic-conventions v1.41.0 `model/gen-ai/registry.yaml`) of what rxtel's
 * typed LLM events carry, shared by the spans those events become and the log records of the
 * others: `usage` as `gen_ai.usage.*`, and the fields with a conventions name of their own.
 */

/** A typed LLM event's name (`llm.generation`, …). */
export const LLM_NAMES: ReadonlySet<string> = new Set(Object.values(LLM_EVENT_NAMES));

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * `gen_ai.usage.input_tokens` and `gen_ai.usage.output_tokens` of a `usage` (`{ input_tokens,
 * output_tokens, total_tokens? }`); the total, which the conventions leave to the backend to add
 * up, as `rxtel.llm.usage.total_tokens`. A count that is not a non-negative integer is left out.
 *
 * @example
 * ```ts
 * usageAttributes({ input_tokens: 120, output_tokens: 48 });
 * // [['gen_ai.usage.input_tokens', 120], ['gen_ai.usage.output_tokens', 48]]
 * ```
 */
export function usageAttributes(usage: unknown): [string, number][] {
  if (!isRecord(usage)) return [];
  const entries: [string, number][] = [];
  const { input_tokens: input, output_tokens: output, total_tokens: total } = usage;
  if (isCount(input)) entries.push([GEN_AI.inputTokens, input]);
  if (isCount(output)) entries.push([GEN_AI.outputTokens, output]);
  if (isCount(total)) entries.push([RXTEL_ATTR.totalTokens, total]);
  return entries;
}

/** `event_data` keys of the typed LLM events that have a conventions name, and the test their value must pass. */
const RENAMED: ReadonlyMap<string, readonly [string, (value: unknown) => boolean]> = new Map<string, readonly [string, (value: unknown) => boolean]>([
  ['chat_id', [GEN_AI.conversationId, (value) => typeof value === 'string']],
  ['model', [GEN_AI.requestModel, (value) => typeof value === 'string']],
  ['tool', [GEN_AI.toolName, (value) => typeof value === 'string']],
  ['stream', [GEN_AI.requestStream, (value) => typeof value === 'boolean']],
  ['status_code', [ATTR.httpResponseStatusCode, (value) => Number.isInteger(value)]],
]);

/**
 * The attributes of a typed LLM event's `event_data` for a log record: `chat_id` as
 * `gen_ai.conversation.id`, `model` as `gen_ai.request.model`, `tool` as `gen_ai.tool.name`,
 * `stream` as `gen_ai.request.stream`, `status_code` as `http.response.status_code`, `usage` as
 * {@link usageAttributes}; every other key as it is. `undefined` for an event that is not one of
 * rxtel's typed LLM events (its data is the user's, and stays as it is).
 *
 * @example
 * ```ts
 * genAiLogAttributes('llm.round.started', { chat_id: 'c1', round: 2 });
 * // [['gen_ai.conversation.id', 'c1'], ['round', 2]]
 * ```
 */
export function genAiLogAttributes(name: string, data: Readonly<Record<string, unknown>>): [string, unknown][] | undefined {
  if (!LLM_NAMES.has(name)) return undefined;
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(data)) {
    const renamed = RENAMED.get(key);
    if (key === 'usage') {
      const usage = usageAttributes(value);
      entries.push(...(usage.length > 0 ? usage : [[key, value] as [string, unknown]]));
    } else if (renamed !== undefined && renamed[1](value)) entries.push([renamed[0], value]);
    else entries.push([key, value]);
  }
  return entries;
}
