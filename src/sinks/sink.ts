import type { ObservableInput } from 'rxjs';
import type { TelemetryEvent } from '../events/wire.js';

/**
 * What a sink says about one export attempt. Failure is data: a sink never throws and never
 * retries on its own; the reporter owns retry, backoff and deadlines.
 *
 * - `success`: the backend has the batch, but for the events it refused for good (a 207 with 4xx
 *   items, an OTLP partial success): those count as failed for this sink, are never retried, and
 *   `error` says why.
 * - `retryable`: try again later; `retryAfterMs` is the backend's own wish (Retry-After). With
 *   `only`, just those positions of the batch are retried; the others are done (delivered, or
 *   refused). The reporter waits at most {@link MAX_RETRY_DELAY_MS}.
 * - `failure`: do not retry. `payloadTooLarge` asks the reporter to split the batch in halves and
 *   send each half instead (HTTP 413).
 *
 * Which events were refused: name them in `refusedPositions` (positions in the `batch` this
 * `export` call was given, 0-based). A sink whose backend only gives a count (OTLP's
 * `partialSuccess`) returns `rejected` instead, and the reporter then takes the first `rejected`
 * positions not retried as the refused ones: right for this sink's own counts, a guess for
 * fan-out's (see docs/sinks.md). With `refusedPositions` present `rejected` is ignored, so a sink
 * may set both for readers of older versions. The reporter reads what a sink returns defensively:
 * positions out of range, duplicated or not integers are ignored, a count is clamped to the
 * positions it can cover, and a position both in `only` and `refusedPositions` is refused, not
 * retried.
 *
 * @example
 * ```ts
 * // Positions 1 and 4 refused for good, the rest delivered.
 * const partial: ExportResult = { status: 'success', refusedPositions: [1, 4], rejected: 2, error: new Error('backend: 2 of 6 events refused') };
 * // Position 0 refused, 2 and 3 to be sent again, the rest delivered.
 * const again: ExportResult = { status: 'retryable', only: [2, 3], refusedPositions: [0], error: new Error('backend: 503 for 2 items') };
 * ```
 */
export type ExportResult =
  | {
      readonly status: 'success';
      /** The positions of `batch` the backend refused for good (the others it has). */
      readonly refusedPositions?: readonly number[];
      /** How many events the backend refused, when it does not say which (ignored beside `refusedPositions`). */
      readonly rejected?: number;
      readonly error?: Error;
    }
  | {
      readonly status: 'retryable';
      readonly retryAfterMs?: number;
      readonly error: Error;
      /** The positions of `batch` to send again; unset: all of them (but the refused). */
      readonly only?: readonly number[];
      /** The positions of `batch` the backend refused for good: never retried, even when also in `only`. */
      readonly refusedPositions?: readonly number[];
      /** How many of the positions not retried the backend refused, when it does not say which (ignored beside `refusedPositions`). */
      readonly rejected?: number;
      /**
       * The positions to send again were too large together (a 413 beside a part that got through):
       * the reporter splits them in halves before sending them again, never resending that request.
       */
      readonly split?: boolean;
    }
  | { readonly status: 'failure'; readonly error: Error; readonly payloadTooLarge?: boolean };

/**
 * The longest wait before a retry, whoever asks: a backend's `Retry-After` (the HTTP sinks cap what
 * they read at it) and the reporter's own exponential backoff. A larger (or hostile) Retry-After
 * must not park a batch for hours; the caller's deadlines still cut it shorter.
 *
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '3600' }), 0) === MAX_RETRY_DELAY_MS; // true
 * retryDelay({ retry: 10, baseMs: 1000, random }) === MAX_RETRY_DELAY_MS; // true
 * ```
 */
export const MAX_RETRY_DELAY_MS = 60_000;

/** Whether a sink may receive raw content. */
export type ContentCapture = 'raw' | 'redacted';

/** What the reporter tells a sink about the batch it is exporting. */
export interface ExportContext {
  /** Stable for one batch across all its retries, different for every batch (an idempotency key). */
  readonly batchId: string;
  /** 0 for the first attempt, 1 for the first retry, … */
  readonly attempt: number;
  /** The reporter's session id (a UUID). */
  readonly sessionId: string;
}

/**
 * A destination for telemetry. Small on purpose: export one batch, shut down.
 *
 * `export` returns a Promise (or any ObservableInput: the test helpers script sinks with cold
 * Observables so that whole pipelines run in virtual time). It must honour `signal`: when the
 * reporter aborts (attempt timeout, stop deadline) the sink stops waiting and resolves.
 *
 * @example
 * ```ts
 * const sink: Sink = {
 *   name: 'stdout',
 *   async export(batch) { for (const e of batch) console.log(JSON.stringify(e)); return { status: 'success' }; },
 *   async shutdown() {},
 * };
 * ```
 */
export interface Sink {
  /** Unique among a reporter's sinks: it names the sink in `stats().sinks`, errors and health events. */
  readonly name: string;
  /**
   * Whether raw `event_data.content` (prompts, model output) may reach this sink when the
   * reporter's `captureContent` is on. `'redacted'` (the default) replaces it with
   * `{ redacted: true, chars }`.
   */
  readonly contentCapture?: ContentCapture;
  /** Largest request body in bytes: the reporter cuts this sink's batches to fit. Unset: no bound but the backend's 413. */
  readonly maxBatchBytes?: number | undefined;
  export(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): ObservableInput<ExportResult>;
  shutdown(): Promise<void>;
}
