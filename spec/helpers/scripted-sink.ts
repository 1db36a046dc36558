import { NEVER, of, throwError, timer, map, type Observable, type SchedulerLike } from 'rxjs';
import type { GenericEvent, TelemetryEvent } from '../../src/events/wire.js';
import type { ContentCapture, ExportContext, ExportResult, Sink } from '../../src/sinks/sink.js';
import { ExportError } from '../../src/errors/export-error.js';

/**
 * One scripted answer: a result (at once or after `delayMs` of scheduler time), a hang, a throw, or
 * an Observable to return as it is (a marble test's cold one, whose subscriptions it then checks).
 */
export type Step =
  | ExportResult
  | { readonly hang: true }
  | { readonly throws: unknown }
  | { readonly delayMs: number; readonly result: ExportResult }
  | { readonly answer$: Observable<ExportResult> };

export interface RecordedCall {
  readonly batch: readonly TelemetryEvent[];
  readonly context: ExportContext;
  readonly atMs: number;
  readonly signal: AbortSignal;
}

export const success: ExportResult = { status: 'success' };
export const retryable = (retryAfterMs?: number): ExportResult => ({
  status: 'retryable',
  error: new ExportError('scripted: 503', { sink: 'scripted', status: 503 }),
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});
export const failure = (payloadTooLarge = false): ExportResult => ({
  status: 'failure',
  error: new ExportError(payloadTooLarge ? 'scripted: 413' : 'scripted: 400', { sink: 'scripted', status: payloadTooLarge ? 413 : 400 }),
  ...(payloadTooLarge ? { payloadTooLarge } : {}),
});

/**
 * A sink that answers from a script in the reporter's (virtual) time, so whole pipelines run under
 * `TestScheduler`. Steps are used in order; when they run out, `fallback` answers.
 */
export class ScriptedSink implements Sink {
  readonly name: string;
  readonly contentCapture: ContentCapture | undefined;
  readonly calls: RecordedCall[] = [];
  shutdowns = 0;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly steps: Step[] = [],
    private readonly fallback: Step = success,
    options: { readonly name?: string; readonly contentCapture?: ContentCapture } = {},
  ) {
    this.name = options.name ?? 'scripted';
    this.contentCapture = options.contentCapture;
  }

  export(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Observable<ExportResult> {
    this.calls.push({ batch, context, atMs: this.scheduler.now(), signal });
    const step = this.steps.shift() ?? this.fallback;
    if ('hang' in step) return NEVER;
    if ('throws' in step) return throwError(() => step.throws);
    if ('delayMs' in step) return timer(step.delayMs, this.scheduler).pipe(map(() => step.result));
    if ('answer$' in step) return step.answer$;
    return of(step);
  }

  /** Events of every call, flattened (duplicates included, as the backend would see them). */
  get events(): TelemetryEvent[] {
    return this.calls.flatMap((call) => call.batch);
  }

  /** The GENERIC_EVENTs among {@link events}; only those named `name` when it is given. */
  generic(name?: string): GenericEvent[] {
    return this.events.filter((e): e is GenericEvent => e.event === 'GENERIC_EVENT' && (name === undefined || e.event_name === name));
  }

  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}
