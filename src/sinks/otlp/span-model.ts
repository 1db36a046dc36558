import { toAnyValue, type KeyValue } from './any-value.js';

/**
 * A span before it is encoded: what rxtel's span mappings (span events, GenAI events) produce and
 * what an OTLP encoder writes. A sink for an OTLP-speaking backend with conventions of its own
 * (Langfuse's `langfuse.*` attributes) adds to `attributes` before encoding.
 *
 * @example
 * ```ts
 * const model = genAiSpanOf(event, { sessionId, content: false });
 * model.attributes.set('langfuse.observation.type', 'generation');
 * const span = encodeSpanModel(model);
 * ```
 */
export interface SpanModel {
  /** 32 lower-case hex, not all zeros (see `ids.ts`). */
  readonly traceId: string;
  /** 16 lower-case hex, not all zeros. */
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** An OTLP `Span.SpanKind` ({@link SPAN_KIND}). */
  readonly kind: number;
  /** Unix nanoseconds, a decimal string. */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  /** In the order they are written; keys are unique by construction. */
  readonly attributes: Map<string, unknown>;
  readonly status: SpanStatus;
}

/** An OTLP `Status`: `message` only for an error. */
export interface SpanStatus {
  readonly code: number;
  readonly message?: string;
}

/** OTLP `Span.SpanKind` values used (opentelemetry-proto v1.11.0 `trace.proto`). */
export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** OTLP `Status.StatusCode` of each status rxtel knows. */
export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

/** An OTLP `Span` (opentelemetry-proto v1.11.0 `trace.proto`), JSON mapping. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly KeyValue[];
  readonly status: SpanStatus;
}

/**
 * A {@link SpanModel} in the OTLP/JSON mapping. `undefined` attributes are left out; a start after
 * the end is moved to the end (a span never ends before it starts).
 *
 * @example
 * ```ts
 * const spans = events.map((event) => encodeSpanModel(genAiSpanOf(event, context)));
 * ```
 */
export function encodeSpanModel(model: SpanModel): OtlpSpan {
  const attributes: KeyValue[] = [];
  for (const [key, value] of model.attributes) if (key !== '' && value !== undefined) attributes.push({ key, value: toAnyValue(value) });
  const end = model.endTimeUnixNano;
  const start = BigInt(model.startTimeUnixNano) > BigInt(end) ? end : model.startTimeUnixNano;
  return {
    traceId: model.traceId,
    spanId: model.spanId,
    ...(model.parentSpanId === undefined ? {} : { parentSpanId: model.parentSpanId }),
    name: model.name,
    kind: model.kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    status: model.status,
  };
}
