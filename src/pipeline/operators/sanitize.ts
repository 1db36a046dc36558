import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Counters } from '../../batcher/counters.js';
import { sanitizeEventData } from '../../events/sanitize.js';
import { isEvent, type Command } from '../../inbox/commands.js';

/**
 * Makes every `event_data` plain, bounded JSON before the event is queued (DESIGN §3), so the
 * queue holds no references into the application's objects and serialising a batch can never
 * throw. Repairs are counted in `coerced.eventData`; unknown severities in `coerced.severity`.
 */
export function sanitizeEvents(counters: Counters, maxStringLength: number): MonoTypeOperatorFunction<Command> {
  const limits = { maxStringLength };
  return tap((command) => {
    if (!isEvent(command)) return;
    if (command.severityCoerced) counters.coerced.severity++;
    if (command.kind !== 'GENERIC_EVENT') return;
    const { data, changed } = sanitizeEventData(command.data, limits);
    command.data = data;
    if (changed) counters.coerced.eventData++;
  });
}
