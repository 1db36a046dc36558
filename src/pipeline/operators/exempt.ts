import type { EventRecord } from '../../events/event-record.js';

/**
 * Events flow control never touches: the session's bookends and exceptions (UNHANDLED_EXCEPTION,
 * `user_error`, bus events named `*.exception`) — the events a user can least afford to lose.
 */
export function isExempt(record: EventRecord): boolean {
  if (record.kind !== 'GENERIC_EVENT' || record.terminal) return true;
  const name = record.name as string;
  return name === 'user_error' || name.endsWith('.exception');
}
