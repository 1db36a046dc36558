import { catchError, concat, defer, EMPTY, race, retry, switchMap, tap, throwError, timer, type Observable } from 'rxjs';
import { createHash } from 'node:crypto';
import { halves } from '../batcher/split.js';
import type { TelemetryEvent } from '../events/wire.js';
import type { ResolvedConfig } from '../config/parse-options.js';
import type { ShutdownState } from './shutdown-state.js';
import type { ExportResult, Sink } from '../sinks/sink.js';
import { exportAttempt } from './attempt.js';
import { retryDelay } from './backoff.js';
import type { SinkHealth } from './sink-health.js';

/** The retry and deadline options as parsed, the sink and its health, and the stop state. */
export interface SinkSendOptions extends Pick<ResolvedConfig, 'sessionId' | 'maxRetries' | 'retryBaseDelayMs' | 'httpTimeoutMs' | 'random' | 'scheduler'> {
  readonly sink: Sink;
  readonly health: SinkHealth;
  readonly shutdown: ShutdownState;
  /** Retry retryable failures until they succeed or a stop deadline gives up (the durable spool is on), instead of `maxRetries` times. */
  readonly retryUntilStopped?: boolean;
}

/** A retryable result travelling as an error, so that RxJS's `retry` can drive the backoff. */
class RetryableResult extends Error {
  constructor(readonly result: Extract<ExportResult, { status: 'retryable' }>) {
    super(result.error.message);
  }
}

/**
 * The idempotency key of one part of a batch for one sink: a hash of the sink's name and the
 * part's event ids, so it is the same on every retry and, for events recovered from the spool with
 * their original ids, after a restart too; a 413 split gives each half its own key.
 */
export function idempotencyKey(sink: string, wires: readonly TelemetryEvent[]): string {
  // One update of the joined ids (the same bytes as an update per id: a key from before is the same key).
  let ids = sink;
  for (const wire of wires) ids += `\u0000${wire.event_id}`;
  return createHash('sha256').update(ids).digest('base64url').slice(0, 22);
}

/** 1 at every position of the batch this sink delivered, 0 where it gave up. */
export type Delivered = Uint8Array;

/**
 * Exports `wires` to one sink, with that sink's own retry loop, and completes once every position
 * has an outcome in `delivered`. Never errors.
 *
 * Retry is RxJS's `retry` around a deferred attempt: retryable results (timeouts, connection
 * errors, 408/429/5xx) wait {@link retryDelay} — backoff with jitter, the backend's Retry-After,
 * never past the stop deadline — up to `maxRetries` times; a result with `only` retries just those
 * positions. Every attempt carries the same `batchId` (the idempotency key). A payload-too-large
 * failure splits the part in halves.
 */
export function sendToSink(
  options: SinkSendOptions,
  wires: readonly TelemetryEvent[],
  delivered: Delivered,
  /** The batch's session: the reporter's own, or a recovered one. */
  sessionId: string = options.sessionId,
): Observable<never> {
  const { health, scheduler, shutdown } = options;

  /** Marks `positions` done: all delivered but the first `rejected` of them. */
  const done = (positions: readonly number[], rejected: number, error: Error | undefined): void => {
    const refused = Math.min(rejected, positions.length);
    for (let k = refused; k < positions.length; k++) delivered[positions[k]!] = 1;
    if (positions.length > refused) health.delivered(positions.length - refused);
    if (refused > 0) health.rejected(refused, error?.message ?? `${options.sink.name}: backend refused ${refused} event(s)`);
  };

  const sendPart = (all: readonly number[]): Observable<never> =>
    defer(() => {
      let positions = all;
      const batchId = idempotencyKey(options.sink.name, positions.map((p) => wires[p]!));
      let attempt = 0;
      return defer(() =>
        exportAttempt(options, positions.map((p) => wires[p]!), { batchId, attempt: attempt++, sessionId }),
      ).pipe(
        tap((result) => {
          if (result.status !== 'retryable') return;
          if (result.only !== undefined) {
            const retried = new Set(result.only.filter((k) => Number.isInteger(k) && k >= 0 && k < positions.length));
            done(positions.filter((_, k) => !retried.has(k)), result.rejected ?? 0, result.error);
            positions = positions.filter((_, k) => retried.has(k));
            if (positions.length === 0) return;
          }
          throw new RetryableResult(result);
        }),
        retry({
          // With the durable spool, a retryable failure is never final: the events wait (in flight,
          // and what follows them on disk) until the backend answers again or a stop gives up.
          count: options.retryUntilStopped === true ? Number.POSITIVE_INFINITY : options.maxRetries,
          delay: (error: unknown, retryCount) => {
            const timeLeft = shutdown.timeLeft(scheduler.now());
            if (!(error instanceof RetryableResult) || shutdown.abandoned || timeLeft === 0) return throwError(() => error);
            health.retrying(error.message);
            const delayMs = retryDelay({
              retry: retryCount - 1,
              baseMs: options.retryBaseDelayMs,
              random: options.random,
              retryAfterMs: error.result.retryAfterMs,
              timeLeftMs: timeLeft,
            });
            const giveUp$ = shutdown.abandon$.pipe(switchMap(() => throwError(() => error)));
            return race(timer(delayMs, scheduler), giveUp$);
          },
        }),
        switchMap((result) => {
          if (positions.length === 0) return EMPTY;
          if (result.status === 'success') {
            done(positions, result.rejected ?? 0, result.error);
          } else if (result.status === 'failure' && result.payloadTooLarge === true && positions.length > 1) {
            return concat(...halves(positions).map(sendPart));
          } else {
            health.failed(positions.length, result.error.message);
          }
          return EMPTY;
        }),
        catchError((error: unknown) => {
          const last = error instanceof RetryableResult ? error.result.error : (error as Error);
          health.failed(positions.length, last.message);
          return EMPTY;
        }),
      );
    });

  const { maxBatchBytes } = options.sink;
  if (typeof maxBatchBytes === 'number' && maxBatchBytes > 0) return concat(...partsByBytes(wires, maxBatchBytes).map(sendPart));
  return sendPart(Array.from({ length: wires.length }, (_, i) => i));
}

/**
 * Cuts `positions` into consecutive parts whose JSON stays within `maxBytes` (an event larger than
 * that goes alone: the backend decides). `overhead` is the envelope's size around the events.
 */
export function partsByBytes(wires: readonly TelemetryEvent[], maxBytes: number, overhead = 512): number[][] {
  const parts: number[][] = [];
  let part: number[] = [];
  let bytes = overhead;
  wires.forEach((wire, position) => {
    const size = Buffer.byteLength(JSON.stringify(wire)) + 1;
    if (part.length > 0 && bytes + size > maxBytes) {
      parts.push(part);
      part = [];
      bytes = overhead;
    }
    part.push(position);
    bytes += size;
  });
  if (part.length > 0) parts.push(part);
  return parts;
}
