import { STATUS_CODE, type SpanModel } from '../../sinks/otlp/span-model.js';
import type { ConsoleSeverity, SpanInfo } from '../model.js';
import { nanosMs } from './times.js';

/**
 * A span's place in its trace, as the console keeps it ({@link SpanInfo}), from what each protocol
 * says: OTLP status codes, rxtel's span models, start and end times.
 */

/**
 * The console's status word of an OTLP `Status.code` (opentelemetry-proto v1.11.0 `trace.proto`):
 * 2 → `error`, 1 → `ok`, anything else → `unset`.
 *
 * @example
 * ```ts
 * statusWord(2); // 'error'
 * ```
 */
export function statusWord(code: unknown): 'ok' | 'error' | 'unset' {
  const value = typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : code;
  if (value === STATUS_CODE.error) return 'error';
  if (value === STATUS_CODE.ok) return 'ok';
  return 'unset';
}

/**
 * A {@link SpanInfo}; a start after the end is moved to the end (as rxtel's OTLP encoder does: a span
 * never ends before it starts).
 *
 * @example
 * ```ts
 * spanInfo({ traceId: 't', spanId: 's', startMs: 2, endMs: 1, status: 'ok' }); // start_ms 1, end_ms 1
 * ```
 */
export function spanInfo(fields: {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string | undefined;
  readonly startMs: number;
  readonly endMs: number;
  readonly status: string;
}): SpanInfo {
  const { traceId, spanId, parentSpanId, startMs, endMs, status } = fields;
  return {
    trace_id: traceId,
    span_id: spanId,
    ...(parentSpanId === undefined ? {} : { parent_span_id: parentSpanId }),
    start_ms: Math.min(startMs, endMs),
    end_ms: endMs,
    status,
  };
}

/**
 * The {@link SpanInfo} of one of rxtel's span models (src/sinks/otlp/span-model.ts), the same span
 * its OTLP sink sends; times it cannot read fall back to `fallbackMs`.
 *
 * @example
 * ```ts
 * spanInfoOfModel(spanEventModel(event), ts);
 * ```
 */
export function spanInfoOfModel(model: SpanModel, fallbackMs: number): SpanInfo {
  const endMs = nanosMs(model.endTimeUnixNano) ?? fallbackMs;
  return spanInfo({
    traceId: model.traceId,
    spanId: model.spanId,
    parentSpanId: model.parentSpanId,
    startMs: nanosMs(model.startTimeUnixNano) ?? endMs,
    endMs,
    status: statusWord(model.status.code),
  });
}

const RANK: Readonly<Record<ConsoleSeverity, number>> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 };

/**
 * `severity`, raised to ERROR for a span whose status is `error` (a failed span is an error in the
 * console whichever protocol brought it; OTLP spans have no severity of their own).
 *
 * @example
 * ```ts
 * spanSeverity('INFO', 'error'); // 'ERROR'
 * spanSeverity('CRITICAL', 'error'); // 'CRITICAL'
 * ```
 */
export function spanSeverity(severity: ConsoleSeverity, status: string | undefined): ConsoleSeverity {
  return status === 'error' && RANK[severity] < RANK.ERROR ? 'ERROR' : severity;
}
