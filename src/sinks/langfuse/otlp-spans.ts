import { LLM_EVENT_NAMES } from '../../events/names.js';
import type { Severity, TelemetryEvent } from '../../events/wire.js';
import { keyValue, type KeyValue } from '../otlp/any-value.js';
import { encodeLogRecord } from '../otlp/encode-logs.js';
import { isSpanEvent, isTraceEvent, traceEventModel, type OtlpTracesRequest } from '../otlp/encode-traces.js';
import type { GenAiContext } from '../otlp/genai-spans.js';
import { derivedSpanId, sessionTraceId } from '../otlp/ids.js';
import type { OtlpResource } from '../otlp/resource.js';
import { RXTEL_SCOPE } from '../otlp/scope.js';
import { ATTR } from '../otlp/semconv.js';
import { encodeSpanModel, SPAN_KIND, STATUS_CODE, type OtlpSpan } from '../otlp/span-model.js';
import { SESSION_TRACE_NAME } from './encode.js';

/**
 * Every event of a batch as a span for Langfuse's OTLP endpoint (`POST /api/public/otel/v1/traces`):
 * the OTLP sink's spans (GenAI spans by the semantic conventions, span events as they are), and
 * every other event as a span of no duration that Langfuse keeps as an `event` observation, each
 * with the attributes Langfuse reads (langfuse/langfuse v4.16.0,
 * `packages/shared/src/server/otel/attributes.ts`, `OtelIngestionProcessor.ts`,
 * `ObservationTypeMapper.ts`):
 *
 * | event | `langfuse.observation.type` |
 * | --- | --- |
 * | `llm.generation` | `generation` |
 * | `llm.tool.execution`, `llm.tool.called` | `tool` |
 * | `llm.round.completed` | `agent` |
 * | a span event (`reporter.startSpan`) | `span` |
 * | any other | `event` |
 */

/** The `langfuse.*` attribute names rxtel writes (and `session.id`, which Langfuse reads from each span). */
export const LANGFUSE_ATTR = {
  observationType: 'langfuse.observation.type',
  observationLevel: 'langfuse.observation.level',
  traceName: 'langfuse.trace.name',
  environment: 'langfuse.environment',
  release: 'langfuse.release',
  sessionId: ATTR.sessionId,
} as const;

/** Langfuse observation types rxtel's events become. */
export type LangfuseObservationType = 'generation' | 'tool' | 'agent' | 'span' | 'event';

/** What a mapping needs beyond the event. */
export interface LangfuseSpanContext extends GenAiContext {
  /** `langfuse.environment` of every span. */
  readonly environment?: string | undefined;
  /** `langfuse.release` of every span. */
  readonly release?: string | undefined;
}

const GENAI_TYPES: Readonly<Record<string, LangfuseObservationType>> = {
  [LLM_EVENT_NAMES.generation]: 'generation',
  [LLM_EVENT_NAMES.tool_execution]: 'tool',
  [LLM_EVENT_NAMES.tool_called]: 'tool',
  [LLM_EVENT_NAMES.round_completed]: 'agent',
};

/**
 * The Langfuse observation type of an event (see the table above).
 *
 * @example
 * ```ts
 * observationTypeOf(generationEvent); // 'generation'
 * ```
 */
export function observationTypeOf(event: TelemetryEvent): LangfuseObservationType {
  if (!isTraceEvent(event)) return 'event';
  const name = event.event_name;
  return isSpanEvent(event) ? 'span' : (GENAI_TYPES[name] ?? 'span');
}

/** Levels other than Langfuse's default; INFO sets none, so Langfuse takes ERROR from an error status. */
const LEVELS: Readonly<Partial<Record<Severity, string>>> = { DEBUG: 'DEBUG', WARNING: 'WARNING', ERROR: 'ERROR', CRITICAL: 'ERROR' };

/**
 * The Langfuse attributes of a span of `event` in trace `traceId`, those with a value. The span's
 * own keys (a user's `session.id` or `langfuse.trace.name` in `event_data` or span attributes) win:
 * the caller adds only the keys the span does not hold.
 */
function langfuseAttributes(event: TelemetryEvent, traceId: string, context: LangfuseSpanContext): [string, unknown][] {
  const entries: [string, unknown][] = [
    [LANGFUSE_ATTR.observationType, observationTypeOf(event)],
    [LANGFUSE_ATTR.observationLevel, LEVELS[event.severity]],
    // Langfuse reads the session from each span's attributes, not from the resource.
    [LANGFUSE_ATTR.sessionId, context.sessionId],
    // Only the session's trace is named here; another trace takes its root span's name.
    [LANGFUSE_ATTR.traceName, traceId === sessionTraceId(context.sessionId) ? SESSION_TRACE_NAME : undefined],
    [LANGFUSE_ATTR.environment, context.environment],
    [LANGFUSE_ATTR.release, context.release],
  ];
  return entries.filter(([, value]) => value !== undefined);
}

/** An event that is no span: a span of no duration at the event's time, under the event's span if it names one. */
function eventSpan(event: TelemetryEvent, context: LangfuseSpanContext): OtlpSpan {
  const record = encodeLogRecord(event, context);
  const traceId = record.traceId ?? sessionTraceId(context.sessionId);
  const keys = new Set(record.attributes.map((kv) => kv.key));
  const extra: KeyValue[] = [];
  for (const [key, value] of langfuseAttributes(event, traceId, context)) if (!keys.has(key)) extra.push(keyValue(key, value));
  const failed = event.event === 'UNHANDLED_EXCEPTION';
  return {
    traceId,
    spanId: derivedSpanId(context.sessionId, event.event_id),
    ...(record.spanId === undefined ? {} : { parentSpanId: record.spanId }),
    name: record.eventName,
    kind: SPAN_KIND.internal,
    startTimeUnixNano: record.timeUnixNano,
    endTimeUnixNano: record.timeUnixNano,
    attributes: [...record.attributes, ...extra],
    status: failed ? { code: STATUS_CODE.error, message: event.error_message } : { code: STATUS_CODE.unset },
  };
}

/**
 * One event as a span for Langfuse, ids stable across retries: a span event keeps its own ids,
 * every other span's id derives from the session and the event id.
 *
 * @example
 * ```ts
 * const span = langfuseSpanOf(event, { sessionId, content: false, environment: 'production' });
 * ```
 */
export function langfuseSpanOf(event: TelemetryEvent, context: LangfuseSpanContext): OtlpSpan {
  if (!isTraceEvent(event)) return eventSpan(event, context);
  const model = traceEventModel(event, context);
  for (const [key, value] of langfuseAttributes(event, model.traceId, context)) if (!model.attributes.has(key)) model.attributes.set(key, value);
  return encodeSpanModel(model);
}

/**
 * An `ExportTraceServiceRequest` of a whole batch, in order, under one resource and rxtel's scope.
 *
 * @example
 * ```ts
 * JSON.stringify(encodeLangfuseTraces(batch, resourceFor(sessionId), { sessionId, content: false, release: 'v1.2.0' }));
 * ```
 */
export function encodeLangfuseTraces(events: readonly TelemetryEvent[], resource: OtlpResource, context: LangfuseSpanContext): OtlpTracesRequest {
  const spans = events.map((event) => langfuseSpanOf(event, context));
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: RXTEL_SCOPE, spans }] }] };
}
