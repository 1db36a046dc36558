import { Subject, type Observable } from 'rxjs';
import { HTTP_REQUEST_EVENTS, QUEUE_STATE_EVENT } from '../events/names.js';

/** One event of the `telemetry` bus or of an application's own event stream. */
export interface BusEvent {
  readonly name: string;
  readonly measurements?: Readonly<Record<string, unknown>>;
  /** A reporter forwards only events whose `metadata.session_id` equals its session. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * An application-wide event bus, like Erlang's `:telemetry`: libraries emit, reporters (and
 * anyone else) subscribe. Emitting costs nothing while nobody listens and never throws at the
 * emitter (a listener that throws is reported by RxJS as an unhandled error, as for any Subject).
 */
export class TelemetryBus {
  private readonly subject = new Subject<BusEvent>();
  /** Every event emitted from now on (hot: no replay). */
  readonly events$: Observable<BusEvent> = this.subject.asObservable();

  /**
   * @example
   * telemetry.emit('db.query.stop', { duration_ms: 12 }, { session_id: reporter.sessionId, table: 'users' });
   */
  emit(name: string, measurements: Readonly<Record<string, unknown>> = {}, metadata: Readonly<Record<string, unknown>> = {}): void {
    if (this.subject.observed) this.subject.next({ name, measurements, metadata });
  }
}

/** The process-wide bus that reporters attach to by default. */
export const telemetry = new TelemetryBus();

/** Names the reporter forwards from the bus unless told otherwise (option `events`). */
export const DEFAULT_BUS_EVENTS: readonly string[] = [
  HTTP_REQUEST_EVENTS.start,
  HTTP_REQUEST_EVENTS.stop,
  HTTP_REQUEST_EVENTS.exception,
  QUEUE_STATE_EVENT,
];
