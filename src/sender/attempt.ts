import { catchError, defaultIfEmpty, defer, finalize, map, of, race, take, timer, type Observable, type SchedulerLike } from 'rxjs';
import { ExportError } from '../errors/export-error.js';
import type { TelemetryEvent } from '../events/wire.js';
import type { ShutdownState } from './shutdown-state.js';
import type { ExportContext, ExportResult, Sink } from '../sinks/sink.js';

export interface AttemptOptions {
  readonly sink: Sink;
  readonly httpTimeoutMs: number;
  readonly scheduler: SchedulerLike;
  readonly shutdown: ShutdownState;
}

const isResult = (value: unknown): value is ExportResult => {
  const status = (value as ExportResult | undefined)?.status;
  return status === 'success' || status === 'retryable' || status === 'failure';
};

function asError(sink: string, thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new ExportError(`${sink}: export threw ${typeof thrown === 'string' ? thrown : typeof thrown}`, { sink });
}

/**
 * One export attempt of one batch, as an Observable of exactly one {@link ExportResult}. Whatever
 * the sink does — throws, rejects, returns garbage, never answers — the attempt ends: a throw is
 * retryable, garbage is a failure, silence is cut by the attempt timeout (the sink's signal is
 * aborted with a `TimeoutError`) and by the stop deadline (aborted, failure).
 */
export function exportAttempt(
  options: AttemptOptions,
  batch: readonly TelemetryEvent[],
  context: ExportContext,
): Observable<ExportResult> {
  const { sink, scheduler, shutdown } = options;
  return defer(() => {
    const timeLeft = shutdown.timeLeft(scheduler.now());
    // No attempt can succeed in no time: at the deadline, give up without calling the sink.
    if (shutdown.abandoned || timeLeft === 0) return of(stopped(sink.name));
    const controller = new AbortController();
    let settled = false;
    const timeoutMs = timeLeft === undefined ? options.httpTimeoutMs : Math.min(options.httpTimeoutMs, timeLeft);

    const exported$ = defer(() => sink.export(batch, controller.signal, context)).pipe(
      take(1),
      map((result): ExportResult =>
        isResult(result)
          ? result
          : { status: 'failure', error: new ExportError(`${sink.name}: export returned no ExportResult`, { sink: sink.name }) },
      ),
      // Built only when needed: an Error's stack trace is not free on every attempt.
      defaultIfEmpty<ExportResult, undefined>(undefined),
      map(
        (result): ExportResult =>
          result ?? { status: 'retryable', error: new ExportError(`${sink.name}: export completed without a result`, { sink: sink.name }) },
      ),
      catchError((thrown: unknown) => of<ExportResult>({ status: 'retryable', error: asError(sink.name, thrown) })),
    );
    const timedOut$ = timer(timeoutMs, scheduler).pipe(
      map((): ExportResult => {
        const error = new ExportError(`${sink.name}: no answer within ${Math.round(timeoutMs)} ms`, { sink: sink.name, code: 'ERR_RXTEL_TIMEOUT' });
        controller.abort(new DOMException(error.message, 'TimeoutError'));
        return { status: 'retryable', error };
      }),
    );
    const abandoned$ = shutdown.abandon$.pipe(map(() => stopped(sink.name)));

    return race(exported$, timedOut$, abandoned$).pipe(
      take(1),
      map((result) => {
        settled = true;
        return result;
      }),
      finalize(() => {
        // A sink still working on an attempt nobody waits for must stop (and free its socket).
        if ((!settled || shutdown.abandoned) && !controller.signal.aborted) {
          controller.abort(new DOMException('attempt abandoned', 'AbortError'));
        }
      }),
    );
  });
}

function stopped(sink: string): ExportResult {
  return {
    status: 'failure',
    error: new ExportError(`${sink}: abandoned at the caller's deadline`, { sink, code: 'ERR_RXTEL_ABORTED' }),
  };
}
