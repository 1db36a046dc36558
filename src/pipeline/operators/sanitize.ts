import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Counters } from '../../stats/counters.js';
import { sanitizeEventData, type SanitizeLimits } from '../../events/sanitize.js';
import { isEvent, type Command } from '../../inbox/commands.js';

/**
 * Makes every `event_data` plain, bounded JSON before the event is queued (DESIGN §3), so the
 * queue holds no references into the application's objects and serialising a batch can never
 * throw. Repairs are counted in `coerced.eventData`; data that ran out of work budget (see
 * `events/work-budget.ts`) becomes `{ truncated: true, original_bytes_at_least }`, counted in
 * `coerced.oversized` like any other data too large to keep; unknown severities in `coerced.severity`.
 */
export function sanitizeEvents(counters: Counters, limits: Pick<SanitizeLimits, 'maxStringLength' | 'maxEventBytes'>): MonoTypeOperatorFunction<Command> {
  const { maxStringLength, maxEventBytes } = limits;
  const bounds = { maxStringLength, maxEventBytes };
  return tap((command) => {
    if (!isEvent(command)) return;
    if (command.severityCoerced) counters.coerced.severity++;
    if (command.kind !== 'GENERIC_EVENT') return;
    const { data, changed, oversized } = sanitizeEventData(command.data, bounds);
    command.data = data;
    if (oversized === true) counters.coerced.oversized++;
    else if (changed) counters.coerced.eventData++;
  });
}
