import type { TestScheduler } from 'rxjs/testing';
import type { ReporterOptions } from '../../src/config/options.js';
import { createReporter } from '../../src/create-reporter.js';
import type { ContentCapture } from '../../src/sinks/sink.js';
import { ScriptedSink, success, type Step } from './scripted-sink.js';
import { runUntil, settleAll, settledAt, settleInstantByInstant, virtualScheduler } from './virtual-time.js';

export interface VirtualReporterSetup {
  /** Reporter options, over the helper's own: `sinks`, `scheduler` and a `logger` that collects `warnings`. */
  readonly options?: Partial<ReporterOptions>;
  /** The scripted sink's answers, in order; then `fallback` (default: success) answers. */
  readonly steps?: Step[];
  readonly fallback?: Step;
  /** The scripted sink's name and content capture. */
  readonly sink?: { readonly name?: string; readonly contentCapture?: ContentCapture };
  /** Other sinks instead of the one scripted sink (several, or of another class), on the reporter's scheduler. */
  readonly sinks?: (scheduler: TestScheduler) => ScriptedSink[];
  /** A bound on virtual time (see {@link virtualScheduler}). */
  readonly maxVirtualMs?: number;
  /** The scheduler to use (one inside `scheduler.run`, for marbles) instead of a new one. */
  readonly scheduler?: TestScheduler;
}

/**
 * A whole reporter in virtual time: a TestScheduler, a {@link ScriptedSink} answering on it (or
 * the sinks given), the warnings its logger heard, and the ways to settle its promises.
 *
 * @example
 * ```ts
 * const { reporter, sink, settleAll } = virtualReporter({ options: { flushIntervalMs: 0 }, steps: [retryable()] });
 * reporter.log('a');
 * expect(await settleAll(reporter.stop())).toBe(true);
 * expect(sink.calls).toHaveLength(2);
 * ```
 */
export function virtualReporter(setup: VirtualReporterSetup = {}) {
  const scheduler = setup.scheduler ?? virtualScheduler(setup.maxVirtualMs);
  const sinks = setup.sinks?.(scheduler) ?? [new ScriptedSink(scheduler, setup.steps ?? [], setup.fallback ?? success, setup.sink)];
  const warnings: string[] = [];
  const reporter = createReporter({ sinks, scheduler, logger: { warn: (message) => warnings.push(message) }, ...setup.options });
  return {
    scheduler,
    reporter,
    /** The first (or only) sink. */
    sink: sinks[0]!,
    sinks,
    warnings,
    /** Runs virtual time up to `atMs` exactly (later timers stay pending). */
    runUntil: (atMs: number) => runUntil(scheduler, atMs),
    /** Runs all scheduled virtual time between event-loop turns until `promise` settles: for outcomes. */
    settleAll: <T>(promise: Promise<T>) => settleAll(scheduler, promise),
    /** Advances virtual time one due instant per event-loop turn until `promise` settles: for timing. */
    settleInstantByInstant: <T>(promise: Promise<T>) => settleInstantByInstant(scheduler, promise),
    /** Like settleInstantByInstant, and answers the virtual time it settled at. */
    settledAt: <T>(promise: Promise<T>) => settledAt(scheduler, promise),
  };
}

export type VirtualReporter = ReturnType<typeof virtualReporter>;
