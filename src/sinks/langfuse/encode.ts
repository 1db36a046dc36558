import { createHash } from 'node:crypto';
import { isRecord } from '../../events/guards.js';
import { LLM_EVENT_NAMES, SPAN_EVENT } from '../../events/names.js';
import type { GenericEvent, Severity, TelemetryEvent } from '../../events/wire.js';

/**
 * The Langfuse ingestion wire format (`POST /api/public/ingestion`), as rxtel writes it: each
 * event becomes one observation (`generation-create`, `span-create` or `event-create`), and every
 * trace the batch touches gets one `trace-create` first. Pure functions, no I/O.
 */

/** Langfuse's observation levels. */
export type LangfuseLevel = 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';

/** The item types rxtel sends. */
export type LangfuseItemType = 'trace-create' | 'generation-create' | 'span-create' | 'event-create';

/** One item of the ingestion batch (the "event envelope"): its `id` is what Langfuse dedupes on. */
export interface LangfuseItem {
  readonly id: string;
  readonly type: LangfuseItemType;
  readonly timestamp: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the encoder needs besides the events. */
export interface LangfuseEncodeOptions {
  /** The reporter's session id: the Langfuse `sessionId` of every trace, and the trace of events that name none. */
  readonly sessionId: string;
  /** Langfuse `environment` of every trace and observation. */
  readonly environment?: string | undefined;
  /** Langfuse `release` of every trace. */
  readonly release?: string | undefined;
}

/** The items of one batch, and which batch positions each item id stands for (to read a 207 back). */
export interface EncodedBatch {
  readonly items: readonly LangfuseItem[];
  readonly positions: ReadonlyMap<string, readonly number[]>;
}

/** The trace name given to the session's own trace (events that carry no `trace_id`). */
export const SESSION_TRACE_NAME = 'rxtel.session';

const LEVELS: Readonly<Record<Severity, LangfuseLevel>> = {
  DEBUG: 'DEBUG',
  INFO: 'DEFAULT',
  WARNING: 'WARNING',
  ERROR: 'ERROR',
  CRITICAL: 'ERROR',
};

/**
 * The Langfuse level of a Tinker severity: DEBUG → DEBUG, INFO → DEFAULT, WARNING → WARNING,
 * ERROR and CRITICAL → ERROR.
 *
 * @example
 * ```ts
 * observationLevel('CRITICAL'); // 'ERROR'
 * ```
 */
export function observationLevel(severity: Severity): LangfuseLevel {
  return LEVELS[severity];
}

/**
 * A UUID-shaped id (version 8, "custom") that is a pure function of `parts`: the same parts give
 * the same id on every retry, in every process.
 *
 * @example
 * ```ts
 * stableId('trace-create', traceId, eventId) === stableId('trace-create', traceId, eventId); // true
 * ```
 */
export function stableId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

type Data = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** `source` without `keys`, or `undefined` when nothing is left. */
function rest(source: Data, keys: readonly string[]): Data | undefined {
  const left = Object.fromEntries(Object.entries(source).filter(([key]) => !keys.includes(key)));
  return Object.keys(left).length === 0 ? undefined : left;
}

/** `body` without its `undefined` fields (JSON drops them anyway; tests compare exactly). */
function compact(body: Record<string, unknown>): Data {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/** Is this a finished span (`reporter.startSpan`)? */
function isSpan(event: GenericEvent): boolean {
  return event.event_name === SPAN_EVENT && text(event.event_data.trace_id) !== undefined && text(event.event_data.span_id) !== undefined;
}

/** Is this a typed `llm.generation`? */
function isGeneration(event: GenericEvent): boolean {
  return event.event_name === LLM_EVENT_NAMES.generation && text(event.event_data.model) !== undefined;
}

/** The Langfuse trace an event belongs to: its `trace_id`, else the session's trace. */
function traceOf(event: TelemetryEvent, sessionId: string): string {
  return (event.event === 'GENERIC_EVENT' ? text(event.event_data.trace_id) : undefined) ?? sessionId;
}

const GENERATION_KEYS = ['name', 'model', 'input', 'output', 'usage', 'start_time', 'end_time', 'trace_id', 'parent_span_id'];

function usageDetails(usage: unknown): Data | undefined {
  if (!isRecord(usage)) return undefined;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const total = count(usage.total_tokens) ?? (input !== undefined && output !== undefined ? input + output : undefined);
  const details = compact({ input, output, total });
  return Object.keys(details).length === 0 ? undefined : details;
}

/** The observation item of one event (its `traceId` already decided). */
function observation(event: TelemetryEvent, traceId: string, environment: string | undefined): LangfuseItem {
  const level = observationLevel(event.severity);
  const common = { id: event.event_id, traceId, environment };
  if (event.event === 'GENERIC_EVENT' && isGeneration(event)) {
    const data = event.event_data;
    const body = compact({
      ...common,
      name: text(data.name) ?? event.event_name,
      model: data.model,
      input: data.input,
      output: data.output,
      usageDetails: usageDetails(data.usage),
      startTime: text(data.start_time) ?? event.timestamp,
      endTime: text(data.end_time),
      parentObservationId: text(data.parent_span_id),
      level,
      metadata: rest(data, GENERATION_KEYS),
    });
    return { id: event.event_id, type: 'generation-create', timestamp: event.timestamp, body };
  }
  if (event.event === 'GENERIC_EVENT' && isSpan(event)) {
    const data = event.event_data;
    const body = compact({
      ...common,
      id: data.span_id,
      parentObservationId: text(data.parent_span_id),
      name: text(data.name) ?? 'span',
      startTime: text(data.start_time) ?? event.timestamp,
      endTime: text(data.end_time),
      level: data.status === 'error' ? 'ERROR' : 'DEFAULT',
      metadata: isRecord(data.attributes) && Object.keys(data.attributes).length > 0 ? data.attributes : undefined,
    });
    return { id: event.event_id, type: 'span-create', timestamp: event.timestamp, body };
  }
  let name: string = event.event;
  let statusMessage: string | undefined;
  let metadata: Data | undefined;
  switch (event.event) {
    case 'GENERIC_EVENT':
      name = event.event_name;
      metadata = Object.keys(event.event_data).length === 0 ? undefined : event.event_data;
      break;
    case 'UNHANDLED_EXCEPTION':
      statusMessage = `${event.error_type}: ${event.error_message}`;
      metadata = compact({ error_type: event.error_type, error_message: event.error_message, traceback: event.traceback });
      break;
    case 'SESSION_END':
      metadata = { duration: event.duration };
      break;
    case 'SESSION_START':
      break;
  }
  const body = compact({ ...common, name, startTime: event.timestamp, level, statusMessage, metadata });
  return { id: event.event_id, type: 'event-create', timestamp: event.timestamp, body };
}

interface TraceSeen {
  readonly positions: number[];
  readonly firstEventId: string;
  timestamp: string;
  name: string | undefined;
}

/**
 * Encodes a batch: one `trace-create` per distinct trace (in order of first appearance), then one
 * observation per event, in batch order. Every item id is derived from event ids, so a retry of
 * the same batch sends the same ids and Langfuse dedupes what already arrived.
 *
 * @example
 * ```ts
 * const { items, positions } = encodeBatch(batch, { sessionId: context.sessionId });
 * JSON.stringify({ batch: items, metadata: { sdk_name: 'rxtel', sdk_version: VERSION } });
 * positions.get(items[0].id); // the batch positions whose events belong to the first trace
 * ```
 */
export function encodeBatch(batch: readonly TelemetryEvent[], options: LangfuseEncodeOptions): EncodedBatch {
  const { sessionId, environment, release } = options;
  const traces = new Map<string, TraceSeen>();
  const observations: LangfuseItem[] = [];
  const positions = new Map<string, number[]>();

  batch.forEach((event, position) => {
    const traceId = traceOf(event, sessionId);
    let trace = traces.get(traceId);
    if (trace === undefined) {
      trace = { positions: [], firstEventId: event.event_id, timestamp: event.timestamp, name: traceId === sessionId ? SESSION_TRACE_NAME : undefined };
      traces.set(traceId, trace);
    }
    trace.positions.push(position);
    if (event.timestamp < trace.timestamp) trace.timestamp = event.timestamp;
    // The root span names its trace; a child span's name would overwrite it on Langfuse's upsert.
    if (event.event === 'GENERIC_EVENT' && isSpan(event) && text(event.event_data.parent_span_id) === undefined) trace.name = text(event.event_data.name) ?? trace.name;
    const item = observation(event, traceId, environment);
    observations.push(item);
    const seen = positions.get(item.id);
    if (seen === undefined) positions.set(item.id, [position]);
    else seen.push(position);
  });

  const traceItems: LangfuseItem[] = [...traces].map(([traceId, trace]) => {
    const id = stableId('trace-create', traceId, trace.firstEventId);
    positions.set(id, trace.positions);
    const body = compact({ id: traceId, sessionId, name: trace.name, environment, release });
    return { id, type: 'trace-create', timestamp: trace.timestamp, body };
  });
  return { items: [...traceItems, ...observations], positions };
}
