import { EventRecord } from './event-record.js';
import type { TelemetryEvent } from './wire.js';

/**
 * An event read back from the durable spool (what a dead process left, or what this one kept on
 * disk while its queue was full): sent exactly as it was first accepted — its own
 * session, `event_id`, `event_session_index` and timestamp — not rebuilt. `handle` is the spool's.
 */
export class RecoveredRecord extends EventRecord {
  constructor(
    /** The session it was accepted in (a batch holds one session's events). */
    readonly sessionId: string,
    private readonly wire: TelemetryEvent,
    /** The spool's handle for it, to say when each sink is done with it (0: not from the spool). */
    readonly handle: number,
    bytes: number,
    /** This reporter's own event, kept on disk only while the queue was full (accepted already). */
    readonly own = false,
  ) {
    super(wire.event, wire.severity, 0, wire.event === 'GENERIC_EVENT' ? wire.event_name : wire.event, undefined);
    this.index = wire.event_session_index;
    this.bytes = bytes;
    this.admission = 'accepted';
  }

  override toWire(): TelemetryEvent {
    return this.wire;
  }
}
