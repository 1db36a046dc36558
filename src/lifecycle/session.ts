import { sessionEndEvent, sessionStartEvent } from '../events/factory.js';
import type { EventRecord } from '../events/event-record.js';

/**
 * The session's two bookends: SESSION_START when the reporter is created (its timestamp is the
 * start of the session), SESSION_END exactly once — on stop or on the fatal path, whichever comes
 * first — with the session's duration.
 */
export class Session {
  private ended = false;

  constructor(readonly startedAtMs: number) {}

  start(): EventRecord {
    return sessionStartEvent(this.startedAtMs);
  }

  /** The SESSION_END event the first time, `undefined` afterwards. */
  end(nowMs: number): EventRecord | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    return sessionEndEvent(nowMs, this.startedAtMs);
  }
}
