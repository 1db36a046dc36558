import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Counters } from '../../stats/counters.js';
import { isRecord } from '../../events/guards.js';
import { sanitizeEventData, type SanitizeLimits } from '../../events/sanitize.js';
import { parseSeverity } from '../../events/severity.js';
import type { BeforeSend } from '../../events/wire.js';
import { isEvent, type Command } from '../../inbox/commands.js';

/**
 * Calls `beforeSend` for every event but the session's bookends. `null` drops the event
 * (`filtered`); a throw, or an answer that is not an event of the same kind, drops it as `invalid`
 * — the application never sees the exception. What it may change: `severity`, and for a
 * GENERIC_EVENT `event_name` and `event_data`; for an exception `error_type`, `error_message`,
 * `traceback`.
 */
export function applyBeforeSend(
  beforeSend: BeforeSend | undefined,
  counters: Counters,
  bounds: Pick<SanitizeLimits, 'maxStringLength' | 'maxEventBytes'>,
): MonoTypeOperatorFunction<Command> {
  if (beforeSend === undefined) return (source) => source;
  const limits = { maxStringLength: bounds.maxStringLength, maxEventBytes: bounds.maxEventBytes };
  return filter((command) => {
    if (!isEvent(command) || command.kind === 'SESSION_START' || command.kind === 'SESSION_END') return true;
    const record = command;
    let answer: unknown;
    try {
      answer = beforeSend({ ...record.toWire(), event_id: '' });
    } catch {
      return counters.refuse(record, 'invalid');
    }
    if (answer === null) return counters.refuse(record, 'filtered');
    if (!isRecord(answer) || answer['event'] !== record.kind) return counters.refuse(record, 'invalid');
    const severity = parseSeverity(answer['severity']);
    if (severity === undefined) return counters.refuse(record, 'invalid');
    record.severity = severity;
    if (record.kind === 'GENERIC_EVENT') {
      const { event_name: name, event_data: data } = answer;
      if (typeof name !== 'string' || name === '' || !isRecord(data)) return counters.refuse(record, 'invalid');
      record.name = name;
      // The hook's answer is the application's object: made plain, bounded JSON again before it is queued.
      const sanitized = sanitizeEventData(data, limits);
      record.data = sanitized.data;
      if (sanitized.oversized === true) counters.coerced.oversized++;
    } else {
      const { error_type, error_message, traceback } = answer;
      if (typeof error_type !== 'string' || typeof error_message !== 'string') return counters.refuse(record, 'invalid');
      const fields = { error_type, error_message, ...(typeof traceback === 'string' ? { traceback } : {}) };
      record.data = sanitizeEventData(fields, limits).data;
    }
    return true;
  });
}
