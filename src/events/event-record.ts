import { randomUUID } from 'node:crypto';
import { formatTimestamp } from './format.js';
import type { EventKind, Severity, TelemetryEvent } from './wire.js';

/** Kind-specific wire fields: `{ event_name, event_data }`, `{ error_type, … }` or `{ duration }`. */
export type EventFields = Record<string, unknown>;

/** What became of an event offered to the reporter. `pending` until the pipeline decides. */
export type Admission =
  | 'pending'
  | 'accepted'
  | 'queueFull'
  | 'rateLimited'
  | 'sampled'
  | 'invalid'
  | 'stopped';

/**
 * One event inside the reporter, from `log()` to its last export. It is also the command that
 * carries the event through the inbox: the pipeline writes `admission`, and because a Subject
 * delivers synchronously, `log()` reads the verdict as soon as `inbox.next()` returns.
 *
 * The wire form (id, formatted timestamp) is built lazily, once, at the first export, so the hot
 * path only records numbers and references; retries and every sink then see the same object.
 */
export class EventRecord {
  admission: Admission = 'pending';
  /** `event_session_index`, assigned when the queue admits the event (accepted events are contiguous). */
  index = -1;
  /** Set when the severity given to `log()` was not one of the five and became INFO. */
  severityCoerced = false;
  private wireForm: TelemetryEvent | undefined;

  constructor(
    readonly kind: EventKind,
    public severity: Severity,
    /** Wall-clock milliseconds (fractional, so microseconds survive) from the reporter's scheduler. */
    readonly timeMs: number,
    /** Kind-specific fields; for GENERIC_EVENT `event_data` is the caller's value until the sanitiser replaces it. */
    public fields: EventFields,
    /** Terminal events (SESSION_END, fatal exceptions) may use the queue's reserved slots. */
    readonly terminal = false,
  ) {}

  /** The event's name as rate limits and filters see it: `event_name`, or the kind. */
  get name(): string {
    return this.kind === 'GENERIC_EVENT' ? (this.fields['event_name'] as string) : this.kind;
  }

  wire(): TelemetryEvent {
    this.wireForm ??= {
      event: this.kind,
      event_id: randomUUID(),
      event_session_index: this.index,
      severity: this.severity,
      timestamp: formatTimestamp(this.timeMs),
      ...this.fields,
    } as TelemetryEvent;
    return this.wireForm;
  }
}
