import { isRecord } from '../../events/guards.js';

/**
 * Raw LLM content (a typed event's `input` / `output`) in the shapes the GenAI conventions define
 * for `gen_ai.input.messages` and `gen_ai.output.messages` (semantic-conventions v1.41.0,
 * `docs/gen-ai/gen-ai-input-messages.json` and `gen-ai-output-messages.json`): a list of
 * `{ role, parts: [{ type: 'text', content }, …] }`, output messages with a `finish_reason`.
 * Understood inputs: a string; messages already in that shape; OpenAI-style chat messages
 * (`{ role, content, tool_calls?, tool_call_id? }`), alone, in a list or under `messages`; an
 * OpenAI-style response (`{ choices: [{ message, finish_reason }] }`). Anything else becomes one
 * text part holding its JSON, so nothing is lost and the shape stays valid.
 */

/** One message part: `type` and the fields of that type. */
export type GenAiPart = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A chat message of the conventions. */
export interface GenAiMessage {
  readonly role: string;
  readonly parts: readonly GenAiPart[];
  readonly name?: string;
}

/** An output message: one choice of the model, with why it ended. */
export interface GenAiOutputMessage extends GenAiMessage {
  readonly finish_reason: string;
}

/** The finish reason written when the content does not say (the schema requires one; custom values are allowed). */
export const UNKNOWN_FINISH_REASON = 'unknown';

// OpenAI's names for the conventions' `tool_call`.
const FINISH_REASONS: Readonly<Record<string, string>> = { tool_calls: 'tool_call', function_call: 'tool_call' };

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const text = (content: string): GenAiPart => ({ type: 'text', content });
const isMessage = (value: unknown): value is Record<string, unknown> => isRecord(value) && typeof value['role'] === 'string';

/**
 * A tool payload as the conventions want `gen_ai.tool.call.arguments` / `.result`: an object where
 * there is one, so a JSON string of an object or array is parsed; anything else as it is.
 *
 * @example
 * ```ts
 * toolPayloadOf('{"city":"Paris"}'); // { city: 'Paris' }
 * toolPayloadOf('sunny');            // 'sunny'
 * ```
 */
export function toolPayloadOf(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function contentParts(content: unknown): GenAiPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [text(content)];
  if (!Array.isArray(content)) return [text(jsonText(content))];
  return content.map((part: unknown): GenAiPart => {
    if (typeof part === 'string') return text(part);
    if (isRecord(part) && part['type'] === 'text' && typeof part['text'] === 'string') return text(part['text']);
    if (isRecord(part) && typeof part['type'] === 'string') return part as GenAiPart;
    return text(jsonText(part));
  });
}

function toolCallParts(calls: unknown): GenAiPart[] {
  if (!Array.isArray(calls)) return [];
  return calls.filter(isRecord).map((call) => {
    const fn = isRecord(call['function']) ? call['function'] : call;
    const id = typeof call['id'] === 'string' ? { id: call['id'] } : {};
    return { type: 'tool_call', ...id, name: typeof fn['name'] === 'string' ? fn['name'] : '', arguments: toolPayloadOf(fn['arguments']) };
  });
}

/** One message-like record (`role` is a string) as a conventions message. */
function messageOf(message: Record<string, unknown>): GenAiMessage {
  const role = message['role'] as string;
  const name = typeof message['name'] === 'string' ? { name: message['name'] } : {};
  if (Array.isArray(message['parts'])) return { role, parts: contentParts(message['parts']), ...name };
  const id = message['tool_call_id'];
  if (role === 'tool' && typeof id === 'string') {
    return { role, parts: [{ type: 'tool_call_response', id, response: toolPayloadOf(message['content']) }], ...name };
  }
  return { role, parts: [...contentParts(message['content']), ...toolCallParts(message['tool_calls'])], ...name };
}

/**
 * `gen_ai.input.messages` of a generation's `input`.
 *
 * @example
 * ```ts
 * inputMessagesOf('Weather in Paris?'); // [{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }]
 * inputMessagesOf([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
 * ```
 */
export function inputMessagesOf(input: unknown): GenAiMessage[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [text(input)] }];
  const list = isRecord(input) && Array.isArray(input['messages']) ? input['messages'] : input;
  if (Array.isArray(list) && list.length > 0 && list.every(isMessage)) return list.map(messageOf);
  if (isMessage(input)) return [messageOf(input)];
  return [{ role: 'user', parts: [text(jsonText(input))] }];
}

function finishReasonOf(value: unknown): string {
  return typeof value === 'string' && value !== '' ? (FINISH_REASONS[value] ?? value) : UNKNOWN_FINISH_REASON;
}

/**
 * `gen_ai.output.messages` of a generation's `output`.
 *
 * @example
 * ```ts
 * outputMessagesOf('It rains.'); // [{ role: 'assistant', parts: [{ type: 'text', content: 'It rains.' }], finish_reason: 'unknown' }]
 * outputMessagesOf({ choices: [{ message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] });
 * ```
 */
export function outputMessagesOf(output: unknown): GenAiOutputMessage[] {
  if (typeof output === 'string') return [{ role: 'assistant', parts: [text(output)], finish_reason: UNKNOWN_FINISH_REASON }];
  if (isRecord(output) && Array.isArray(output['choices'])) {
    const choices = output['choices'].filter((choice) => isRecord(choice) && isMessage(choice['message'])) as Record<string, unknown>[];
    if (choices.length > 0) return choices.map((choice) => ({ ...messageOf(choice['message'] as Record<string, unknown>), finish_reason: finishReasonOf(choice['finish_reason']) }));
  }
  const list = Array.isArray(output) && output.length > 0 && output.every(isMessage) ? output : isMessage(output) ? [output] : undefined;
  if (list !== undefined) return list.map((message) => ({ ...messageOf(message), finish_reason: finishReasonOf(message['finish_reason']) }));
  return [{ role: 'assistant', parts: [text(jsonText(output))], finish_reason: UNKNOWN_FINISH_REASON }];
}
