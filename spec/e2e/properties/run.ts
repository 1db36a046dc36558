/**
 * One run of the property-based end-to-end test (spec/e2e/properties.spec.ts): a real reporter
 * against the real receiver on 127.0.0.1, playing the model's actions, then the checks. Every await
 * of a run is bounded, so a hang fails the run (with fast-check's seed and counterexample) instead
 * of the whole file.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReporterStats } from '../../../src/stats/counters.js';
import { createReporter } from '../../../src/create-reporter.js';
import { ExportError } from '../../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../../src/events/wire.js';
import { startReceiver } from '../../../src/receiver/receiver.js';
import type { Reporter } from '../../../src/reporter/types.js';
import type { ExportContext, ExportResult, Sink } from '../../../src/sinks/sink.js';
import { TinkerHttpSink } from '../../../src/sinks/tinker-http-sink.js';
import { atMost, checkObserved, checkReceiver, holds, invariantProblems, regressions, same, type Attempt } from './checks.js';
import { API_KEY, MAX_DELAY_MS, type Action, type RunOptions } from './model.js';

/** `promise`, or a rejection naming `what` after `ms`: a liveness bound, so a hang fails the run. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `done` until it holds, or fails naming `what`. */
async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`${what}: still not true after ${ms} ms`);
    await sleep(5);
  }
}

/**
 * The sink `createReporter` builds (a `TinkerHttpSink` on the receiver), with every attempt
 * recorded. It changes nothing the reporter sees: same name, same `maxBatchBytes`, same results.
 */
class SpySink implements Sink {
  readonly name: string;
  readonly maxBatchBytes: number | undefined;
  readonly attempts: Attempt[] = [];
  pending = 0;

  constructor(private readonly inner: TinkerHttpSink) {
    this.name = inner.name;
    this.maxBatchBytes = inner.maxBatchBytes;
  }

  async export(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    this.pending++;
    try {
      const result = await this.inner.export(batch, signal, context);
      const httpStatus = result.status === 'success' ? 200 : result.error instanceof ExportError ? result.error.status : undefined;
      this.attempts.push({
        key: context.batchId,
        attempt: context.attempt,
        ids: batch.map((e) => e.event_id),
        status: result.status,
        httpStatus,
        payloadTooLarge: result.status === 'failure' && result.payloadTooLarge === true,
        used: !signal.aborted,
      });
      return result;
    } finally {
      this.pending--;
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** How often the interesting cases came up (printed with RXTEL_PROPERTY_STATS=1; RXTEL_PROPERTY_RUNS overrides numRuns for a soak). */
export const seen = { lostResponses: 0, lateEvents: 0, splits: 0, evicted: 0, coalesced: 0, sendFailed: 0, stopsNotAllDelivered: 0, observed: 0, runs: 0, slowestRunMs: 0 };

/** A flush waits at most for ~40 faulted requests (14 actions × 3 times) of ≤ 260 ms each, plus ordinary ones. */
const FLUSH_BOUND_MS = 15_000;

/** What came up in one run (for the coverage numbers and the pinned scenarios). */
export interface RunSummary {
  /** The receiver stored a batch whose answer the reporter never read. */
  readonly lost: boolean;
  /** Observed runs: events stored although the reporter counted them sendFailed. */
  readonly late: number;
  /** Some event went out under two keys (a 413 split). */
  readonly split: boolean;
  readonly duplicates: number;
  readonly stats: ReporterStats;
  readonly stopped: boolean;
}

export async function run(options: RunOptions, actions: readonly Action[]): Promise<RunSummary> {
  const startedAt = performance.now();
  const receiver = await startReceiver({ apiKey: API_KEY });
  const warnings: string[] = [];
  const spy = options.observed ? new SpySink(new TinkerHttpSink({ endpoint: receiver.url, apiKey: API_KEY, timeoutMs: options.httpTimeoutMs })) : undefined;
  const { observed: _observed, stopTimeoutMs, ...reporterOptions } = options;
  let reporter: Reporter | undefined;
  try {
    reporter = createReporter({
      ...(spy === undefined ? { endpoint: receiver.url, apiKey: API_KEY } : { sinks: [spy] }),
      ...reporterOptions,
      logger: { warn: (m) => warnings.push(m) },
    });
    const r = reporter;

    // (1) The invariant on every emission, for the whole run. Collected, never thrown: the
    // subscriber runs inside the reporter's pipeline.
    const violations: string[] = [];
    let last: ReporterStats | undefined;
    let emissions = 0;
    let completed = false;
    const subscription = r.stats$.subscribe({
      next(s) {
        emissions++;
        for (const p of invariantProblems(s, options.maxQueueSize)) violations.push(`stats$ #${emissions}: ${p}`);
        if (last !== undefined) for (const p of regressions(last, s)) violations.push(`stats$ #${emissions}: ${p}`);
        last = s;
      },
      complete: () => (completed = true),
    });

    let logged = 0;
    for (const [i, action] of actions.entries()) {
      const where = `action ${i} (${action.kind})`;
      switch (action.kind) {
        case 'log':
          r.log(action.name, action.coalesceKey === undefined ? { n: logged++ } : { n: logged++, coalesceKey: action.coalesceKey });
          break;
        case 'burst':
          for (let k = 0; k < action.n; k++) r.log(action.name, action.coalesce ? { n: logged++, coalesceKey: `k${k % 3}` } : { n: logged++ });
          break;
        case 'fault':
          receiver.inject({ status: action.status, times: action.times });
          break;
        case 'delay':
          receiver.inject(action.status === undefined ? { delayMs: action.delayMs, times: action.times } : { delayMs: action.delayMs, status: action.status, times: action.times });
          break;
        case 'recover':
          receiver.clearFaults();
          break;
        case 'flush': {
          // (2) flush() resolves (bounded: retries and timeouts are), and then everything accepted before it has settled.
          const before = r.stats().accepted;
          await within(r.flush(), FLUSH_BOUND_MS, `flush() at ${where}`);
          atMost(`accepted before flush() vs settled after it, ${where}`, before, r.stats().settled);
          break;
        }
        case 'drain': {
          const before = r.stats().accepted;
          const drained = await within(r.waitUntilDrained(action.timeoutMs), action.timeoutMs + 2000, `waitUntilDrained(${action.timeoutMs}) at ${where}`);
          if (drained) atMost(`accepted before waitUntilDrained() = true vs settled after it, ${where}`, before, r.stats().settled);
          break;
        }
        case 'pause':
          await sleep(action.ms);
          break;
      }
      same(`invariant after ${where}`, invariantProblems(r.stats(), options.maxQueueSize), []);
      same(`stats$ emissions up to ${where}`, violations, []);
    }

    // (3) Stop. Past its deadline stop abandons what is left: bounded by the deadline and a turn or two.
    const stopped = await within(r.stop(stopTimeoutMs), stopTimeoutMs + 3000, `stop(${stopTimeoutMs})`);
    subscription.unsubscribe();
    const final = r.stats();
    same('invariant after stop()', invariantProblems(final, options.maxQueueSize), []);
    same('stats$ emissions', violations, []);
    holds('stats$ emitted', emissions > 0);
    holds('stats$ completed after stop()', completed);
    same('settled and queued after stop()', { settled: final.settled, queued: final.queued }, { settled: final.accepted, queued: 0 });

    // What reached the receiver is final once nothing more can: every attempt of the sink has
    // resolved (the reporter's sink was shut down by stop), and closing the receiver cuts what is
    // still on the wire. Such a request is lost, as on a real network: the checks allow that
    // (stored is bounded by delivered + sendFailed). The receiver still finishes what it holds: a
    // delayed batch is stored and answered even after the reporter went away.
    if (spy !== undefined) await until(() => spy.pending === 0, 2000, 'spy sink resolving every attempt');
    await receiver.close();
    await until(() => receiver.requests.every((q) => q.status !== 0), MAX_DELAY_MS + 2000, 'receiver answering every request');

    // (4) No event twice, nothing the reporter did not accept.
    const wire = checkReceiver(receiver, r.sessionId, final, options);
    const observed = spy === undefined ? undefined : checkObserved(spy.attempts, wire, receiver, final, options);
    const summary: RunSummary = {
      lost: receiver.duplicates > 0 || observed?.lost === true,
      late: observed?.late ?? 0,
      split: [...wire.keysOfId.values()].some((keys) => keys.length > 1),
      duplicates: receiver.duplicates,
      stats: final,
      stopped,
    };

    if (summary.lost) seen.lostResponses++;
    if (summary.late > 0) seen.lateEvents++;
    if (summary.split) seen.splits++;
    if (!stopped) seen.stopsNotAllDelivered++;
    if (final.dropped.evicted > 0) seen.evicted++;
    if (final.dropped.coalesced > 0) seen.coalesced++;
    if (final.dropped.sendFailed > 0) seen.sendFailed++;
    if (spy !== undefined) seen.observed++;
    seen.runs++;
    seen.slowestRunMs = Math.max(seen.slowestRunMs, Math.round(performance.now() - startedAt));
    return summary;
  } finally {
    // A run that failed early still must not leave a reporter or a socket behind.
    await reporter?.stop(100).catch(() => undefined);
    await receiver.close();
  }
}
