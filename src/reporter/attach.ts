import { filter, type Observable, type Subscription } from 'rxjs';
import { nameMatcher } from '../bus/match.js';
import type { Logger } from '../config/options.js';
import type { EventRecord } from '../events/event-record.js';
import { busEvent } from '../events/factory.js';
import type { AttachOptions, BusEvent } from './types.js';

/** A bus event's session: `undefined` when it has none (no `metadata.session_id`). */
function sessionOf(event: BusEvent): unknown {
  const { metadata } = event;
  return typeof metadata === 'object' && metadata !== null ? metadata['session_id'] : undefined;
}

const isBusEvent = (event: unknown): event is BusEvent =>
  typeof event === 'object' && event !== null && typeof (event as BusEvent).name === 'string';

export interface AttachDeps {
  readonly sessionId: string;
  readonly now: () => number;
  readonly offer: (record: EventRecord) => boolean;
  readonly logger: Logger;
  /** A wanted event this session cannot claim (no `metadata.session_id`, or another one): counted, never silent. */
  readonly unattributed: (event: BusEvent) => void;
}

/**
 * Subscribes a stream of bus events: only this session's (and, with `events`, only matching
 * names) become GENERIC_EVENTs. A matching event without `metadata.session_id`, or with another
 * session's, is counted as `dropped.unattributed`. Nothing the stream does can make the reporter
 * throw; a stream that errors is detached with one warning.
 */
export function attachStream(source$: Observable<BusEvent>, options: AttachOptions | undefined, deps: AttachDeps): Subscription {
  const wanted = options?.events === undefined ? undefined : nameMatcher(options.events);
  return source$
    .pipe(
      filter((event) => {
        try {
          if (!isBusEvent(event) || (wanted !== undefined && !wanted(event.name))) return false;
          if (sessionOf(event) === deps.sessionId) return true;
          deps.unattributed(event);
        } catch {
          // A hostile event (a throwing getter) is ignored like any other the session cannot claim.
        }
        return false;
      }),
    )
    .subscribe({
      next: (event) => {
        try {
          deps.offer(busEvent(deps.now(), event.name, event.measurements ?? {}, event.metadata ?? {}));
        } catch {
          // log() semantics: an attached stream can never make the reporter throw.
        }
      },
      error: (error: unknown) =>
        deps.logger.warn(`an attached stream failed and was detached: ${error instanceof Error ? error.message : String(error)}`),
    });
}
