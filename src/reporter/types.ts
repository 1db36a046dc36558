import type { BusEvent } from '../bus/telemetry.js';
import type { Observable, Subscription } from 'rxjs';
import type { ReporterStats } from '../stats/counters.js';
import type { ReporterHealth } from '../stats/observe.js';
import type { EventView } from './replay.js';
import type { SeverityInput } from '../events/severity.js';
import type { LlmEvent } from '../events/llm-events.js';
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
   * Times may be a `Date`, epoch milliseconds or an ISO string (sent as ISO strings); `usage` may
   * use camelCase keys (sent in snake_case). An invalid event (a missing or mistyped field, an
   * unknown one) is dropped, counted as `invalid` and `false` returned, never thrown; the logger
   * says why, once per distinct reason. `extra` is merged into `event_data` as it is.
   *
   * @example
   * ```ts
   * reporter.track({ type: 'generation', model: 'm-1', start_time: started, end_time: new Date() });
   * ```
   */
  track(event: LlmEvent, extra?: Readonly<Record<string, unknown>>): boolean;
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
  /**
   * The handler of a function platform (Lambda, Vercel, Cloud Run, Cloudflare), wrapped so that
   * each invocation's events are flushed when it returns or throws, within `flushBudgetMs`
   * (default 1000), or handed to the platform's `waitUntil`; a throw is logged and re-thrown.
   * See `wrapHandler` (src/reporter/wrap-handler.ts) and the guide's "Serverless" section.
   */
  wrapHandler<A extends unknown[], R, T = unknown>(handler: (this: T, ...args: A) => R, options?: WrapHandlerOptions<A>): (this: T, ...args: A) => Promise<Awaited<R>>;
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

/**
 * Options of {@link Reporter.wrapHandler}. `A` are the handler's arguments, which `waitUntil`
 * receives after the flush promise (so a Cloudflare handler can reach its `ctx`).
 *
 * @example
 * ```ts
 * const options: WrapHandlerOptions<[Request, Env, ExecutionContext]> = {
 *   flushBudgetMs: 2000,
 *   waitUntil: (flushed, _request, _env, ctx) => ctx.waitUntil(flushed),
 * };
 * ```
 */
export interface WrapHandlerOptions<A extends readonly unknown[] = readonly unknown[]> {
  /**
   * How long the flush after each invocation may take, in ms: without `waitUntil` the answer is
   * delayed by at most this much; with it, this bounds the work handed to the platform.
   * @defaultValue 1000
   */
  readonly flushBudgetMs?: number;
  /**
   * The platform's way to keep the function alive after the answer (Vercel's `waitUntil` from
   * `@vercel/functions`, Cloudflare's `ctx.waitUntil`). Given it, the wrapped handler answers as
   * soon as the handler has, and hands this hook the flush: a promise that resolves (never
   * rejects) with the flush's {@link FlushResult} once that invocation's events have settled, or
   * at the budget. Called with the handler's arguments after the promise.
   */
  readonly waitUntil?: (flushed: Promise<FlushResult>, ...args: A) => void;
}
