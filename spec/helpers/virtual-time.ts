import { setImmediate as nextTurn } from 'node:timers/promises';
import { TestScheduler } from 'rxjs/testing';
import { expect } from '@jest/globals';

/**
 * A TestScheduler for driving a whole reporter in virtual time. `maxVirtualMs` bounds virtual
 * time: a timer that keeps re-arming itself then fails the test (its promise never settles)
 * instead of hanging it.
 */
export function virtualScheduler(maxVirtualMs = Number.POSITIVE_INFINITY): TestScheduler {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.maxFrames = maxVirtualMs;
  return scheduler;
}

/**
 * Runs virtual time up to `atMs` exactly: every action due by then runs, later ones stay pending,
 * and `scheduler.now()` is `atMs` afterwards (as if that much time had passed).
 */
export function runUntil(scheduler: TestScheduler, atMs: number): void {
  if (atMs < scheduler.now()) throw new Error(`runUntil(${atMs}): virtual time is already at ${scheduler.now()}`);
  const bound = scheduler.maxFrames;
  scheduler.schedule(() => undefined, atMs - scheduler.now());
  scheduler.maxFrames = atMs;
  try {
    scheduler.flush();
  } finally {
    scheduler.maxFrames = bound;
  }
}

/** Alternates `advance` (virtual time) and real event-loop turns (promise callbacks) until `promise` settles. */
async function alternate<T>(promise: Promise<T>, advance: () => void, maxTurns: number, what: string): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  for (let turn = 0; turn < maxTurns && !done; turn++) {
    advance();
    await nextTurn();
  }
  if (!done) throw new Error(`promise still pending after ${maxTurns} ${what} of virtual time`);
  return tracked;
}

/**
 * Settles `promise` by running all of virtual time that is scheduled (`scheduler.flush()`), then
 * a real event-loop turn for the promise callbacks, and again. Use it when only the outcome
 * matters: every timer runs as soon as it can, however far away, so a promise continuation runs
 * after every timer scheduled before it (an attempt's timeout far past a deadline included).
 */
export async function settleAll<T>(scheduler: TestScheduler, promise: Promise<T>, maxTurns = 1000): Promise<T> {
  return alternate(promise, () => scheduler.flush(), maxTurns, 'turns');
}

/**
 * Settles `promise` like real time would: advances virtual time one due instant at a time (every
 * action due at that instant, nothing later), with a real event-loop turn in between, so promise
 * continuations (stop's abandon step, …) run at the instant they were due, before later timers.
 * Answers the value and the virtual time at which the promise settled.
 */
export async function settledAt<T>(scheduler: TestScheduler, promise: Promise<T>, maxTurns = 10_000): Promise<{ value: T; atMs: number }> {
  const bound = scheduler.maxFrames;
  let atMs = Number.NaN;
  const timed = promise.finally(() => {
    atMs = scheduler.now();
  });
  try {
    const value = await alternate(
      timed,
      () => {
        const next = scheduler.actions[0];
        if (next === undefined || next.delay > bound) return;
        scheduler.maxFrames = next.delay;
        scheduler.flush();
      },
      maxTurns,
      'instants',
    );
    return { value, atMs };
  } finally {
    scheduler.maxFrames = bound;
  }
}

/** {@link settledAt}, answering only the value. */
export async function settleInstantByInstant<T>(scheduler: TestScheduler, promise: Promise<T>, maxTurns = 10_000): Promise<T> {
  return (await settledAt(scheduler, promise, maxTurns)).value;
}
