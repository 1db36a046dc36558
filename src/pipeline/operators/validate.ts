import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Counters } from '../../stats/counters.js';
import { isEvent, type Command } from '../../inbox/commands.js';

/** Longest `event_name` accepted; a name is an identifier, not a payload. */
export const MAX_EVENT_NAME_LENGTH = 256;

/**
 * Refuses events that cannot be sent as they are: a GENERIC_EVENT needs a non-empty string name
 * of at most {@link MAX_EVENT_NAME_LENGTH} characters. Refused events are counted as `invalid`
 * (and `log()` returns `false`); nothing is thrown at the caller.
 */
export function validateEvents(counters: Counters): MonoTypeOperatorFunction<Command> {
  return filter((command) => {
    if (!isEvent(command) || command.kind !== 'GENERIC_EVENT') return true;
    const name = command.name;
    if (typeof name === 'string' && name.length > 0 && name.length <= MAX_EVENT_NAME_LENGTH) return true;
    return counters.refuse(command, 'invalid');
  });
}
