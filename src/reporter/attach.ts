import { filter, type Observable, type Subscription } from 'rxjs';
import { nameMatcher } from '../bus/match.js';
import type { Logger } from '../config/options.js';
import type { EventRecord } from '../events/event-record.js';
import { busEvent } from '../events/factory.js';
import type { AttachOptions, BusEvent } from './types.js';

function isSessionEvent(event: unknown, sessionId: string): event is BusEvent {
  if (typeof event !== 'object' || event === null) return false;
  const { name, metadata } = event as BusEvent;
  return typeof name === 'string' && typeof metadata === 'object' && metadata !== null && metadata['session_id'] === sessionId;
}

export interface AttachDeps {
  readonly sessionId: string;
  readonly now: () => number;
  readonly offer: (record: EventRecord) => boolean;
  readonly logger: Logger;
}

/**
 * Subscribes a stream of bus events: only this session's (and, with `events`, only matching
 * names) become GENERIC_EVENTs. Nothing the stream does can make the reporter throw; a stream
 * that errors is detached with one warning.
 */
export function attachStream(source$: Observable<BusEvent>, options: AttachOptions | undefined, deps: AttachDeps): Subscription {
  const wanted = options?.events === undefined ? undefined : nameMatcher(options.events);
  return source$
    .pipe(filter((event) => isSessionEvent(event, deps.sessionId) && (wanted === undefined || wanted(event.name))))
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
