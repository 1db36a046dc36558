import { catchError, concat, defer, EMPTY, finalize, race, retry, switchMap, tap, throwError, timer, type Observable, type SchedulerLike } from 'rxjs';
import { nanoid } from 'nanoid';
import type { Logger } from '../config/options.js';
import type { EventRecord } from '../events/event-record.js';
import type { TelemetryEvent } from '../events/wire.js';
import type { Counters } from '../batcher/counters.js';
import { halves } from '../batcher/split.js';
import type { ShutdownState } from '../lifecycle/shutdown-state.js';
import type { ExportResult, Sink } from '../sinks/sink.js';
import { exportAttempt } from './attempt.js';
import { retryDelay } from './backoff.js';
import { OrderedSettlement, type Ticket } from './ordered-settlement.js';

export interface SenderOptions {
  readonly sink: Sink;
  readonly sessionId: string;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly httpTimeoutMs: number;
  readonly random: () => number;
  readonly scheduler: SchedulerLike;
  readonly counters: Counters;
  readonly shutdown: ShutdownState;
  readonly logger: Logger;
}

/** A retryable result travelling as an error, so that RxJS's `retry` can drive the backoff. */
class RetryableResult extends Error {
  constructor(readonly result: Extract<ExportResult, { status: 'retryable' }>) {
    super(result.error.message);
  }
}

/**
 * Builds the sender: `send(records)` exports one batch and completes once every event in it has
 * settled — delivered, or given up and counted as `sendFailed`. It never errors, so one bad
 * batch cannot end the pipeline.
 *
 * Retry is RxJS's `retry` around a deferred attempt: retryable results (timeouts, connection
 * errors, 408/429/5xx) wait {@link retryDelay} — backoff with jitter, the backend's Retry-After,
 * never past the stop deadline — up to `maxRetries` times. Every attempt of a batch carries the
 * same `batchId` (the idempotency key). A payload-too-large failure splits the batch in halves.
 * Several batches may be in flight; their settlements still count in acceptance order.
 */
export function createSender(options: SenderOptions): (records: EventRecord[]) => Observable<never> {
  const { sink, counters, shutdown, scheduler, logger } = options;
  const health = counters.sink(sink.name);
  const order = new OrderedSettlement();

  const settle = (ticket: Ticket, records: readonly EventRecord[], result: ExportResult): void =>
    order.settle(ticket, () => count(records, result));

  const count = (records: readonly EventRecord[], result: ExportResult): void => {
    if (result.status === 'success') {
      counters.batches++;
      health.delivered += records.length;
      if (health.state === 'failed') logger.warn(`sink ${sink.name} recovered`);
      health.state = 'healthy';
      counters.settle(records.length, true);
      return;
    }
    health.failed += records.length;
    health.lastError = result.error.message;
    if (health.state !== 'failed') logger.warn(`sink ${sink.name} gave up on ${records.length} event(s): ${result.error.message}`);
    health.state = 'failed';
    counters.settle(records.length, false);
  };

  const send = (records: EventRecord[], ticket: Ticket, wires?: TelemetryEvent[]): Observable<never> =>
    defer(() => {
      // Built once per batch: every retry, and both halves of a split, send the same event ids.
      const batch = wires ?? records.map((record) => record.toWire());
      const batchId = nanoid();
      let attempt = 0;
      return defer(() => exportAttempt(options, batch, { batchId, attempt: attempt++, sessionId: options.sessionId })).pipe(
        tap((result) => {
          if (result.status === 'retryable') throw new RetryableResult(result);
        }),
        retry({
          count: options.maxRetries,
          delay: (error: unknown, retryCount) => {
            const timeLeft = shutdown.timeLeft(scheduler.now());
            if (!(error instanceof RetryableResult) || shutdown.abandoned || timeLeft === 0) return throwError(() => error);
            counters.retries++;
            health.retries++;
            health.state = 'degraded';
            health.lastError = error.message;
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
          if (result.status === 'failure' && result.payloadTooLarge === true && records.length > 1) {
            const [first, second] = halves(records);
            const [firstWires, secondWires] = halves(batch);
            return concat(send(first, ticket, firstWires), send(second, ticket, secondWires));
          }
          settle(ticket, records, result);
          return EMPTY;
        }),
        catchError((error: unknown) => {
          const last = error instanceof RetryableResult ? error.result.error : (error as Error);
          settle(ticket, records, { status: 'failure', error: last });
          return EMPTY;
        }),
      );
    });

  return (records) =>
    defer(() => {
      const ticket = order.take();
      return send(records, ticket).pipe(finalize(() => order.done(ticket)));
    });
}
