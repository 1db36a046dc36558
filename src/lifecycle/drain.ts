import { filter, map, race, startWith, take, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { Counters } from '../stats/counters.js';

/** The answer of an explicit wait: did everything reach the end, and did all of it get delivered? */
export interface DrainResult {
  /** Every event up to the target settled before the deadline. */
  readonly reached: boolean;
  /** None of the events settled while waiting (up to the target) was given up. */
  readonly delivered: boolean;
}

/**
 * Waits until the first `target` accepted events have settled (a function target is re-read on
 * every change: stop waits for terminal events that arrive while it waits), or `timeoutMs` passes (on the
 * reporter's scheduler). Batches settle in acceptance order, so "settled ≥ target" means exactly
 * "every event accepted before the wait began has settled", whatever else arrives meanwhile.
 * Failures are watched while waiting so the caller learns whether its events were delivered.
 */
export function waitForSettled(
  counters: Counters,
  target: number | (() => number),
  timeoutMs: number | undefined,
  scheduler: SchedulerLike,
  /** Settlements before this position happened before the caller's call and do not count. */
  from = counters.settledInOrder,
): Observable<DrainResult> {
  const targetOf = typeof target === 'function' ? target : () => target;
  let delivered = true;
  const reached$ = counters.changes$.pipe(
    startWith(undefined),
    filter(() => {
      const failure = counters.lastFailure;
      const until = targetOf();
      if (failure !== undefined && failure.end > from && failure.start < until) delivered = false;
      return counters.settledInOrder >= until;
    }),
    take(1),
    map((): DrainResult => ({ reached: true, delivered })),
  );
  if (timeoutMs === undefined) return reached$;
  return race(reached$, timer(timeoutMs, scheduler).pipe(map((): DrainResult => ({ reached: false, delivered: false }))));
}
