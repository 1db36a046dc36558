import type { EventRecord } from './event-record.js';
import { HEALTH_EVENT, QUEUE_STATE_EVENT, RATE_LIMITED_EVENT, SESSION_RECOVERED_EVENT, SINK_HEALTH_EVENT } from './names.js';

/** The reporter's own reports (`telemetry.health`, `telemetry.sink_health`, `rxtel.rate_limited`, the queue's state changes): limiting them would hide the losses they report. */
const OWN_REPORTS = new Set([HEALTH_EVENT, SINK_HEALTH_EVENT, QUEUE_STATE_EVENT, RATE_LIMITED_EVENT, SESSION_RECOVERED_EVENT]);

/**
 * Events rate limiting and sampling never touch: the session's bookends, exceptions
 * (UNHANDLED_EXCEPTION, `user_error`, bus events named `*.exception`) — the events a user can
 * least afford to lose — and the reporter's own health reports.
 */
export function isExempt(record: EventRecord): boolean {
  if (record.kind !== 'GENERIC_EVENT' || record.terminal) return true;
  const name = record.name as string;
  return name === 'user_error' || name.endsWith('.exception') || OWN_REPORTS.has(name);
}

/** The reporter's own reports: refused silently at a full queue or after stop (reporting that drop would need another report). */
export function isOwnReport(record: EventRecord): boolean {
  return record.kind === 'GENERIC_EVENT' && OWN_REPORTS.has(record.name as string);
}
