import { firstValueFrom, map, race, type Observable, type SchedulerLike } from 'rxjs';
import { holdProcessOpen } from '../platform/node.js';
import type { Counters } from '../stats/counters.js';
import { waitForSettled, type DrainResult } from './drain.js';

/** A drain result, and how many of the waited-for events had not settled when the wait ended. */
export interface WaitResult extends DrainResult {
  readonly pending: number;
}

const NOT_REACHED: DrainResult = { reached: false, delivered: false };

/**
 * Every explicit wait of the reporter (`flush`, `waitUntilDrained`, the fatal path, the stop
 * sequence): ask for a flush, then wait until the first `target` accepted events have settled, or
 * `timeoutMs` passes, or `passed$` emits (the stop sequence's moving deadline). A wait with a
 * timeout holds the process open for exactly as long as it lasts: the one place telemetry may do so.
 */
export class Waits {
  constructor(
    private readonly counters: Counters,
    private readonly scheduler: SchedulerLike,
    /** Cuts the batcher now (unless the reporter is closed). */
    private readonly flush: () => void,
  ) {}

  async flushAndWait(
    target: number | (() => number),
    timeoutMs: number | undefined,
    from = this.counters.settledInOrder,
    passed$?: Observable<void>,
  ): Promise<WaitResult> {
    const { counters } = this;
    // Built before the flush: a synchronous sink may settle (or fail) the batch inside next().
    const settled$ = waitForSettled(counters, target, timeoutMs, this.scheduler, from);
    const targetOf = typeof target === 'function' ? target : () => target;
    const pending = () => Math.max(0, targetOf() - counters.settledInOrder);
    // Counted when the wait ends, not when the caller's continuation runs: retries go on meanwhile.
    const wait$ = (passed$ === undefined ? settled$ : race(settled$, passed$.pipe(map(() => NOT_REACHED)))).pipe(
      map((result): WaitResult => ({ ...result, pending: result.reached ? 0 : pending() })),
    );
    this.flush();
    const release = timeoutMs === undefined ? undefined : holdProcessOpen(timeoutMs);
    try {
      return await firstValueFrom(wait$, { defaultValue: { ...NOT_REACHED, pending: pending() } });
    } finally {
      release?.();
    }
  }
}
