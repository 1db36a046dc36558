import { z } from 'zod';
import type { SchedulerLike } from 'rxjs';
import type { BeforeSend } from '../events/wire.js';
import type { Sink } from '../sinks/sink.js';

function integer(min: number, max?: number) {
  const range = max === undefined ? `from ${min} and up` : `from ${min} to ${max}`;
  const message = `expected an integer ${range}`;
  const base = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return max === undefined ? base : base.max(max, { error: message });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Where the reporter writes its own warnings (never the API key, never event data). */
export interface Logger {
  warn(message: string): void;
}

const isScheduler = (value: unknown): value is SchedulerLike =>
  typeof value === 'object' && value !== null && typeof (value as SchedulerLike).now === 'function'
  && typeof (value as SchedulerLike).schedule === 'function';

const isSink = (value: unknown): value is Sink =>
  typeof value === 'object' && value !== null && typeof (value as Sink).name === 'string'
  && typeof (value as Sink).export === 'function' && typeof (value as Sink).shutdown === 'function';

/**
 * The reporter's options. Every duration is in milliseconds and says so in its name; defaults
 * are the Tinker clients'. Parsed once, in `createReporter`.
 */
export const ReporterOptions = z.strictObject({
  /**
   * Base URL of the Tinker-compatible backend; events go to `{endpoint}/api/v1/telemetry`.
   * Required unless `sinks` is given or the reporter is disabled.
   * @defaultValue env `RXTEL_ENDPOINT`
   */
  endpoint: z.string({ error: 'expected an http(s) URL' }).refine(isHttpUrl, { error: 'expected an http(s) URL' }).optional(),
  /**
   * Sent as `x-api-key`. Never logged, never part of an error or an exported event. Trimmed; a key
   * no header value can carry (CR, LF, NUL or another control character inside it, a character
   * beyond U+00FF) is a `ConfigError` naming `apiKey` (or `env RXTEL_API_KEY`).
   * @defaultValue env `RXTEL_API_KEY` (an empty or blank one sends no key)
   */
  apiKey: z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' }).optional(),
  /**
   * The session id sent with every batch. The Tinker server rejects anything but a UUID.
   * @defaultValue a random UUID
   */
  sessionId: z.uuid({ error: 'expected a UUID (the Tinker server rejects other session ids)' }).optional(),
  /**
   * `false` makes the reporter a no-op: no timers, no network. Wins over env `RXTEL_TELEMETRY`.
   * @defaultValue env `RXTEL_TELEMETRY`, else `true`
   */
  enabled: z.boolean({ error: 'expected a boolean' }).optional(),
  /** Send what is queued this long after the first queued event; 0 turns the timer off. @defaultValue 10000 */
  flushIntervalMs: integer(0).default(10_000),
  /** Send as soon as this many events wait in the batcher. @defaultValue 100 */
  flushThreshold: integer(1).default(100),
  /** Default deadline of `stop()`, `waitUntilDrained()` and the fatal path. @defaultValue 30000 */
  flushTimeoutMs: integer(0).default(30_000),
  /** Per-request timeout of HTTP sinks; a timed-out attempt is retried. @defaultValue 5000 */
  httpTimeoutMs: integer(1).default(5_000),
  /** Retries of one batch after its first attempt; then it is dropped and counted as `sendFailed`. @defaultValue 3 */
  maxRetries: integer(0, 100).default(3),
  /** First backoff delay; attempt n waits `retryBaseDelayMs · 2^n` plus 0–10 % jitter. @defaultValue 1000 */
  retryBaseDelayMs: integer(0).default(1_000),
  /** Accepted but unsettled events (in flight included) the reporter holds at most. @defaultValue 10000 */
  maxQueueSize: integer(8).default(10_000),
  /** Events per request at most. @defaultValue 100 */
  maxBatchSize: integer(1, 10_000).default(100),
  /**
   * Batches in flight at once. Two keep the wire busy while the backend reads the previous one;
   * events still settle (and `flush()`/`stop()` still wait) in acceptance order. 1 = strictly one
   * request after another, as the Tinker clients do. @defaultValue 2
   */
  maxInFlightBatches: integer(1, 8).default(2),
  /** Longest string kept in `event_data`; longer ones are cut and marked. @defaultValue 8192 */
  maxStringLength: integer(16).default(8192),
  /**
   * Where events go. Omitted: one `TinkerHttpSink` built from `endpoint` and `apiKey`. Several:
   * every event goes to each (fan-out), each sink with its own queue, retries and health.
   */
  sinks: z
    .array(z.custom<Sink>(isSink, { error: 'expected a Sink (name, export, shutdown)' }), { error: 'expected an array of sinks' })
    .min(1, { error: 'expected at least one sink' })
    .max(16, { error: 'expected at most 16 sinks' })
    .refine((sinks) => new Set(sinks.map((s) => s.name)).size === sinks.length, { error: 'expected sinks with different names' })
    .optional(),
  /**
   * At most this many events per `event_name` per second (token bucket on the scheduler's clock,
   * bursts up to the same number); 0 turns limiting off. Session and exception events are never
   * limited. The default is meant to stop a runaway loop, not a busy service's ordinary traffic.
   * @defaultValue 10000
   */
  rateLimitPerTypePerSecond: integer(0).default(10_000),
  /** Per-name overrides of `rateLimitPerTypePerSecond` (0 = unlimited for that name). */
  rateLimits: z.record(z.string(), integer(0), { error: 'expected { eventName: limit }' }).optional(),
  /** Share of events kept, 0..1; never applied to session or exception events. @defaultValue 1 */
  sampleRate: z.number({ error: 'expected a number from 0 to 1' }).min(0, { error: 'expected a number from 0 to 1' }).max(1, { error: 'expected a number from 0 to 1' }).default(1),
  /** Per-name sample rates that override `sampleRate`. */
  sampleRates: z.record(z.string(), z.number().min(0).max(1), { error: 'expected { eventName: rate from 0 to 1 }' }).optional(),
  /**
   * Keys whose values become `"[REDACTED]"` at any depth: names (matching the key or its last
   * `_`-parts, any case) or RegExps. Replaces the default list (spread `DEFAULT_REDACT_KEYS` to extend it).
   * @defaultValue passwords, secrets, tokens, API keys, authorization, cookies
   */
  redactKeys: z.array(z.union([z.string().min(1), z.instanceof(RegExp)]), { error: 'expected an array of key names or RegExps' }).optional(),
  /**
   * Called for every event but SESSION_START/END just before it is queued, with the wire event
   * (after redaction): return it (changed or not) to keep it, `null` to drop it (`filtered`). A
   * throw drops the event as `invalid` and never reaches the application.
   */
  beforeSend: z.custom<BeforeSend>((v) => typeof v === 'function', { error: 'expected a function (event) => event | null' }).optional(),
  /** Events `reporter.events$` replays to a new subscriber. @defaultValue 100 */
  replayBufferSize: integer(0, 100_000).default(100),
  /** What a full queue does with a new ordinary event: refuse it, or push out the oldest one not yet in a batch. @defaultValue 'drop-newest' */
  overflow: z.enum(['drop-newest', 'drop-oldest'], { error: "expected 'drop-newest' or 'drop-oldest'" }).default('drop-newest'),
  /** Slots of `maxQueueSize` kept for SESSION_END and fatal exceptions. @defaultValue 4 */
  terminalReserve: integer(1, 1000).default(4),
  /**
   * Bound on the queued events' estimated JSON bytes, with `maxQueueSize`. By default it grows with
   * `maxQueueSize`, so that raising one does not leave the other behind.
   * @defaultValue 32 MiB per 10,000 events of `maxQueueSize` (33554432 at the default size), at least 64 KiB
   */
  maxQueueBytes: integer(65_536).optional(),
  /**
   * Larger `event_data` (JSON bytes) is replaced by `{ truncated: true, original_bytes }`. It also
   * bounds the work of sanitising one event (4× its bytes, half as many values and keys); data
   * over that becomes `{ truncated: true, original_bytes_at_least }`. @defaultValue 65536
   */
  maxEventBytes: integer(256).default(65_536),
  /**
   * Keep raw content (`event_data.content`, generation and tool `input`/`output`): exported to
   * sinks with `contentCapture: 'raw'` only. Off, content is replaced by `{ redacted: true, chars }`
   * before it is queued. @defaultValue false
   */
  captureContent: z.boolean({ error: 'expected a boolean' }).default(false),
  /**
   * Forward the `telemetry` bus's events of this session (see `events`). @defaultValue true
   */
  attachEvents: z.boolean({ error: 'expected a boolean' }).default(true),
  /**
   * Bus event names to forward; `prefix.*` matches a family, `*` everything.
   * @defaultValue the `rxtel.http.request.*` events and `rxtel.queue.state_change`
   */
  events: z
    .array(z.string({ error: 'expected event names' }).min(1, { error: 'expected non-empty event names' }), { error: 'expected an array of event names' })
    .optional(),
  /** The clock and timers. Inject a `TestScheduler` to run the whole reporter in virtual time. @defaultValue an unref'd async scheduler */
  scheduler: z.custom<SchedulerLike>(isScheduler, { error: 'expected an RxJS SchedulerLike' }).optional(),
  /** Uniform random numbers in [0, 1) for backoff jitter; inject for deterministic tests. @defaultValue Math.random */
  random: z.custom<() => number>((v) => typeof v === 'function', { error: 'expected a function' }).default(() => Math.random),
  /** Receives the reporter's own warnings. @defaultValue `console.warn` with an `[rxtel]` prefix */
  logger: z
    .custom<Logger>((v) => typeof v === 'object' && v !== null && typeof (v as Logger).warn === 'function', {
      error: 'expected an object with a warn(message) method',
    })
    .optional(),
});

/** What users pass to `createReporter` (defaults optional). */
export type ReporterOptions = z.input<typeof ReporterOptions>;
