import { classifyException } from './classify-exception.js';
import { EventRecord } from './event-record.js';
import { formatDuration } from './format.js';
import { parseSeverity } from './severity.js';
import type { Severity } from './wire.js';

function severityOf(input: unknown, fallback: Severity): [Severity, boolean] {
  if (input === undefined) return [fallback, false];
  const parsed = parseSeverity(input);
  return parsed === undefined ? ['INFO', true] : [parsed, false];
}

/** A GENERIC_EVENT as `log()` builds it; `data` is sanitised later, in the pipeline. */
export function genericEvent(nowMs: number, name: unknown, data: unknown, severity?: unknown): EventRecord {
  const [level, coerced] = severityOf(severity, 'INFO');
  const record = new EventRecord('GENERIC_EVENT', level, nowMs, { event_name: name, event_data: data });
  record.severityCoerced = coerced;
  return record;
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
    return new EventRecord('GENERIC_EVENT', 'WARNING', nowMs, { event_name: 'user_error', event_data: classified.data }, terminal);
  }
  const [level, coerced] = severityOf(severity, fallback);
  const fields: Record<string, unknown> = { error_type: classified.error_type, error_message: classified.error_message };
  if (classified.traceback !== undefined) fields['traceback'] = classified.traceback;
  const record = new EventRecord('UNHANDLED_EXCEPTION', level, nowMs, fields, terminal);
  record.severityCoerced = coerced;
  return record;
}

/** A bus event forwarded as a GENERIC_EVENT (DESIGN §3): `{ measurements, metadata }` without `session_id`. */
export function busEvent(nowMs: number, name: string, measurements: unknown, metadata: Readonly<Record<string, unknown>>): EventRecord {
  const { session_id: _sessionId, ...rest } = metadata;
  const severity: Severity = name.endsWith('.exception') ? 'ERROR' : 'INFO';
  return new EventRecord('GENERIC_EVENT', severity, nowMs, { event_name: name, event_data: { measurements, metadata: rest } });
}

export function sessionStartEvent(nowMs: number): EventRecord {
  return new EventRecord('SESSION_START', 'INFO', nowMs, {});
}

export function sessionEndEvent(nowMs: number, startedAtMs: number): EventRecord {
  return new EventRecord('SESSION_END', 'INFO', nowMs, { duration: formatDuration(nowMs - startedAtMs) }, true);
}
