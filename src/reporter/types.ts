import type { BusEvent } from '../bus/telemetry.js';
import type { Observable, Subscription } from 'rxjs';
import type { ReporterStats } from '../stats/counters.js';
import type { ReporterHealth } from '../stats/observe.js';
import type { EventView } from './replay.js';
import type { SeverityInput } from '../events/severity.js';
import type { Span, SpanOptions } from './span.js';

export type { BusEvent } from '../bus/telemetry.js';

/** Ids a scoped reporter adds to its events' `event_data` (`correlation_id`, `turn_id`, `trace_id`). */
export interface CorrelationIds {
  readonly correlationId?: string;
  readonly turnId?: string;
  readonly traceId?: string;
}

/**
 * What {@link Reporter.flush} answers when it resolves.
 *
 * @example
 * ```ts
 * const { pending } = await reporter.flush(2000);
 * if (pending > 0) console.warn(`${pending} telemetry events still on their way`);
 * ```
 */
export interface FlushResult {
  /**
   * Events accepted before the call that had not settled (been delivered or given up) when the
   * flush resolved: 0 when it resolved because all had settled, more when its deadline came first.
   * Those events stay queued and keep being retried.
   */
  readonly pending: number;
}

/** Options of {@link Reporter.attach}. */
export interface AttachOptions {
  /** Only forward events with these names; `prefix.*` matches a whole family. Default: all of the session's events. */
  readonly events?: readonly string[];
}

/**
 * The telemetry reporter: an actor that accepts events without ever blocking or throwing, ships
 * them in batches with retries, and on shutdown accounts for every event it accepted.
 *
 * @example
 * ```ts
 * const reporter = createReporter({ endpoint: 'http://127.0.0.1:4318' });
 * reporter.log('user.action', { button: 'submit' });
 * await reporter.stop();
 * ```
 */
export interface Reporter extends AsyncDisposable {
  /** The session id sent with every batch (a UUID). */
  readonly sessionId: string;
  /** `false` for the no-op reporter of a disabled configuration. */
  readonly enabled: boolean;
  /** Queue a GENERIC_EVENT. `false` when it was refused (queue full, invalid, stopped, disabled). Never throws. */
  log(name: string, data?: unknown, severity?: SeverityInput): boolean;
  /**
   * Validate a typed LLM event (see `LlmEvent`) and log it under its conventional `event_name`.
   * An invalid event is dropped and counted as `invalid`, never thrown. `extra` is merged into
   * `event_data` (used by scoped reporters for correlation ids).
   */
  track(event: unknown, extra?: Readonly<Record<string, unknown>>): boolean;
  /** Start a span; ending it logs a `span` event with W3C trace and span ids. */
  startSpan(name: string, options?: SpanOptions): Span;
  /** A view whose events carry these correlation ids in `event_data`, like a child logger. */
  with(ids: CorrelationIds): Reporter;
  /**
   * Runs `fn` in an async context carrying these ids (and this view's): every `log`, `track`,
   * `logException` (its `user_error` events) and span of any reporter inside `fn` — across
   * `await`s, timers and event listeners — carries them in `event_data`, and spans started inside
   * nest under the active span (see `span.run`). A view's own ids win over the context's. Returns
   * what `fn` returns.
   */
  withContext<T>(ids: CorrelationIds, fn: () => T): T;
  /** Queue an exception (or a `user_error` for a 4xx in its cause chain) and start sending soon. */
  logException(error: unknown, severity?: SeverityInput): boolean;
  /** Queue the exception and SESSION_END, flush now, wait until drained (≤ `flushTimeoutMs`). */
  logFatalException(error: unknown, severity?: SeverityInput): Promise<boolean>;
  /**
   * Send what is queued; resolves when every event accepted before the call has settled, or at the
   * latest at its deadline (`timeoutMs`, default `flushTimeoutMs`), with how many are still pending.
   * The deadline ends the wait only: pending events stay queued and keep being retried.
   */
  flush(timeoutMs?: number): Promise<FlushResult>;
  /** Flush and wait until every event accepted so far has settled: `true` if all were delivered in time. */
  waitUntilDrained(timeoutMs?: number): Promise<boolean>;
  /**
   * SESSION_END once, flush, drain, close the sinks, detach streams; `true` when everything was
   * delivered. The sequence runs once; each caller waits up to its own `timeoutMs` (default
   * `flushTimeoutMs`) and answers `false` if that came first; what is left is abandoned (counted as
   * `sendFailed`) only when the latest caller's deadline has passed. Calls with the same deadline
   * share one promise; after the sequence finished, every call resolves at once with its result.
   */
  stop(timeoutMs?: number): Promise<boolean>;
  /** Forward an application's event stream, filtered to this session. Ends on `stop()`. */
  attach(source$: Observable<BusEvent>, options?: AttachOptions): Subscription;
  /** `true` when every accepted event has settled; emits on change only. Completes after `stop()`. */
  readonly drained$: Observable<boolean>;
  /** A snapshot of the counters. */
  stats(): ReporterStats;
  /** Snapshots on every change while subscribed (the first at once). Completes after `stop()`. */
  readonly stats$: Observable<ReporterStats>;
  /** Queue fill, each sink's state and the last successful export: at once, then on every change. Completes after `stop()`. */
  readonly health$: Observable<ReporterHealth>;
  /** The last `replayBufferSize` accepted events (after redaction) to each new subscriber, then live ones. Completes after `stop()`. */
  readonly events$: Observable<EventView>;
}
