import { setImmediate as nextTurn } from 'node:timers/promises';
import { TestScheduler } from 'rxjs/testing';
import { expect } from '@jest/globals';

/** A TestScheduler for driving a whole reporter in virtual time (no frame limit). */
export function virtualScheduler(): TestScheduler {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

/**
 * Settles `promise` by alternating virtual time (`scheduler.flush()`) and real event-loop turns
 * (for the promise callbacks in between), so `await reporter.stop()` works under virtual time.
 * Fails loudly instead of spinning forever.
 */
export async function settle<T>(scheduler: TestScheduler, promise: Promise<T>, maxTurns = 1000): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  for (let turn = 0; turn < maxTurns && !done; turn++) {
    scheduler.flush();
    await nextTurn();
  }
  if (!done) throw new Error(`promise still pending after ${maxTurns} turns of virtual time`);
  return tracked;
}

/**
 * Like {@link settle}, but advances virtual time one due moment at a time, with real event-loop
 * turns in between, and answers when (in virtual time) the promise resolved. Use it when work is
 * still scheduled after the moment under test (a retry after a flush's deadline): `settle` would
 * run all of it first.
 */
export async function settleStepwise<T>(scheduler: TestScheduler, promise: Promise<T>, maxTurns = 10_000): Promise<{ value: T; atMs: number }> {
  let done = false;
  let atMs = -1;
  const tracked = promise.finally(() => {
    done = true;
    atMs = scheduler.now();
  });
  try {
    for (let turn = 0; turn < maxTurns && !done; turn++) {
      const next = scheduler.actions[0];
      if (next !== undefined) {
        scheduler.maxFrames = next.delay;
        scheduler.flush();
      }
      await nextTurn();
    }
  } finally {
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
  }
  if (!done) throw new Error(`promise still pending after ${maxTurns} steps of virtual time`);
  return { value: await tracked, atMs };
}
