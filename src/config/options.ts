import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SchedulerLike } from 'rxjs';
import { DEFAULT_BUS_EVENTS } from '../bus/telemetry.js';
import { DEFAULT_MAX_EVENT_BYTES } from '../events/work-budget.js';
import type { BeforeSend } from '../events/wire.js';
import { nodeScheduler } from '../platform/node.js';
import { boolean, func, httpUrl, integer, nonEmptyString, oneOf } from '../schema/fields.js';
import { NO_ECHO } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { headerValueField } from '../sinks/http/header-value.js';
import type { Sink } from '../sinks/sink.js';

/** Where the reporter writes its own warnings (never the API key, never event data). */
export interface Logger {
  warn(message: string): void;
  /** Where the `debug` switch's lines go, when the logger has it; else they go to `warn`. */
  debug?(message: string): void;
}

/** Key names redacted by default: passwords, secrets, tokens, API keys, authorization, cookies. */
export const DEFAULT_REDACT_KEYS: readonly (string | RegExp)[] = [
  'password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'authorization', 'auth',
  'cookie', 'cookies', 'set_cookie', 'private_key', 'secret_key', 'access_key', 'credentials', 'session_token',
];

/**
 * The reporter's options, what `createReporter` takes. Every duration is in milliseconds and says
 * so in its name; defaults are the Tinker clients'. Parsed once, in `createReporter`, by the
 * schema of the same name; a bad or unknown option is a `ConfigError` naming it and its value
 * (never the API key).
 *
 * @example
 * ```ts
 * const options: ReporterOptions = { endpoint: 'http://127.0.0.1:4318', apiKey: process.env.RXTEL_API_KEY, flushIntervalMs: 5000 };
 * const reporter = createReporter(options);
 * ```
 */
export interface ReporterOptions {
  /**
   * Base URL (http or https) of the Tinker-compatible backend; events go to `{endpoint}/api/v1/telemetry`.
   * Required unless `sinks` is given or the reporter is disabled.
   * @defaultValue env `RXTEL_ENDPOINT`
   */
  endpoint?: string;
  /**
   * Sent as `x-api-key`. Never logged, never part of an error or an exported event. Trimmed; a key
   * no header value can carry (CR, LF, NUL or another control character inside it, a character
   * beyond U+00FF) is a `ConfigError` naming `apiKey` (or `env RXTEL_API_KEY`).
   * @defaultValue env `RXTEL_API_KEY` (an empty or blank one sends no key)
   */
  apiKey?: string;
  /**
   * The session id sent with every batch. The Tinker server rejects anything but a UUID.
   * @defaultValue a random UUID
   */
  sessionId?: string;
  /**
   * `false` makes the reporter a no-op: no timers, no network. Wins over env `RXTEL_TELEMETRY`.
   * @defaultValue env `RXTEL_TELEMETRY`, else `true`
   */
  enabled?: boolean;
  /** Send what is queued this long after the first queued event; 0 turns the timer off. @defaultValue 10000 */
  flushIntervalMs?: number;
  /** Send as soon as this many events wait in the batcher. @defaultValue 100 */
  flushThreshold?: number;
  /** Default deadline of `stop()`, `waitUntilDrained()` and the fatal path. @defaultValue 30000 */
  flushTimeoutMs?: number;
  /** Per-request timeout of HTTP sinks; a timed-out attempt is retried. @defaultValue 5000 */
  httpTimeoutMs?: number;
  /** Retries of one batch after its first attempt (0 to 100); then it is dropped and counted as `sendFailed`. @defaultValue 3 */
  maxRetries?: number;
  /** First backoff delay; attempt n waits `retryBaseDelayMs · 2^n` plus 0–10 % jitter. @defaultValue 1000 */
  retryBaseDelayMs?: number;
  /** Accepted but unsettled events (in flight included) the reporter holds at most; at least 8. @defaultValue 10000 */
  maxQueueSize?: number;
  /** Events per request at most (1 to 10000). @defaultValue 100 */
  maxBatchSize?: number;
  /**
   * Batches in flight at once (1 to 8). Two keep the wire busy while the backend reads the previous
   * one; events still settle (and `flush()`/`stop()` still wait) in acceptance order. 1 = strictly
   * one request after another, as the Tinker clients do. @defaultValue 2
   */
  maxInFlightBatches?: number;
  /** Longest string kept in `event_data`; longer ones are cut and marked. @defaultValue 8192 */
  maxStringLength?: number;
  /**
   * Where events go (1 to 16 sinks, each with its own name). Omitted: one `TinkerHttpSink` built
   * from `endpoint` and `apiKey`. Several: every event goes to each (fan-out), each sink with its
   * own queue, retries and health.
   * @defaultValue one `TinkerHttpSink`
   */
  sinks?: Sink[];
  /**
   * At most this many events per `event_name` per second (token bucket on the scheduler's clock,
   * bursts up to the same number); 0 turns limiting off. Session and exception events are never
   * limited. The default is meant to stop a runaway loop, not a busy service's ordinary traffic.
   * @defaultValue 10000
   */
  rateLimitPerTypePerSecond?: number;
  /** Per-name overrides of `rateLimitPerTypePerSecond` (0 = unlimited for that name). */
  rateLimits?: Record<string, number>;
  /** Share of events kept, 0..1; never applied to session or exception events. @defaultValue 1 */
  sampleRate?: number;
  /** Per-name sample rates (0..1) that override `sampleRate`. */
  sampleRates?: Record<string, number>;
  /**
   * Keys whose values become `"[REDACTED]"` at any depth: names (matching the key or its last
   * `_`-parts, any case) or RegExps. Replaces the default list (spread `DEFAULT_REDACT_KEYS` to extend it).
   * @defaultValue `DEFAULT_REDACT_KEYS`: passwords, secrets, tokens, API keys, authorization, cookies
   */
  redactKeys?: (string | RegExp)[];
  /**
   * Called for every event but SESSION_START/END just before it is queued, with the wire event
   * (after redaction): return it (changed or not) to keep it, `null` to drop it (`filtered`). A
   * throw drops the event as `invalid` and never reaches the application.
   */
  beforeSend?: BeforeSend;
  /** Events `reporter.events$` replays to a new subscriber (0 to 100000). @defaultValue 100 */
  replayBufferSize?: number;
  /** What a full queue does with a new ordinary event: refuse it, or push out the oldest one not yet in a batch. @defaultValue 'drop-newest' */
  overflow?: 'drop-newest' | 'drop-oldest';
  /** Slots of `maxQueueSize` kept for SESSION_END and fatal exceptions (1 to 1000, fewer than `maxQueueSize`). @defaultValue 4 */
  terminalReserve?: number;
  /**
   * Bound on the queued events' estimated JSON bytes, with `maxQueueSize`; at least 65536. By
   * default it grows with `maxQueueSize`, so that raising one does not leave the other behind.
   * @defaultValue 32 MiB per 10,000 events of `maxQueueSize` (33554432 at the default size), at least 64 KiB
   */
  maxQueueBytes?: number;
  /**
   * Larger `event_data` (JSON bytes, at least 256) is replaced by `{ truncated: true, original_bytes }`.
   * It also bounds the work of sanitising one event (4× its bytes, half as many values and keys);
   * data over that becomes `{ truncated: true, original_bytes_at_least }`. @defaultValue 65536
   */
  maxEventBytes?: number;
  /**
   * Keep raw content (`event_data.content`, generation and tool `input`/`output`): exported to
   * sinks with `contentCapture: 'raw'` only. Off, content is replaced by `{ redacted: true, chars }`
   * before it is queued. @defaultValue false
   */
  captureContent?: boolean;
  /** Forward the `telemetry` bus's events of this session (see `events`). @defaultValue true */
  attachEvents?: boolean;
  /**
   * Bus event names to forward; `prefix.*` matches a family, `*` everything.
   * @defaultValue `DEFAULT_BUS_EVENTS`: the `rxtel.http.request.*` events and `rxtel.queue.state_change`
   */
  events?: string[];
  /** The clock and timers. Inject a `TestScheduler` to run the whole reporter in virtual time. @defaultValue an unref'd async scheduler */
  scheduler?: SchedulerLike;
  /** Uniform random numbers in [0, 1) for backoff jitter and sampling; inject for deterministic tests. @defaultValue Math.random */
  random?: () => number;
  /** Receives the reporter's own warnings (and, with `debug`, its diagnostic lines). @defaultValue `console.warn` with an `[rxtel]` prefix */
  logger?: Logger;
  /**
   * The diagnostic switch: the logger hears of every refused or dropped event with its reason
   * (rate-limited, sampled, invalid, filtered, queue full, …) and of every batch's fate per sink
   * (delivered, retried, partially delivered, failed), at most 20 lines a second with a summary of
   * what was held back. Its `debug` method is used if it has one, else `warn`. Off, it costs nothing.
   * @defaultValue env `RXTEL_DEBUG` (`1 true yes on`), else `false`
   */
  debug?: boolean;
  /**
   * The durable spool: every accepted event is also written to segment files under `dir`, so that
   * a crash or a stop during an outage loses at most the last write interval, and the next reporter
   * on the same directory sends what was left under the original ids (docs/durability.md). Off
   * unless given, or env `RXTEL_SPOOL_DIR` names a directory; with it off nothing changes.
   * @defaultValue off (env `RXTEL_SPOOL_DIR`)
   */
  spool?: SpoolOptions;
}

/** Options of the durable spool (`createReporter({ spool })`). */
export interface SpoolOptions {
  /** The directory (created if missing). Several processes may share it: each writes its own segments. */
  dir: string;
  /** Bytes on disk at most (live segments and what waits to be written). @defaultValue 268435456 (256 MiB) */
  maxBytes?: number;
  /** Accepted events are written in groups at most this far apart: the loss window of a process crash. @defaultValue 100 */
  writeIntervalMs?: number;
  /** `'interval'`: fdatasync after each group write, so a power loss costs about one interval too; `'never'`: leave it to the OS (up to ~30 s on Linux). @defaultValue 'interval' */
  fsync?: 'interval' | 'never';
}

const isScheduler = (value: unknown): value is SchedulerLike =>
  typeof value === 'object' && value !== null && typeof (value as SchedulerLike).now === 'function'
  && typeof (value as SchedulerLike).schedule === 'function';

const isSink = (value: unknown): value is Sink =>
  typeof value === 'object' && value !== null && typeof (value as Sink).name === 'string'
  && typeof (value as Sink).export === 'function' && typeof (value as Sink).shutdown === 'function';

const consoleLogger: Logger = { warn: (message) => console.warn(`[rxtel] ${message}`) };

const share = () => z.number({ error: 'expected a number from 0 to 1' }).min(0, { error: 'expected a number from 0 to 1' }).max(1, { error: 'expected a number from 0 to 1' });

/**
 * The schema of {@link ReporterOptions}: the checks, the defaults (each option's one default) and
 * the rules across options. The interface above documents each option; the type check below
 * keeps the two in step. The options whose default depends on the environment or on other
 * options (`endpoint`, `apiKey`, `enabled`, `maxQueueBytes`; `sinks`, built from `endpoint`) are
 * resolved by `parseOptions` and `createReporter`.
 */
export const ReporterOptions = z
  .strictObject({
    endpoint: httpUrl().optional(),
    apiKey: headerValueField().optional(),
    sessionId: z.uuid({ error: 'expected a UUID (the Tinker server rejects other session ids)' }).default(() => randomUUID()),
    enabled: boolean().optional(),
    flushIntervalMs: integer(0).default(10_000),
    flushThreshold: integer(1).default(100),
    flushTimeoutMs: integer(0).default(30_000),
    httpTimeoutMs: integer(1).default(5_000),
    maxRetries: integer(0, 100).default(3),
    retryBaseDelayMs: integer(0).default(1_000),
    maxQueueSize: integer(8).default(10_000),
    maxBatchSize: integer(1, 10_000).default(100),
    maxInFlightBatches: integer(1, 8).default(2),
    maxStringLength: integer(16).default(8192),
    sinks: z
      .array(z.custom<Sink>(isSink, { error: 'expected a Sink (name, export, shutdown)' }), { error: 'expected an array of sinks' })
      .min(1, { error: 'expected at least one sink' })
      .max(16, { error: 'expected at most 16 sinks' })
      .refine((sinks) => new Set(sinks.map((s) => s.name)).size === sinks.length, { error: 'expected sinks with different names' })
      .optional(),
    rateLimitPerTypePerSecond: integer(0).default(10_000),
    rateLimits: z.record(z.string(), integer(0), { error: 'expected { eventName: limit }' }).optional(),
    sampleRate: share().default(1),
    sampleRates: z.record(z.string(), share(), { error: 'expected { eventName: rate from 0 to 1 }' }).optional(),
    redactKeys: z
      .array(z.union([z.string().min(1), z.instanceof(RegExp)]), { error: 'expected an array of key names or RegExps' })
      .default(() => [...DEFAULT_REDACT_KEYS]),
    beforeSend: func<BeforeSend>('expected a function (event) => event | null').optional(),
    replayBufferSize: integer(0, 100_000).default(100),
    overflow: oneOf(['drop-newest', 'drop-oldest']).default('drop-newest'),
    terminalReserve: integer(1, 1000).default(4),
    maxQueueBytes: integer(65_536).optional(),
    maxEventBytes: integer(256).default(DEFAULT_MAX_EVENT_BYTES),
    captureContent: boolean().default(false),
    attachEvents: boolean().default(true),
    events: z
      .array(z.string({ error: 'expected event names' }).min(1, { error: 'expected non-empty event names' }), { error: 'expected an array of event names' })
      .default(() => [...DEFAULT_BUS_EVENTS]),
    scheduler: z.custom<SchedulerLike>(isScheduler, { error: 'expected an RxJS SchedulerLike' }).default(() => nodeScheduler),
    random: func<() => number>().default(() => Math.random),
    logger: z
      .custom<Logger>((v) => typeof v === 'object' && v !== null && typeof (v as Logger).warn === 'function', {
        error: 'expected an object with a warn(message) method',
      })
      .default(() => consoleLogger),
    debug: boolean().optional(),
    spool: z
      .strictObject(
        {
          dir: nonEmptyString('expected a directory path'),
          maxBytes: integer(1_048_576).default(256 * 1024 * 1024),
          writeIntervalMs: integer(1, 60_000).default(100),
          fsync: oneOf(['interval', 'never']).default('interval'),
        },
        { error: 'expected { dir, maxBytes?, writeIntervalMs?, fsync? }' },
      )
      .optional(),
  })
  .superRefine((options, ctx) => {
    // Checked only once both are valid numbers: a bad one has its own issue.
    const { terminalReserve, maxQueueSize } = options;
    if (Number.isInteger(terminalReserve) && Number.isInteger(maxQueueSize) && terminalReserve >= maxQueueSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['terminalReserve'],
        message: `expected fewer slots than maxQueueSize (${maxQueueSize}), got ${terminalReserve}`,
        params: NO_ECHO,
      });
    }
  });

/**
 * Compile-time: {@link ReporterOptions} (the documented interface) and the schema take the same
 * options, each as optional and of the same type; `npm run typecheck` fails when they drift.
 */
export type ReporterOptionsMatchSchema = Assert<Matches<ReporterOptions, typeof ReporterOptions>>;
