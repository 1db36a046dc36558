import { catchError, concat, defer, EMPTY, map, race, retry, switchMap, tap, throwError, timer, type Observable } from 'rxjs';
import { createHash } from 'node:crypto';
import { halves } from '../batcher/split.js';
import type { TelemetryEvent } from '../events/wire.js';
import type { ResolvedConfig } from '../config/parse-options.js';
import type { ShutdownState } from './shutdown-state.js';
import type { Sink } from '../sinks/sink.js';
import { exportAttempt } from './attempt.js';
import { retryDelay } from './backoff.js';
import { DELIVERED, readAnswer, RETRY, type SettledAnswer } from './read-answer.js';
import type { SinkHealth } from './sink-health.js';
import type { DebugLog } from '../stats/debug-log.js';

/** The retry and deadline options as parsed, the sink and its health, and the stop state. */
export interface SinkSendOptions extends Pick<ResolvedConfig, 'sessionId' | 'maxRetries' | 'retryBaseDelayMs' | 'httpTimeoutMs' | 'random' | 'scheduler'> {
  readonly sink: Sink;
  readonly health: SinkHealth;
  readonly shutdown: ShutdownState;
  /** Retry retryable failures until they succeed or a stop deadline gives up (the durable spool is on), instead of `maxRetries` times. */
  readonly retryUntilStopped?: boolean;
  /** The `debug` switch's log (each retry and each part's fate), when it is on. */
  readonly debugLog?: DebugLog | undefined;
}

/** An answer with positions to send again, travelling as an error so that RxJS's `retry` can drive the backoff. */
class RetryableResult extends Error {
  constructor(readonly answer: SettledAnswer, error: Error) {
    super(error.message);
  }
}

/** Positions a sink found too large together: they go out again as halves, not as the same request. */
class SplitRequest extends Error {
  constructor(error: Error) {
    super(error.message);
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

/** 1 at every position of the batch this sink delivered, 0 where it gave up or the backend refused it. */
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
 *
 * Each answer is read by {@link readAnswer}: exactly the positions a sink names as refused are
 * marked undelivered. When a part ends, its refusals go to the sink's health at once: a part the
 * backend took none of, refusing every event it did not give up on, counts as a failure.
 */
export function sendToSink(
  options: SinkSendOptions,
  wires: readonly TelemetryEvent[],
  delivered: Delivered,
  /** The batch's session: the reporter's own, or a recovered one. */
  sessionId: string = options.sessionId,
): Observable<never> {
  const { health, scheduler, shutdown, debugLog: debug } = options;
  const name = options.sink.name;

  const sendPart = (all: readonly number[]): Observable<never> =>
    defer(() => {
      let positions = all;
      let deliveredHere = 0;
      /** Of this part: refused for good (told to the debug log; `refusedHere` is reset once told to health). */
      let refusedInAll = 0;
      let refusedHere = 0;
      let refusal: Error | undefined;
      const batchId = idempotencyKey(name, positions.map((p) => wires[p]!));
      let attempt = 0;

      /** Marks what `answer` settled and keeps in `positions` what it sends again. */
      const settle = (answer: SettledAnswer): void => {
        const { marks } = answer;
        let got = 0;
        if (marks === undefined) {
          for (const p of positions) delivered[p] = 1;
          got = positions.length;
          positions = [];
        } else {
          const again: number[] = [];
          positions.forEach((p, k) => {
            if (marks[k] === DELIVERED) {
              delivered[p] = 1;
              got++;
            } else if (marks[k] === RETRY) {
              again.push(p);
            }
          });
          positions = again;
        }
        if (got > 0) health.delivered(got);
        deliveredHere += got;
        if (answer.refused > 0) {
          refusedHere += answer.refused;
          refusedInAll += answer.refused;
          refusal = answer.error ?? refusal;
        }
      };

      /** The part is over: its refusals are told, as a failure when nothing of it got through. */
      const tellRefusals = (): void => {
        if (refusedHere === 0) return;
        health.refused(refusedHere, refusal?.message ?? `${name}: backend refused ${refusedHere} event(s)`, deliveredHere === 0);
        refusedHere = 0;
      };

      /** The part's fate, for the debug log (off: nothing is built). */
      const tellFate = (gaveUp: number, error: string | undefined, refusedNow = 0): void => {
        debug?.batch({ sink: name, size: all.length, attempts: attempt, delivered: deliveredHere, refused: refusedInAll + refusedNow, gaveUp, error: error ?? refusal?.message });
      };

      return defer(() => exportAttempt(options, positions.map((p) => wires[p]!), { batchId, attempt: attempt++, sessionId })).pipe(
        map((result) => readAnswer(name, result, positions.length)),
        tap((answer) => {
          if (answer.status !== 'settled') return;
          settle(answer);
          if (positions.length === 0) return;
          // Too large together: halves go out instead, never the same request again.
          if (answer.split) throw new SplitRequest(answer.error ?? new Error(`${name}: payload too large`));
          throw new RetryableResult(answer, answer.error ?? new Error(`${name}: retryable`));
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
              retryAfterMs: error.answer.retryAfterMs,
              timeLeftMs: timeLeft,
            });
            debug?.retrying(name, all.length, attempt, delayMs, error.message);
            const giveUp$ = shutdown.abandon$.pipe(switchMap(() => throwError(() => error)));
            return race(timer(delayMs, scheduler), giveUp$);
          },
        }),
        switchMap((answer) => {
          if (answer.status === 'failure' && positions.length > 0) {
            if (answer.payloadTooLarge && positions.length > 1) {
              tellRefusals();
              debug?.line(`sink ${name}: batch of ${positions.length} too large for the backend, split in halves`);
              return concat(...halves(positions).map(sendPart));
            }
            health.failed(positions.length, answer.error.message);
            // Refused for good (a non-retryable answer): told as refused, not given up.
            tellFate(0, answer.error.message, positions.length);
          } else {
            tellFate(0, undefined);
          }
          tellRefusals();
          return EMPTY;
        }),
        catchError((error: unknown) => {
          if (error instanceof SplitRequest && positions.length > 1) {
            tellRefusals();
            return concat(...halves(positions).map(sendPart));
          }
          const message = error instanceof Error ? error.message : `${name}: export failed`;
          health.failed(positions.length, message);
          tellFate(positions.length, message);
          tellRefusals();
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
