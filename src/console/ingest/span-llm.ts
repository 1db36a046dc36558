import { ATTR, GEN_AI, RXTEL_ATTR } from '../../sinks/otlp/semconv.js';
import type { LlmInfo } from '../model.js';
import { operationType } from './llm-info.js';
import { isObject } from './otlp-values.js';
import { roundMicros } from './times.js';

/**
 * What an OTLP span says about an LLM call: the GenAI semantic conventions' attributes
 * (semantic-conventions v1.41.0 `model/gen-ai/registry.yaml`: `gen_ai.operation.name`,
 * `gen_ai.request.model`, `gen_ai.response.model`, `gen_ai.usage.input_tokens`/`output_tokens`,
 * `gen_ai.tool.name`) and Langfuse's own (langfuse/langfuse-python v4.14.3
 * `langfuse/_client/attributes.py`: `langfuse.observation.type`, `langfuse.observation.model.name`,
 * `langfuse.observation.usage_details`).
 */

const LANGFUSE_TYPE = 'langfuse.observation.type';
const LANGFUSE_MODEL = 'langfuse.observation.model.name';
const LANGFUSE_USAGE = 'langfuse.observation.usage_details';
/** Langfuse observation types that are LLM work (the rest are spans and events). */
const LANGFUSE_LLM_TYPES: ReadonlySet<string> = new Set(['generation', 'embedding', 'tool', 'agent']);

/**
 * Whether a span's attributes make it an LLM call: any `gen_ai.*` attribute, or a Langfuse
 * observation type `generation`, `embedding`, `tool` or `agent`.
 *
 * @example
 * ```ts
 * isLlmSpan({ 'gen_ai.operation.name': 'chat' }); // true
 * isLlmSpan({ 'http.route': '/' });               // false
 * ```
 */
export function isLlmSpan(attributes: Readonly<Record<string, unknown>>): boolean {
  const type = attributes[LANGFUSE_TYPE];
  return (typeof type === 'string' && LANGFUSE_LLM_TYPES.has(type)) || Object.keys(attributes).some((key) => key.startsWith('gen_ai.'));
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/** Langfuse's usage details: a JSON object (as an attribute, its JSON text) of `input`, `output`, …. */
function langfuseUsage(value: unknown): Readonly<Record<string, unknown>> {
  if (isObject(value)) return value;
  if (typeof value !== 'string' || value.length > 10_000) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** The span's timing and outcome. */
export interface SpanOutcome {
  readonly startMs: number;
  readonly endMs: number;
  readonly status: 'ok' | 'error' | 'unset';
}

/**
 * The {@link LlmInfo} of an LLM span. Type: by `gen_ai.operation.name` (`operationType`), an
 * `invoke_agent` that carries `rxtel.llm.round` being one of rxtel's rounds (`round`), else by the
 * Langfuse observation type. Latency: the span's duration. Status: a tool's outcome as
 * `'true'`/`'false'` (as a tool's `success` on the Tinker wire), a round's `ok`/`error`/`cancelled`
 * (rxtel leaves a good round's status unset), else the span's status when it is set.
 *
 * @example
 * ```ts
 * spanLlmInfo({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' }, { startMs: 0, endMs: 250, status: 'unset' });
 * // { type: 'generation', model: 'gpt-4o', latency_ms: 250 }
 * ```
 */
export function spanLlmInfo(attributes: Readonly<Record<string, unknown>>, outcome: SpanOutcome): LlmInfo {
  const usage = langfuseUsage(attributes[LANGFUSE_USAGE]);
  const lfType = str(attributes[LANGFUSE_TYPE]);
  const operation = str(attributes[GEN_AI.operationName]);
  const round = operation === 'invoke_agent' && attributes[RXTEL_ATTR.round] !== undefined;
  const type = round ? 'round' : (operationType(operation) ?? (lfType !== undefined && LANGFUSE_LLM_TYPES.has(lfType) ? lfType : 'generation'));
  const model = str(attributes[GEN_AI.responseModel]) ?? str(attributes[GEN_AI.requestModel]) ?? str(attributes[LANGFUSE_MODEL]);
  const tool = str(attributes[GEN_AI.toolName]);
  const input = count(attributes[GEN_AI.inputTokens]) ?? count(usage['input']);
  const output = count(attributes[GEN_AI.outputTokens]) ?? count(usage['output']);
  const failed = outcome.status === 'error';
  let status: string | undefined = outcome.status === 'unset' ? undefined : outcome.status;
  if (type === 'tool') status = String(!failed);
  else if (round) status = failed ? (attributes[ATTR.errorType] === 'cancelled' ? 'cancelled' : 'error') : 'ok';
  return {
    type,
    ...(model === undefined ? {} : { model }),
    ...(tool === undefined ? {} : { tool }),
    ...(input === undefined ? {} : { input_tokens: input }),
    ...(output === undefined ? {} : { output_tokens: output }),
    latency_ms: roundMicros(Math.max(0, outcome.endMs - outcome.startMs)),
    ...(status === undefined ? {} : { status }),
  };
}
