import type { Refusal } from './drop-reasons.js';
import { eventId } from './event-ids.js';
import { formatTimestampParts } from './format.js';
import type { EventKind, Severity, TelemetryEvent } from './wire.js';

/** Kind-specific wire fields of the other kinds: `{ error_type, … }`, `{ duration }` or `{}`. */
export type EventFields = Record<string, unknown>;

/** What became of an event offered to the reporter. `pending` until the pipeline decides. */
export type Admission = 'pending' | 'accepted' | 'coalesced' | Refusal;

/**
 * One event inside the reporter, from `log()` to its last export. It is also the command that
 * carries the event through the inbox: the pipeline writes `admission`, and because a Subject
 * delivers synchronously, `log()` reads the verdict as soon as `inbox.next()` returns.
 *
 * The wire form (id, formatted timestamp) is built at the first export, once per batch (the sender
 * keeps it for retries and splits), so the hot path only records small integers and references.
 * Every field here is retained while the event waits: the record is kept as small as it can be.
 */
export class EventRecord {
  admission: Admission = 'pending';
  /** `event_session_index`, assigned when the queue admits the event (accepted events are contiguous). */
  index = -1;
  /** Set when the severity given to `log()` was not one of the five and became INFO. */
  severityCoerced = false;
  /** A sink this event is not for (a `telemetry.sink_health` event about that very sink). */
  excludeSink: string | undefined = undefined;
  /** Estimated JSON bytes of the event, counted against `maxQueueBytes` while it is queued. */
  bytes = 0;
  /** Its `event_data.coalesceKey`, while a newer event with the same key may still replace it. */
  coalesceKey: string | undefined = undefined;
  /** Cut into a batch by the batcher: the queue can no longer change it. */
  cut = false;
  /** Pushed out by `overflow: 'drop-oldest'`: never exported, counted as `dropped.evicted`. */
  evicted = false;
  /** With the durable spool: the `event_id`, fixed when the event is written ahead, and the spool's handle for it (0: none). */
  eventId: string | undefined = undefined;
  spoolHandle = 0;
  /** Whole seconds since the epoch, and microseconds within the second: two small integers, where a
   * fractional millisecond timestamp would cost a boxed number per event. */
  second: number;
  micros: number;

  constructor(
    readonly kind: EventKind,
    public severity: Severity,
    /** Wall-clock milliseconds (fractional, so microseconds survive) from the reporter's scheduler. */
    timeMs: number,
    /**
     * GENERIC_EVENT: `event_name` as the caller gave it (validated in the pipeline); other kinds:
     * the kind. What rate limits and filters key on.
     */
    public name: unknown,
    /**
     * GENERIC_EVENT: `event_data`, the caller's value until the sanitiser replaces it; other kinds:
     * their {@link EventFields}. Flat on the record: one object fewer per event on the hot path.
     */
    public data: unknown,
    /** Terminal events (SESSION_END, fatal exceptions) may use the queue's reserved slots. */
    readonly terminal = false,
  ) {
    const totalMicros = Math.round(timeMs * 1000);
    this.second = Math.floor(totalMicros / 1_000_000);
    this.micros = totalMicros - this.second * 1_000_000;
  }

  /**
   * The event as sinks see it. Its `event_id` is fresh on every call unless the spool fixed it
   * (`eventId`): call once per event (the sender keeps it).
   */
  toWire(): TelemetryEvent {
    const event_id = this.eventId ?? eventId();
    const timestamp = formatTimestampParts(this.second, this.micros);
    // Object literals with a fixed shape: spreading here cost more than the UUID and the timestamp.
    return (
      this.kind === 'GENERIC_EVENT'
        ? {
            event: this.kind,
            event_id,
            event_session_index: this.index,
            severity: this.severity,
            timestamp,
            event_name: this.name,
            event_data: this.data,
          }
        : Object.assign(
            { event: this.kind, event_id, event_session_index: this.index, severity: this.severity, timestamp },
            this.data as EventFields,
          )
    ) as TelemetryEvent;
  }
}
