import { classifyException } from './classify-exception.js';
import { EventRecord } from './event-record.js';
import { formatDuration } from './format.js';
import { parseSeverity } from './severity.js';
import type { Severity } from './wire.js';

/** The record with its severity: `fallback` when none was given, INFO (flagged as coerced) when unknown. */
function withSeverity(record: EventRecord, input: unknown, fallback: Severity): EventRecord {
  if (input === undefined) {
    record.severity = fallback;
    return record;
  }
  const parsed = parseSeverity(input);
  record.severity = parsed ?? 'INFO';
  record.severityCoerced = parsed === undefined;
  return record;
}

/** A GENERIC_EVENT as `log()` builds it; `data` is sanitised later, in the pipeline. */
export function genericEvent(nowMs: number, name: unknown, data: unknown, severity?: unknown): EventRecord {
  return withSeverity(new EventRecord('GENERIC_EVENT', 'INFO', nowMs, name, data), severity, 'INFO');
}

/**
 * The event for anything thrown: a `user_error` GENERIC_EVENT at WARNING when a 4xx (not 408/429)
 * is found in its cause chain, an UNHANDLED_EXCEPTION otherwise. `terminal` marks a fatal
 * exception, which may use the queue's reserved slots.
 */
export function exceptionEvent(
  nowMs: number,
  thrown: unknown,
  severity: unknown,
  fallback: Severity,
  limits: { maxStringLength: number },
  terminal = false,
): EventRecord {
  const classified = classifyException(thrown, limits);
  if (classified.kind === 'user_error') {
    return new EventRecord('GENERIC_EVENT', 'WARNING', nowMs, 'user_error', classified.data, terminal);
  }
  const fields: Record<string, unknown> = { error_type: classified.error_type, error_message: classified.error_message };
  if (classified.traceback !== undefined) fields['traceback'] = classified.traceback;
  return withSeverity(new EventRecord('UNHANDLED_EXCEPTION', fallback, nowMs, 'UNHANDLED_EXCEPTION', fields, terminal), severity, fallback);
}

/** A bus event forwarded as a GENERIC_EVENT (DESIGN §3): `{ measurements, metadata }` without `session_id`. */
export function busEvent(nowMs: number, name: string, measurements: unknown, metadata: Readonly<Record<string, unknown>>): EventRecord {
  const { session_id: _sessionId, ...rest } = metadata;
  const severity: Severity = name.endsWith('.exception') ? 'ERROR' : 'INFO';
  return new EventRecord('GENERIC_EVENT', severity, nowMs, name, { measurements, metadata: rest });
}

export function sessionStartEvent(nowMs: number): EventRecord {
  return new EventRecord('SESSION_START', 'INFO', nowMs, 'SESSION_START', {});
}

export function sessionEndEvent(nowMs: number, startedAtMs: number): EventRecord {
  return new EventRecord('SESSION_END', 'INFO', nowMs, 'SESSION_END', { duration: formatDuration(nowMs - startedAtMs) }, true);
}
