import type { ObservableInput } from 'rxjs';
import type { TelemetryEvent } from '../events/wire.js';

/**
 * What a sink says about one export attempt. Failure is data: a sink never throws and never
 * retries on its own; the reporter owns retry, backoff and deadlines.
 *
 * - `success`: the backend has the batch. `rejected` events of it were refused for good by the
 *   backend (OTLP partial success, Langfuse 207 with 4xx items): they count as failed for this
 *   sink and are never retried; `error` says why.
 * - `retryable`: try again later; `retryAfterMs` is the backend's own wish (Retry-After). With
 *   `only`, just those positions of the batch are retried (the others are done: delivered, or
 *   among `rejected`). The reporter waits at most {@link MAX_RETRY_DELAY_MS}.
 * - `failure`: do not retry. `payloadTooLarge` asks the reporter to split the batch in halves and
 *   send each half instead (HTTP 413).
 */
export type ExportResult =
  | { readonly status: 'success'; readonly rejected?: number; readonly error?: Error }
  | {
      readonly status: 'retryable';
      readonly retryAfterMs?: number;
      readonly error: Error;
      readonly only?: readonly number[];
      readonly rejected?: number;
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
