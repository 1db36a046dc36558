import { describe, expect, it } from '@jest/globals';
import { ExportError } from '../../src/errors/export-error.js';
import { DELIVERED, readAnswer, REFUSED, RETRY, type Answer } from '../../src/sender/read-answer.js';
import type { ExportResult } from '../../src/sinks/sink.js';

const D = DELIVERED;
const X = REFUSED;
const R = RETRY;
const error = new ExportError('sink: partial', { sink: 'sink', code: 'ERR_RXTEL_PARTIAL' });

/** What a sink might return, hostile shapes included (a sink is user code, often plain JavaScript). */
const read = (result: unknown, length: number): Answer => readAnswer('sink', result as ExportResult, length);
const marksOf = (answer: Answer): number[] | undefined => (answer.status === 'settled' ? (answer.marks === undefined ? undefined : [...answer.marks]) : undefined);

describe('readAnswer', () => {
  it('a plain success delivers everything, without marks', () => {
    expect(read({ status: 'success' }, 3)).toEqual({ status: 'settled', marks: undefined, refused: 0, retry: 0, retryAfterMs: undefined, error: undefined, split: false });
    expect(read({ status: 'success', rejected: 0, error }, 3)).toMatchObject({ marks: undefined, refused: 0, error });
  });

  it('split passes on only from a retryable result, and only when it is true', () => {
    expect(read({ status: 'retryable', only: [1], split: true, error }, 3)).toMatchObject({ split: true, retry: 1 });
    expect(read({ status: 'retryable', only: [1], split: 'yes' as unknown as boolean, error }, 3)).toMatchObject({ split: false });
    expect(read({ status: 'success', split: true } as never, 3)).toMatchObject({ split: false });
  });

  it('refusedPositions marks exactly those positions', () => {
    const answer = read({ status: 'success', refusedPositions: [3, 1], rejected: 2, error }, 5);
    expect(marksOf(answer)).toEqual([D, X, D, X, D]);
    expect(answer).toMatchObject({ refused: 2, retry: 0, error });
  });

  it('ignores positions out of range, duplicated or not integers', () => {
    const answer = read({ status: 'success', refusedPositions: [-1, 4, 99, 1.5, Number.NaN, Infinity, '2', null, {}, 2, 2, 0] }, 4);
    expect(marksOf(answer)).toEqual([X, D, X, D]);
    expect(answer).toMatchObject({ refused: 2 });
  });

  it('an empty refusedPositions refuses nothing, whatever rejected says', () => {
    expect(marksOf(read({ status: 'success', refusedPositions: [], rejected: 3 }, 3))).toEqual([D, D, D]);
  });

  it('without refusedPositions (or with one that is not an array), rejected refuses the first positions', () => {
    expect(marksOf(read({ status: 'success', rejected: 2 }, 4))).toEqual([X, X, D, D]);
    expect(marksOf(read({ status: 'success', refusedPositions: 'all', rejected: 1 }, 3))).toEqual([X, D, D]);
    expect(marksOf(read({ status: 'success', refusedPositions: { 0: 1 } }, 2))).toEqual([D, D]);
  });

  it.each<[string, unknown, number]>([
    ['more than the batch', 9, 3],
    ['Infinity', Infinity, 3],
    ['a fraction', 1.7, 1],
    ['NaN', Number.NaN, 0],
    ['negative', -2, 0],
    ['a string', '2', 0],
    ['null', null, 0],
  ])('rejected as %s refuses %i of 3', (_label, rejected, refused) => {
    expect(read({ status: 'success', rejected }, 3)).toMatchObject({ refused, retry: 0 });
  });

  it('retryable with only: those go again, the others are delivered', () => {
    const answer = read({ status: 'retryable', only: [2, 0], error, retryAfterMs: 2000 }, 4);
    expect(marksOf(answer)).toEqual([R, D, R, D]);
    expect(answer).toMatchObject({ refused: 0, retry: 2, retryAfterMs: 2000, error });
  });

  it('a position both in only and refusedPositions is refused, not retried', () => {
    expect(marksOf(read({ status: 'retryable', only: [1, 2], refusedPositions: [2, 3], error }, 4))).toEqual([D, R, X, X]);
  });

  it('retryable without only retries all but the refused; a count then refuses none (all are retried)', () => {
    expect(marksOf(read({ status: 'retryable', refusedPositions: [1], error }, 3))).toEqual([R, X, R]);
    expect(read({ status: 'retryable', rejected: 2, error }, 3)).toMatchObject({ refused: 0, retry: 3 });
  });

  it('rejected counts among the positions not retried', () => {
    expect(marksOf(read({ status: 'retryable', only: [0, 2], rejected: 1, error }, 4))).toEqual([R, X, R, D]);
    expect(marksOf(read({ status: 'retryable', only: [0, 1], rejected: 5, error }, 3))).toEqual([R, R, X]);
  });

  it('only that is not an array retries everything; bad entries are ignored', () => {
    expect(read({ status: 'retryable', only: 3, error }, 2)).toMatchObject({ retry: 2 });
    expect(marksOf(read({ status: 'retryable', only: [-1, 7, 0.5, '1', 1, 1], error }, 3))).toEqual([D, R, D]);
  });

  it('drops a retryAfterMs that is not a finite delay', () => {
    for (const retryAfterMs of [Number.NaN, -5, Infinity, '3000', null]) {
      expect(read({ status: 'retryable', error, retryAfterMs }, 1)).toMatchObject({ retryAfterMs: undefined });
    }
  });

  it('gives a retryable or failed result without an error one that names the sink', () => {
    const retryable = read({ status: 'retryable' }, 1);
    expect(retryable.error).toBeInstanceOf(ExportError);
    expect(retryable.error?.message).toBe('sink: export returned a retryable result without an error');
    const failure = read({ status: 'failure', error: 'boom', payloadTooLarge: 'yes' }, 1);
    expect(failure).toEqual({ status: 'failure', error: expect.any(ExportError), payloadTooLarge: false });
    expect(failure.error?.message).toBe('sink: export returned a failure without an error');
    expect(read({ status: 'success', refusedPositions: [0], error: 42 }, 1)).toMatchObject({ refused: 1, error: undefined });
  });

  it('keeps a failure as it is', () => {
    expect(read({ status: 'failure', error, payloadTooLarge: true }, 4)).toEqual({ status: 'failure', error, payloadTooLarge: true });
  });
});
