import { ExportError } from '../errors/export-error.js';
import type { ExportResult } from '../sinks/sink.js';

/** An answer's verdict on one position of the batch it answers. */
export const DELIVERED = 0;
export const REFUSED = 1;
export const RETRY = 2;

/**
 * One {@link ExportResult}, read against the batch it answers. `settled`: every position is
 * delivered, refused for good or to be sent again (a success, or a retryable result); `failure`:
 * none got through.
 */
export type Answer =
  | {
      readonly status: 'settled';
      /** Per position: {@link DELIVERED}, {@link REFUSED} or {@link RETRY}; undefined when all were delivered. */
      readonly marks: Uint8Array | undefined;
      readonly refused: number;
      readonly retry: number;
      readonly retryAfterMs: number | undefined;
      /** Why some were refused or must go again, when the sink said. */
      readonly error: Error | undefined;
      /** Those to go again must be split in halves first (they were too large together). */
      readonly split: boolean;
    }
  | { readonly status: 'failure'; readonly error: Error; readonly payloadTooLarge: boolean };

/** An answer with positions settled (delivered, refused, or to send again). */
export type SettledAnswer = Extract<Answer, { status: 'settled' }>;

const ALL_DELIVERED: SettledAnswer = { status: 'settled', marks: undefined, refused: 0, retry: 0, retryAfterMs: undefined, error: undefined, split: false };

const isPosition = (value: unknown, length: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < length;

const isErrorLike = (value: unknown): value is Error =>
  typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';

/** A count a sink gave: a whole number from 0 to `max` (NaN, negatives and non-numbers are 0; Infinity is `max`). */
function countOf(value: unknown, max: number): number {
  return typeof value === 'number' && value > 0 ? Math.min(max, Math.floor(value)) : 0;
}

/**
 * Reads what a sink answered for a batch of `length` events, defensively: a sink is user code, and
 * whatever it returns must leave every position with exactly one verdict. Positions (`only`,
 * `refusedPositions`) out of range, duplicated or not integers are ignored; a list that is not an
 * array is as if absent; `rejected` is clamped to what it can cover and, without
 * `refusedPositions`, marks the first positions that are not retried (the backend gave a count,
 * not which: the guess docs/sinks.md describes); a refused position is never retried; a
 * `retryAfterMs` that is not a finite delay is dropped; a missing error gets one naming the sink.
 *
 * @example
 * ```ts
 * readAnswer('lf', { status: 'retryable', only: [1, 2, 7], refusedPositions: [2, 2, -1], error }, 4);
 * // { status: 'settled', marks: Uint8Array [0, 2, 1, 0], refused: 1, retry: 1, … }
 * ```
 */
export function readAnswer(sink: string, result: ExportResult, length: number): Answer {
  if (result.status === 'failure') {
    return { status: 'failure', error: errorOf(sink, result.error, 'a failure'), payloadTooLarge: result.payloadTooLarge === true };
  }
  const retryable = result.status === 'retryable';
  const { refusedPositions, rejected } = result;
  // The common case, without an allocation: everything delivered.
  if (!retryable && refusedPositions === undefined && (rejected === undefined || rejected === 0)) {
    return result.error === undefined ? ALL_DELIVERED : { ...ALL_DELIVERED, error: isErrorLike(result.error) ? result.error : undefined };
  }
  const marks = new Uint8Array(length);
  if (retryable) {
    const { only } = result;
    if (Array.isArray(only)) {
      for (const k of only as readonly unknown[]) if (isPosition(k, length)) marks[k] = RETRY;
    } else {
      marks.fill(RETRY);
    }
  }
  if (Array.isArray(refusedPositions)) {
    for (const k of refusedPositions as readonly unknown[]) if (isPosition(k, length)) marks[k] = REFUSED;
  } else {
    let left = countOf(rejected, length);
    for (let k = 0; k < length && left > 0; k++) {
      if (marks[k] !== DELIVERED) continue;
      marks[k] = REFUSED;
      left--;
    }
  }
  let refused = 0;
  let retry = 0;
  for (const mark of marks) {
    if (mark === REFUSED) refused++;
    else if (mark === RETRY) retry++;
  }
  const retryAfterMs = retryable ? delayOf(result.retryAfterMs) : undefined;
  const error = retryable ? errorOf(sink, result.error, 'a retryable result') : isErrorLike(result.error) ? result.error : undefined;
  const split = retryable && result.split === true;
  return { status: 'settled', marks, refused, retry, retryAfterMs, error, split };
}

function delayOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function errorOf(sink: string, value: unknown, what: string): Error {
  return isErrorLike(value) ? value : new ExportError(`${sink}: export returned ${what} without an error`, { sink });
}
