import { isObject, type JsonObject } from './otlp-values.js';
import { isoMs } from './times.js';

/**
 * Checks one item of a Langfuse ingestion batch as Langfuse does before it stores anything
 * (langfuse/langfuse v4.16.0+30 `packages/shared/src/server/ingestion/types.ts`,
 * `createIngestionEventSchema`), on the fields the console reads: an envelope `{ id, type,
 * timestamp, body }` of a known type, and per type the fields it must or may have. What it does not
 * read (costs, prompt names, model parameters) it passes as it is.
 */

/** Every item type of the ingestion API (`eventTypes`), legacy ones included. */
export const LANGFUSE_TYPES = [
  'trace-create',
  'score-create',
  'event-create',
  'span-create',
  'span-update',
  'generation-create',
  'generation-update',
  'agent-create',
  'tool-create',
  'chain-create',
  'retriever-create',
  'evaluator-create',
  'embedding-create',
  'guardrail-create',
  'sdk-log',
  'dataset-run-item-create',
  'observation-create',
  'observation-update',
] as const;
export type LangfuseType = (typeof LANGFUSE_TYPES)[number];

/** One item that passed the check. */
export interface LangfuseItem {
  readonly id: string;
  readonly type: LangfuseType;
  /** Epoch milliseconds of the envelope's `timestamp`. */
  readonly at: number;
  readonly body: JsonObject;
}

const TYPES: ReadonlySet<string> = new Set(LANGFUSE_TYPES);
const LEVELS: ReadonlySet<string> = new Set(['DEBUG', 'DEFAULT', 'WARNING', 'ERROR']);
/** Observation types whose body must carry its own `id` (the others: traces, scores, SDK logs, legacy observations). */
const OBSERVATION_ID_REQUIRED = /^(?:event|span|generation|agent|tool|chain|retriever|evaluator|embedding|guardrail)-/;

const nullish = (value: unknown): boolean => value === undefined || value === null;

/** Why `body` does not fit `type`, or `undefined`. */
function bodyProblem(type: LangfuseType, body: JsonObject): string | undefined {
  if (type === 'dataset-run-item-create') return 'Dataset run item creation is only allowed for internal usage';
  if (type === 'sdk-log') return body['log'] === undefined ? 'body.log is required' : undefined;
  if (type === 'score-create') {
    if (typeof body['name'] !== 'string' || body['name'] === '') return 'body.name must be a non-empty string';
    if (typeof body['value'] !== 'number' && typeof body['value'] !== 'string') return 'body.value must be a number or a string';
  }
  if (OBSERVATION_ID_REQUIRED.test(type) && (typeof body['id'] !== 'string' || body['id'] === '')) return 'body.id must be a non-empty string';
  if ((type === 'observation-create' || type === 'observation-update') && !['GENERATION', 'SPAN', 'EVENT'].includes(body['type'] as string)) {
    return "body.type must be 'GENERATION', 'SPAN' or 'EVENT'";
  }
  for (const key of ['id', 'traceId', 'sessionId', 'name', 'parentObservationId', 'statusMessage', 'model', 'version', 'observationId']) {
    if (!nullish(body[key]) && typeof body[key] !== 'string') return `body.${key} must be a string`;
  }
  for (const key of ['timestamp', 'startTime', 'endTime', 'completionStartTime']) {
    if (!nullish(body[key]) && isoMs(body[key]) === undefined) return `body.${key} must be an ISO 8601 date-time with a zone`;
  }
  if (!nullish(body['level']) && !LEVELS.has(body['level'] as string)) return "body.level must be 'DEBUG', 'DEFAULT', 'WARNING' or 'ERROR'";
  return undefined;
}

/**
 * The item, or why it is refused (one line). Ids follow Langfuse's `idSchema`: 1 to 800
 * characters, no carriage return.
 *
 * @example
 * ```ts
 * checkItem({ id: 'e1', type: 'event-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'o1' } });
 * // { item: { id: 'e1', type: 'event-create', at: 1767225600000, body: { id: 'o1' } } }
 * checkItem({ id: 'e1', type: 'nope' }); // { refused: "type must be one of … (got 'nope')" }
 * ```
 */
export function checkItem(item: unknown): { readonly item: LangfuseItem } | { readonly refused: string } {
  if (!isObject(item)) return { refused: 'an item must be an object' };
  const { id, type, timestamp, body } = item;
  if (typeof id !== 'string' || id === '' || id.length > 800 || id.includes('\r')) return { refused: 'id must be a string of 1 to 800 characters without a carriage return' };
  if (typeof type !== 'string' || !TYPES.has(type)) return { refused: `type must be one of the ingestion types (got ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type})` };
  const at = isoMs(timestamp);
  if (at === undefined) return { refused: 'timestamp must be an ISO 8601 date-time with a zone' };
  if (!isObject(body)) return { refused: 'body must be an object' };
  const problem = bodyProblem(type as LangfuseType, body);
  return problem === undefined ? { item: { id, type: type as LangfuseType, at, body } } : { refused: problem };
}
