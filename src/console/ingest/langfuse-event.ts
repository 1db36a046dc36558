import { spanIdOf, traceIdOf } from '../../sinks/otlp/ids.js';
import type { ConsoleEventKind, IncomingEvent, LlmInfo } from '../model.js';
import { kindOfName } from './event-kind.js';
import { parseExceptionChain } from './exception-chain.js';
import type { LangfuseItem, LangfuseType } from './langfuse-check.js';
import { llmInfoOf } from './llm-info.js';
import { isObject, text, type JsonObject } from './otlp-values.js';
import { recordJson } from './record-ids.js';
import { langfuseSeverity } from './severity.js';
import { spanInfo } from './span-info.js';
import { durationMs, isoMs, roundMicros } from './times.js';

/**
 * One Langfuse ingestion item (after `langfuse-check.ts`, an update already merged into its
 * create) as a console event. rxtel's LangfuseSink (src/sinks/langfuse/encode.ts) writes its
 * session events and exceptions as `event-create` items named `SESSION_START`, `SESSION_END` (with
 * `metadata.duration`) and `UNHANDLED_EXCEPTION` (with `metadata.error_type`, `error_message`,
 * `traceback`): they are read back as the lifecycle kinds and an exception.
 */

/** Where an item's trace puts it. */
export interface TracePlace {
  readonly session: string;
  /** The trace id to show; `undefined` for rxtel's per-session container trace (named `rxtel.session`), whose events name no trace of their own. */
  readonly traceId: string | undefined;
  /** The trace id a span of this item belongs to (the container's is the session's trace: `sessionTraceId`). */
  readonly spanTraceId: string | undefined;
}

/** What kind of observation an item type makes, and its `LlmInfo.type`. */
function observationKind(type: LangfuseType, body: JsonObject): { kind: ConsoleEventKind; llm?: string } {
  const legacy = type === 'observation-create' || type === 'observation-update' ? body['type'] : undefined;
  if (type.startsWith('generation-') || legacy === 'GENERATION') return { kind: 'llm', llm: 'generation' };
  if (type === 'embedding-create') return { kind: 'llm', llm: 'embedding' };
  if (type === 'tool-create') return { kind: 'llm', llm: 'tool' };
  if (type === 'agent-create') return { kind: 'llm', llm: 'agent' };
  if (type === 'event-create' || legacy === 'EVENT') return { kind: 'log' };
  return { kind: 'span' };
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/** Token counts from `usageDetails` (`input`/`output`, OpenAI's `prompt_tokens`/`completion_tokens` or `input_tokens`/`output_tokens`) or the older `usage` (`input`/`output`, `promptTokens`/`completionTokens`). */
function tokens(body: JsonObject): { input_tokens?: number; output_tokens?: number } {
  const details = isObject(body['usageDetails']) ? body['usageDetails'] : {};
  const usage = isObject(body['usage']) ? body['usage'] : {};
  const input = count(details['input']) ?? count(details['prompt_tokens']) ?? count(details['input_tokens']) ?? count(usage['input']) ?? count(usage['promptTokens']);
  const output = count(details['output']) ?? count(details['completion_tokens']) ?? count(details['output_tokens']) ?? count(usage['output']) ?? count(usage['completionTokens']);
  return { ...(input === undefined ? {} : { input_tokens: input }), ...(output === undefined ? {} : { output_tokens: output }) };
}

/** Fields of an observation body that are no part of its data (they are the event's own fields). */
const OWN = new Set(['id', 'traceId', 'name', 'startTime', 'endTime', 'level', 'statusMessage', 'parentObservationId', 'metadata', 'model', 'timestamp', 'sessionId', 'type']);

/** The body's metadata (its keys, or `{ metadata }` when it is no object), then the body's other fields that are set. */
function dataOf(body: JsonObject, skip: ReadonlySet<string> = OWN): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => void Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  const metadata = body['metadata'];
  if (isObject(metadata)) for (const key of Object.keys(metadata)) put(key, metadata[key]);
  else if (metadata !== undefined && metadata !== null) put('metadata', metadata);
  for (const key of Object.keys(body)) if (!skip.has(key) && body[key] !== null && body[key] !== undefined && !Object.hasOwn(data, key)) put(key, body[key]);
  return data;
}

/** rxtel's lifecycle events and exceptions, as its LangfuseSink writes them. */
function rxtelEvent(name: string | undefined, data: Record<string, unknown>): Partial<IncomingEvent> & { kind: ConsoleEventKind } | undefined {
  if (name === 'SESSION_START') return { kind: 'session_start', name, data };
  if (name === 'SESSION_END') {
    const ms = durationMs(data['duration']);
    return { kind: 'session_end', name, data: ms === undefined ? data : { ...data, duration_ms: ms } };
  }
  if (name !== 'UNHANDLED_EXCEPTION' || typeof data['error_type'] !== 'string') return undefined;
  const { error_type: type, error_message: message, traceback, ...rest } = data;
  const messageText = typeof message === 'string' ? message : '';
  return { kind: 'exception', name: type as string, message: messageText, data: rest, exception: { chain: parseExceptionChain(text(traceback), { type: type as string, message: messageText }) } };
}

/**
 * An observation item (`event-`, `span-`, `generation-`, `agent-`, `tool-`, `chain-`, `retriever-`,
 * `evaluator-`, `embedding-`, `guardrail-create`, the updates, the legacy `observation-*`) as a
 * console event: kind `llm` for generations, embeddings, tools and agents, `span` for spans and the
 * other observations, `log` for events (an `llm.…` name makes it `llm`); a `span` when it has a
 * start and an end; the item's `id` as the event's.
 *
 * @example
 * ```ts
 * observationEvent(item, { session: 's', traceId: 't', spanTraceId: 't' }, Date.now());
 * ```
 */
export function observationEvent(item: LangfuseItem, place: TracePlace, now: number): IncomingEvent {
  const { body } = item;
  const { kind: observed, llm } = observationKind(item.type, body);
  const name = text(body['name']) ?? (llm ?? (observed === 'log' ? 'event' : 'span'));
  const startMs = isoMs(body['startTime']);
  const endMs = isoMs(body['endTime']);
  const level = body['level'];
  const data = dataOf(body);
  const special = observed === 'log' ? rxtelEvent(text(body['name']), data) : undefined;
  const kind = special?.kind ?? (observed === 'log' ? kindOfName(name) : observed);
  const observationId = text(body['id']);
  // An id in the metadata named `span_id` (rxtel's event_data: the span the event was logged in)
  // is the event's span, or an observation's parent when it names none.
  const contextSpan = spanIdOf(data['span_id']);
  if (contextSpan !== undefined) delete data['span_id'];
  const parent = text(body['parentObservationId']) ?? (observed === 'log' ? undefined : contextSpan);
  const span =
    observed !== 'log' && startMs !== undefined && endMs !== undefined && observationId !== undefined && place.spanTraceId !== undefined
      ? spanInfo({ traceId: place.spanTraceId, spanId: observationId, parentSpanId: parent, startMs, endMs, status: level === 'ERROR' ? 'error' : 'unset' })
      : undefined;
  // A `trace_id` in the metadata that is the item's trace says nothing more (the Tinker wire's ids are read so too).
  if (traceIdOf(data['trace_id']) !== undefined && traceIdOf(data['trace_id']) === traceIdOf(place.traceId ?? place.spanTraceId)) delete data['trace_id'];
  const ownSpan = observed === 'log' ? contextSpan : undefined;
  let llmInfo: LlmInfo | undefined;
  if (kind === 'llm' && llm !== undefined) {
    const model = text(body['model']);
    const latency = startMs !== undefined && endMs !== undefined && endMs >= startMs ? roundMicros(endMs - startMs) : undefined;
    llmInfo = { type: llm, ...(model === undefined ? {} : { model }), ...(llm === 'tool' ? { tool: name } : {}), ...tokens(body), ...(latency === undefined ? {} : { latency_ms: latency }) };
  } else if (kind === 'llm') llmInfo = llmInfoOf(name, data);
  return {
    id: item.id,
    session: place.session,
    // An event happened at its start (it has no end); a span is placed at its end, as on every protocol.
    ts: observed === 'log' ? (startMs ?? item.at) : (span?.end_ms ?? endMs ?? startMs ?? item.at),
    received_ms: now,
    severity: langfuseSeverity(level) ?? 'INFO',
    kind,
    name,
    source: 'langfuse',
    message: text(body['statusMessage']) ?? (kind === 'span' ? name : undefined),
    trace_id: span?.trace_id ?? (place.traceId === undefined ? undefined : (traceIdOf(place.traceId) ?? place.traceId)),
    span_id: span?.span_id ?? ownSpan ?? parent,
    span,
    llm: llmInfo,
    data,
    ...special,
  };
}

/**
 * A `trace-create` that says more than where its trace belongs (input, output, user, tags,
 * metadata…) as a `log` event named after the trace; `undefined` for one that only names the
 * trace, its session, environment and release (rxtel's, for one: it sends one per trace per batch).
 *
 * @example
 * ```ts
 * traceEvent(item, place, Date.now()); // undefined for { id, sessionId, name }
 * ```
 */
export function traceEvent(item: LangfuseItem, place: TracePlace, now: number): IncomingEvent | undefined {
  const data = dataOf(item.body, new Set(['id', 'timestamp', 'name', 'sessionId', 'environment', 'release']));
  if (Object.keys(data).length === 0) return undefined;
  const name = text(item.body['name']) ?? 'trace';
  for (const key of ['environment', 'release']) if (item.body[key] !== undefined && item.body[key] !== null) data[key] = item.body[key];
  return { id: item.id, session: place.session, ts: isoMs(item.body['timestamp']) ?? item.at, received_ms: now, severity: 'INFO', kind: 'log', name, source: 'langfuse', message: name, trace_id: place.traceId, data };
}

/**
 * A `score-create` (a `log` named after the score, its value as the message) or an `sdk-log` (a
 * `log` named `sdk-log`, the logged value as its message).
 *
 * @example
 * ```ts
 * otherEvent(scoreItem, place, Date.now()); // { kind: 'log', name: 'accuracy', message: 'accuracy = 0.9', … }
 * ```
 */
export function otherEvent(item: LangfuseItem, place: TracePlace, now: number): IncomingEvent {
  const base = { id: item.id, session: place.session, ts: item.at, received_ms: now, severity: 'INFO' as const, kind: 'log' as const, source: 'langfuse' as const };
  if (item.type === 'sdk-log') {
    const log = item.body['log'];
    return { ...base, name: 'sdk-log', message: typeof log === 'string' ? log : recordJson(log), data: isObject(log) ? { ...log } : { log } };
  }
  const name = text(item.body['name']) ?? 'score';
  const value = item.body['value'];
  const data = dataOf(item.body, new Set(['id', 'traceId', 'sessionId', 'name', 'metadata', 'observationId']));
  return { ...base, name, message: `${name} = ${typeof value === 'string' ? value : recordJson(value)}`, trace_id: place.traceId, span_id: text(item.body['observationId']), data };
}
