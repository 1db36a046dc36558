import { catchError, defer, firstValueFrom, forkJoin, of, race, timer, type SchedulerLike } from 'rxjs';
import type { Sink } from '../sinks/sink.js';

/**
 * Shuts every sink down at once, each within `budgetMs` (what is left of the stop deadline). A
 * sink that throws or hangs costs the others nothing: its failure is swallowed, its wait bounded.
 */
export async function shutdownSinks(sinks: readonly Sink[], budgetMs: number, scheduler: SchedulerLike): Promise<void> {
  const done$ = forkJoin(sinks.map((sink) => defer(() => sink.shutdown()).pipe(catchError(() => of(undefined)))));
  await firstValueFrom(race(done$, timer(budgetMs, scheduler)), { defaultValue: undefined });
}

/**
 * A flush request that runs on the scheduler's next turn, never on the caller's stack; requests
 * made before it runs share it.
 */
export function coalescedFlush(scheduler: SchedulerLike, flush: () => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    scheduler.schedule(() => {
      scheduled = false;
      flush();
    });
  };
}
