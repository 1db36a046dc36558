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
 * Every field here is retained while the event waits: the record is kept as small as it can be
 * (its booleans share one integer; what few events carry is kept aside).
 */
/** The record's booleans, packed into one small integer. */
const COERCED = 1;
const CUT = 2;
const EVICTED = 4;
const TERMINAL = 8;

/** What few events carry: kept aside, so the others do not pay a field for each. */
interface RareFields {
  excludeSink?: string | undefined;
  coalesceKey?: string | undefined;
  eventId?: string | undefined;
  spoolHandle?: number;
}

export class EventRecord {
  admission: Admission = 'pending';
  /** `event_session_index`, assigned when the queue admits the event (accepted events are contiguous). */
  index = -1;
  /** Estimated JSON bytes of the event, counted against `maxQueueBytes` while it is queued. */
  bytes = 0;
  /** Whole seconds since the epoch, and microseconds within the second: two small integers, where a
   * fractional millisecond timestamp would cost a boxed number per event. */
  second: number;
  micros: number;
  #flags: number;
  #rare: RareFields | undefined = undefined;

  /** Set when the severity given to `log()` was not one of the five and became INFO. */
  get severityCoerced(): boolean {
    return (this.#flags & COERCED) !== 0;
  }
  set severityCoerced(value: boolean) {
    this.#flags = value ? this.#flags | COERCED : this.#flags & ~COERCED;
  }
  /** Cut into a batch by the batcher: the queue can no longer change it. */
  get cut(): boolean {
    return (this.#flags & CUT) !== 0;
  }
  set cut(value: boolean) {
    this.#flags = value ? this.#flags | CUT : this.#flags & ~CUT;
  }
  /** Pushed out by `overflow: 'drop-oldest'`: never exported, counted as `dropped.evicted`. */
  get evicted(): boolean {
    return (this.#flags & EVICTED) !== 0;
  }
  set evicted(value: boolean) {
    this.#flags = value ? this.#flags | EVICTED : this.#flags & ~EVICTED;
  }
  /** Terminal events (SESSION_END, fatal exceptions) may use the queue's reserved slots. */
  get terminal(): boolean {
    return (this.#flags & TERMINAL) !== 0;
  }
  /** A sink this event is not for (a `telemetry.sink_health` event about that very sink). */
  get excludeSink(): string | undefined {
    return this.#rare?.excludeSink;
  }
  set excludeSink(value: string | undefined) {
    this.#setRare('excludeSink', value);
  }
  /** Its `event_data.coalesceKey`, while a newer event with the same key may still replace it. */
  get coalesceKey(): string | undefined {
    return this.#rare?.coalesceKey;
  }
  set coalesceKey(value: string | undefined) {
    this.#setRare('coalesceKey', value);
  }
  /** With the durable spool: the `event_id`, fixed when the event is written ahead. */
  get eventId(): string | undefined {
    return this.#rare?.eventId;
  }
  set eventId(value: string | undefined) {
    this.#setRare('eventId', value);
  }
  /** With the durable spool: the spool's handle for the event (0: none). */
  get spoolHandle(): number {
    return this.#rare?.spoolHandle ?? 0;
  }
  set spoolHandle(value: number) {
    this.#setRare('spoolHandle', value);
  }

  #setRare<K extends keyof RareFields>(key: K, value: RareFields[K]): void {
    if (this.#rare === undefined) {
      if (value === undefined) return;
      this.#rare = {};
    }
    this.#rare[key] = value;
  }

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
    terminal = false,
  ) {
    this.#flags = terminal ? TERMINAL : 0;
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
