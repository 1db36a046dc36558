/**
 * Property-based, end to end: a real reporter against the real receiver on 127.0.0.1, driven by
 * random sequences of log / burst / fault / delay / recover / flush / waitUntilDrained / pause,
 * under random (small) options. Nothing is mocked: every request crosses loopback.
 *
 * What must hold, whatever the sequence:
 *
 * 1. The stats invariant `accepted = delivered + dropped.sendFailed + dropped.evicted + queued`,
 *    with `queued >= 0`, on every `stats$` emission for the whole run and after every action;
 *    the cumulative counters never go down; `queued` never exceeds `maxQueueSize` (+ the single
 *    SESSION_END, which always gets in).
 * 2. `flush()` resolves, and when it does every event accepted before the call has settled;
 *    `waitUntilDrained(t)` answering `true` means the same.
 * 3. After `stop(timeout)`: `settled === accepted`, `queued === 0`, `stats$` has completed.
 * 4. No event is delivered twice, and the receiver holds only events the reporter accepted, each
 *    index once (see "What delivered twice means" below).
 *
 * What "delivered twice" means. The receiver ignores `x-idempotency-key`: it stores each
 * `event_id` once and counts a re-sent one in `duplicates` (receiver.ts, `store`). So its stored
 * `events` never hold an `event_id` twice by construction, and a batch can legitimately reach it
 * twice: a retry after a *lost response* — the attempt timed out (`httpTimeoutMs`) or was
 * abandoned at the stop deadline while the receiver, delayed by a fault, still stored it and
 * answered 200 to nobody. Such a retry carries the same idempotency key, so a backend that honours
 * the key stores it once. The only way the reporter sends an event under a *new* key is the 413
 * split (docs/wire-format.md: "split the batch in halves and send each (new idempotency keys)").
 * (Those halves then go out under new keys even when an earlier attempt of the whole batch was
 * stored and its answer lost: a key-deduplicating backend would store such events twice. Documented
 * behaviour, and only reachable here because the fault queue answers 413 to a retry of a batch it
 * already stored; it is pinned by a scenario below and allowed by the lineage rule.)
 * So an event is delivered twice when:
 *  - the reporter is told "stored" (it *uses* a 2xx) for it more than once, or
 *  - it goes out under two idempotency keys that are not a 413 split of one another, or
 *  - two requests with one key carry different events, or one index comes with two event ids.
 *
 * Delivered vs stored. `stats.delivered` counts the events whose 2xx the reporter used. The
 * receiver can hold more: events whose only 2xx came after the reporter had given up on the
 * attempt (timed out, abandoned at the deadline); the reporter then retried (same key) and
 * finally counted the batch `sendFailed` (retries exhausted, a later 4xx/5xx, the stop deadline).
 * That does happen here (a delay fault longer than `httpTimeoutMs`, then failing faults). The
 * receiver alone cannot tell a 2xx the reporter read from one it never read, so half of the runs
 * (`observed`) give the reporter a spy around the very sink `createReporter` would build (a real
 * `TinkerHttpSink` on the receiver's URL): it records each attempt's result and whether the
 * reporter still waited for it. Those runs check exactly: `delivered` = the events of used 2xx
 * answers, each once; every late event's 200 answers are accounted for by attempts whose answer
 * the reporter never used. The other runs go through `createReporter({ endpoint, apiKey })` and
 * check the bounds `delivered <= stored <= delivered + sendFailed`.
 *
 * Timing: options keep every wait short (retry base 0–5 ms, HTTP timeout 60–200 ms, delays up to
 * 250 ms), and every await of a run is bounded, so a hang fails the run (with fast-check's seed
 * and counterexample) instead of the whole file.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ReporterStats } from '../../src/stats/counters.js';
import { createReporter } from '../../src/create-reporter.js';
import { ExportError } from '../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { startReceiver, TELEMETRY_PATH, type Receiver } from '../../src/receiver/receiver.js';
import type { Reporter } from '../../src/reporter/types.js';
import type { ExportContext, ExportResult, Sink } from '../../src/sinks/sink.js';
import { TinkerHttpSink } from '../../src/sinks/tinker-http-sink.js';

const API_KEY = 'sk-test-properties-0123456789';
const NAMES = ['ui.click', 'cache.miss', 'job.progress'] as const;
const MAX_HTTP_TIMEOUT_MS = 200;
const MAX_DELAY_MS = 250;

// ---------------------------------------------------------------------------------------------
// The model: options and actions
// ---------------------------------------------------------------------------------------------

interface RunOptions {
  readonly maxQueueSize: number;
  readonly maxBatchSize: number;
  readonly flushThreshold: number;
  readonly flushIntervalMs: number;
  readonly overflow: 'drop-newest' | 'drop-oldest';
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxInFlightBatches: number;
  readonly httpTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** Spy on the sink's attempts (exact delivered-vs-stored accounting) instead of `endpoint`. */
  readonly observed: boolean;
}

type Action =
  | { readonly kind: 'log'; readonly name: string; readonly coalesceKey: string | undefined }
  | { readonly kind: 'burst'; readonly name: string; readonly n: number; readonly coalesce: boolean }
  | { readonly kind: 'fault'; readonly status: 503 | 500 | 429 | 400 | 413; readonly times: number }
  | { readonly kind: 'delay'; readonly delayMs: number; readonly status: 503 | undefined; readonly times: number }
  | { readonly kind: 'recover' }
  | { readonly kind: 'flush' }
  | { readonly kind: 'drain'; readonly timeoutMs: number }
  | { readonly kind: 'pause'; readonly ms: number };

const optionsArb: fc.Arbitrary<RunOptions> = fc.record({
  // Small queues half of the time, so that bursts overflow them (queueFull, evicted).
  maxQueueSize: fc.oneof(fc.integer({ min: 8, max: 16 }), fc.integer({ min: 8, max: 64 })),
  maxBatchSize: fc.integer({ min: 1, max: 20 }),
  // Often above the queue: events then wait uncut, where drop-oldest can evict and coalescing can merge.
  flushThreshold: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constant(100)),
  flushIntervalMs: fc.constantFrom(0, 5, 25),
  overflow: fc.constantFrom('drop-newest' as const, 'drop-oldest' as const),
  maxRetries: fc.integer({ min: 0, max: 3 }),
  retryBaseDelayMs: fc.integer({ min: 0, max: 5 }),
  maxInFlightBatches: fc.integer({ min: 1, max: 3 }),
  httpTimeoutMs: fc.integer({ min: 60, max: MAX_HTTP_TIMEOUT_MS }),
  // 100 ms often cuts a run short (abandoned batches); 3 s lets every bounded retry finish.
  stopTimeoutMs: fc.constantFrom(100, 300, 3000),
  observed: fc.boolean(),
});

const name = fc.constantFrom(...NAMES);
const times = fc.integer({ min: 1, max: 3 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('log' as const), name, coalesceKey: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) }) },
  {
    weight: 2,
    // Small bursts, or ones that overflow most queues.
    arbitrary: fc.record({ kind: fc.constant('burst' as const), name, n: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 30, max: 50 })), coalesce: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fault' as const), status: fc.constantFrom(503 as const, 500 as const, 429 as const, 400 as const, 413 as const), times }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delay' as const),
      // Short, anywhere, or past every httpTimeoutMs (a stored batch whose answer the reporter never reads).
      delayMs: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: MAX_DELAY_MS }), fc.integer({ min: MAX_HTTP_TIMEOUT_MS, max: MAX_DELAY_MS })),
      status: fc.option(fc.constant(503 as const), { nil: undefined }),
      times,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'recover' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drain' as const), timeoutMs: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 40 }) }) },
);
const actionsArb = fc.array(actionArb, { minLength: 1, maxLength: 14 });

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

/** Every way a snapshot can break the invariant, as messages (empty when it holds). */
function invariantProblems(s: ReporterStats, maxQueueSize: number): string[] {
  const problems: string[] = [];
  const sum = s.delivered + s.dropped.sendFailed + s.dropped.evicted + s.queued;
  if (s.accepted !== sum) {
    problems.push(
      `accepted ${s.accepted} ≠ delivered ${s.delivered} + sendFailed ${s.dropped.sendFailed} + evicted ${s.dropped.evicted} + queued ${s.queued} (= ${sum})`,
    );
  }
  if (s.queued < 0) problems.push(`queued ${s.queued} < 0`);
  if (s.settled > s.accepted) problems.push(`settled ${s.settled} > accepted ${s.accepted}`);
  if (s.delivered + s.dropped.sendFailed > s.settled) problems.push(`delivered ${s.delivered} + sendFailed ${s.dropped.sendFailed} > settled ${s.settled}`);
  // The single SESSION_END always gets in, even into a full queue.
  if (s.queued > maxQueueSize + 1) problems.push(`queued ${s.queued} > maxQueueSize ${maxQueueSize} + 1`);
  return problems;
}

const MONOTONE = ['accepted', 'settled', 'delivered', 'retries', 'batches'] as const;
const MONOTONE_DROPS = ['sendFailed', 'evicted', 'queueFull', 'coalesced'] as const;

/** Every counter that went down between two snapshots. */
function regressions(before: ReporterStats, after: ReporterStats): string[] {
  const problems: string[] = [];
  for (const key of MONOTONE) if (after[key] < before[key]) problems.push(`${key} went down: ${before[key]} → ${after[key]}`);
  for (const key of MONOTONE_DROPS) {
    if (after.dropped[key] < before.dropped[key]) problems.push(`dropped.${key} went down: ${before.dropped[key]} → ${after.dropped[key]}`);
  }
  return problems;
}

/** One export attempt as the sink saw it, and whether the reporter used its result. */
interface Attempt {
  readonly key: string;
  readonly attempt: number;
  readonly ids: readonly string[];
  readonly status: ExportResult['status'];
  /** The HTTP status of the answer, when one arrived (200 for a success). */
  readonly httpStatus: number | undefined;
  readonly payloadTooLarge: boolean;
  /**
   * The reporter still waited for this result. It aborts an attempt's signal synchronously when
   * its attempt timer or the stop deadline wins the race, and reads a result in the microtasks
   * right after the sink's promise resolves; so "not aborted when the result is ready" is exactly
   * "the reporter used it".
   */
  readonly used: boolean;
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

interface Post {
  readonly key: string;
  readonly status: number;
  readonly sessionId: string;
  readonly events: readonly TelemetryEvent[];
  readonly ids: readonly string[];
}

function postsOf(receiver: Receiver): Post[] {
  return receiver.requests
    .filter((r) => r.method === 'POST' && r.path === TELEMETRY_PATH)
    .map((r) => {
      const body = r.body as { session_id: string; events: TelemetryEvent[] };
      const key = r.headers['x-idempotency-key'];
      return { key: typeof key === 'string' ? key : '', status: r.status, sessionId: body.session_id, events: body.events, ids: body.events.map((e) => e.event_id) };
    });
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

// ---------------------------------------------------------------------------------------------
// Labelled assertions: a failing property names what broke (fast-check adds seed and counterexample)
// ---------------------------------------------------------------------------------------------

function same<T>(what: string, actual: T, expected: T): void {
  expect({ [what]: actual }).toEqual({ [what]: expected });
}

function atMost(what: string, actual: number, bound: number): void {
  expect({ [what]: actual <= bound ? 'ok' : `${actual} > ${bound}` }).toEqual({ [what]: 'ok' });
}

function holds(what: string, condition: boolean): void {
  same(what, condition, true);
}

// ---------------------------------------------------------------------------------------------
// One run
// ---------------------------------------------------------------------------------------------

/** How often the interesting cases came up (printed with RXTEL_PROPERTY_STATS=1; RXTEL_PROPERTY_RUNS overrides numRuns for a soak). */
const seen = { lostResponses: 0, lateEvents: 0, splits: 0, evicted: 0, coalesced: 0, sendFailed: 0, stopsNotAllDelivered: 0, observed: 0, runs: 0, slowestRunMs: 0 };

/** A flush waits at most for ~40 faulted requests (14 actions × 3 times) of ≤ 260 ms each, plus ordinary ones. */
const FLUSH_BOUND_MS = 15_000;

/** What came up in one run (for the coverage numbers and the pinned scenarios). */
interface RunSummary {
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

async function run(options: RunOptions, actions: readonly Action[]): Promise<RunSummary> {
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

    // Let the receiver finish what it still delays (it stores a delayed batch even after the
    // reporter went away), and the sink resolve every abandoned attempt; twice, for a request that
    // was still on the wire the first time.
    for (let pass = 0; pass < 2; pass++) {
      await until(() => receiver.requests.every((q) => q.status !== 0), MAX_DELAY_MS + 2000, 'receiver answering every request');
      if (spy !== undefined) await until(() => spy.pending === 0, 2000, 'spy sink resolving every attempt');
      await sleep(20);
    }

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

/** What the receiver saw, grouped for the observed checks. */
interface Wire {
  /** The requests of each idempotency key, in arrival order. */
  readonly byKey: ReadonlyMap<string, readonly Post[]>;
  /** The keys each event went out under. */
  readonly keysOfId: ReadonlyMap<string, readonly string[]>;
  readonly storedIds: ReadonlySet<string>;
}

/** The receiver's side, for both kinds of runs. */
function checkReceiver(receiver: Receiver, sessionId: string, final: ReporterStats, options: RunOptions): Wire {
  const posts = postsOf(receiver);
  const stored = receiver.events;
  const storedIds = new Set(stored.map((e) => e.event_id));
  same('distinct event ids among stored events', storedIds.size, stored.length);
  for (const post of posts) {
    same('session_id of a request', post.sessionId, sessionId);
    holds('a request has an x-idempotency-key', post.key !== '');
    holds(`a request has 1..maxBatchSize (${options.maxBatchSize}) events, not ${post.events.length}`, post.events.length >= 1 && post.events.length <= options.maxBatchSize);
  }
  // Each stored event is of this session, was accepted (indexes are 0..accepted-1, in the door's
  // order), and holds its (session_id, event_session_index) alone.
  const indexes = new Set<number>();
  for (const event of stored) {
    same('session_id of a stored event', event.session_id, sessionId);
    atMost('stored event_session_index + 1 vs accepted', event.event_session_index + 1, final.accepted);
    holds(`event_session_index ${event.event_session_index} stored once`, !indexes.has(event.event_session_index));
    indexes.add(event.event_session_index);
  }
  // Evicted events are never sent.
  atMost('stored events vs accepted - evicted', stored.length, final.accepted - final.dropped.evicted);
  // Across every request, an index always comes with the same event id.
  const idOfIndex = new Map<number, string>();
  for (const event of posts.flatMap((p) => p.events)) {
    const known = idOfIndex.get(event.event_session_index);
    if (known !== undefined) same(`event id of index ${event.event_session_index}`, event.event_id, known);
    idOfIndex.set(event.event_session_index, event.event_id);
  }
  // A key names one batch: every request with it carries the same events, at most 1 + maxRetries times.
  const byKey = new Map<string, Post[]>();
  for (const post of posts) byKey.set(post.key, [...(byKey.get(post.key) ?? []), post]);
  for (const [key, list] of byKey) {
    for (const post of list) holds(`requests with key ${key} carry the same events`, sameList(post.ids, list[0]!.ids));
    atMost(`requests with key ${key} vs 1 + maxRetries`, list.length, options.maxRetries + 1);
  }
  // An event goes out under two keys only through a 413 split: one key's events strictly contain
  // the other's, and that key was answered 413.
  const keysOfId = new Map<string, string[]>();
  for (const [key, list] of byKey) for (const id of list[0]!.ids) keysOfId.set(id, [...(keysOfId.get(id) ?? []), key]);
  for (const [id, keys] of keysOfId) {
    for (const a of keys) {
      for (const b of keys) {
        if (a === b) continue;
        const [parent, child] = byKey.get(a)![0]!.ids.length > byKey.get(b)![0]!.ids.length ? [a, b] : [b, a];
        const parentIds = new Set(byKey.get(parent)![0]!.ids);
        const childIds = byKey.get(child)![0]!.ids;
        const nested = parentIds.size > childIds.length && childIds.every((x) => parentIds.has(x));
        const answered413 = byKey.get(parent)!.some((p) => p.status === 413);
        same(`event ${id} under keys ${parent} and ${child}`, { nested, answered413 }, { nested: true, answered413: true });
      }
    }
  }
  // The receiver's duplicates are re-sent copies of stored events, nothing else.
  const ok = posts.filter((p) => p.status === 200);
  same('receiver.duplicates', receiver.duplicates, ok.reduce((sum, p) => sum + p.events.length, 0) - stored.length);
  // Every stored event was counted delivered, or given up after a 2xx the reporter never read.
  atMost('delivered vs stored', final.delivered, stored.length);
  atMost('stored - delivered vs sendFailed', stored.length - final.delivered, final.dropped.sendFailed);
  atMost('batches vs requests answered 200', final.batches, ok.length);
  return { byKey, keysOfId, storedIds };
}

/** The exact accounting of an observed run: what the reporter read of each attempt vs what the receiver did. */
function checkObserved(attempts: readonly Attempt[], wire: Wire, receiver: Receiver, final: ReporterStats, options: RunOptions): { lost: boolean; late: number } {
  const { byKey, keysOfId, storedIds } = wire;
  const used2xx = attempts.filter((a) => a.used && a.status === 'success');
  const delivered = new Set(used2xx.flatMap((a) => a.ids));
  // Told "stored" at most once per event: the sizes of the used 2xx answers add up to their distinct events.
  same('events of used 2xx answers (with repeats)', used2xx.reduce((sum, a) => sum + a.ids.length, 0), delivered.size);
  same('stats.delivered vs distinct events of used 2xx answers', final.delivered, delivered.size);
  same('stats.batches vs used 2xx answers', final.batches, used2xx.length);
  for (const id of delivered) holds(`delivered event ${id} is stored`, storedIds.has(id));

  // Per key: attempts numbered from 0, at most 1 + maxRetries, all with the same events; each
  // answer the sink got is one the receiver gave; the receiver's other answers for the key (lost
  // on the way) are no more than the attempts that got no answer (timed out, abandoned, network).
  const attemptsByKey = new Map<string, Attempt[]>();
  for (const a of attempts) attemptsByKey.set(a.key, [...(attemptsByKey.get(a.key) ?? []), a]);
  let retried = 0;
  let lost = false;
  for (const [key, list] of attemptsByKey) {
    same(`attempt numbers of key ${key}`, list.map((a) => a.attempt).sort((x, y) => x - y), list.map((_, i) => i));
    atMost(`attempts of key ${key} vs 1 + maxRetries`, list.length, options.maxRetries + 1);
    retried += list.length - 1;
    for (const a of list) holds(`attempts of key ${key} carry the same events`, sameList(a.ids, list[0]!.ids));
    const answers = (byKey.get(key) ?? []).map((p) => p.status);
    for (const a of list) {
      if (a.httpStatus === undefined) continue;
      const at = answers.indexOf(a.httpStatus);
      holds(`answer ${a.httpStatus} to key ${key} came from the receiver`, at >= 0);
      answers.splice(at, 1);
    }
    atMost(`answers to key ${key} the sink never got vs its unanswered attempts`, answers.length, list.filter((a) => a.httpStatus === undefined).length);
    if (answers.length > 0) lost = true;
  }
  atMost('attempts after a first vs stats.retries', retried, final.retries);
  // A new key for events already sent comes only after the reporter read a 413 for the larger batch.
  for (const [id, keys] of keysOfId) {
    if (keys.length < 2) continue;
    const largest = keys.reduce((a, b) => (byKey.get(b)![0]!.ids.length > byKey.get(a)![0]!.ids.length ? b : a));
    holds(`event ${id} under ${keys.length} keys: the reporter read a 413 for ${largest}`, (attemptsByKey.get(largest) ?? []).some((a) => a.used && a.payloadTooLarge));
  }
  // Nobody but the sink posted: every key the receiver saw is one the sink sent.
  for (const key of byKey.keys()) holds(`key ${key} was sent by the sink`, attemptsByKey.has(key));

  // Late events: stored, never delivered. Each was stored by a 2xx the reporter did not read
  // (no used 2xx for its key), and its batch was counted sendFailed.
  const late = [...storedIds].filter((id) => !delivered.has(id));
  same('stored events vs delivered + late', receiver.events.length, final.delivered + late.length);
  atMost('late events vs sendFailed', late.length, final.dropped.sendFailed);
  for (const id of late) {
    const unread = (keysOfId.get(id) ?? []).some(
      (key) => (byKey.get(key) ?? []).some((p) => p.status === 200) && !(attemptsByKey.get(key) ?? []).some((a) => a.used && a.status === 'success'),
    );
    holds(`late event ${id} was stored by a 2xx the reporter did not read`, unread);
  }
  return { lost, late: late.length };
}

// ---------------------------------------------------------------------------------------------

describe('reporter → receiver, random sequences (fast-check)', () => {
  it('keeps the stats invariant at every moment, settles everything on stop, and delivers no event twice', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(optionsArb, actionsArb, async (options, actions) => {
          await run(options, actions);
        }),
        {
          numRuns: Number(process.env['RXTEL_PROPERTY_RUNS'] ?? 40),
          // A failure shrinks with real network round trips: bound that too, and keep the counterexample found so far.
          plugins: [fc.interruptAfterTimeLimit(90_000, { failOnInterrupt: true })],
        },
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    if (process.env['RXTEL_PROPERTY_STATS'] === '1') console.log(seen);
  }, 120_000);

  // The random runs reach the subtle cases only now and then (RXTEL_PROPERTY_STATS=1 shows how
  // often); these pin each one, with the same checks, so that every run of the file covers them.
  const base: RunOptions = {
    maxQueueSize: 64,
    maxBatchSize: 20,
    flushThreshold: 100,
    flushIntervalMs: 0,
    overflow: 'drop-newest',
    maxRetries: 2,
    retryBaseDelayMs: 0,
    maxInFlightBatches: 1,
    httpTimeoutMs: 60,
    stopTimeoutMs: 3000,
    observed: true,
  };
  const log: Action = { kind: 'log', name: 'ui.click', coalesceKey: undefined };
  const flush: Action = { kind: 'flush' };
  // Stored 400 ms after it arrived, long after the reporter's 60 ms attempt timeout: a wide margin on a busy machine.
  const lostAnswer: Action = { kind: 'delay', delayMs: 400, status: undefined, times: 1 };

  it('a 2xx the reporter never reads, then no retry left: stored, yet counted sendFailed (late events)', async () => {
    const summary = await run({ ...base, maxRetries: 0 }, [log, lostAnswer, flush]);
    expect(summary).toMatchObject({ lost: true, late: 2, duplicates: 0 });
    expect(summary.stats.dropped.sendFailed).toBeGreaterThanOrEqual(2);
  });

  it('a 2xx the reporter never reads, then a retry: stored twice under one idempotency key, delivered once', async () => {
    const summary = await run(base, [log, lostAnswer, flush]);
    expect(summary).toMatchObject({ lost: true, late: 0, duplicates: 2, split: false });
    expect(summary.stats.dropped.sendFailed).toBe(0);
  });

  it('a batch in flight at the stop deadline, stored after it: late, counted sendFailed', async () => {
    const summary = await run({ ...base, httpTimeoutMs: 1000, stopTimeoutMs: 100 }, [log, lostAnswer]);
    expect(summary).toMatchObject({ lost: true, stopped: false });
    expect(summary.late).toBeGreaterThanOrEqual(2);
  });

  it('a 413 splits the batch under new keys; after a lost 2xx the halves are stored again (same events, new keys)', async () => {
    const split = await run(base, [{ kind: 'burst', name: 'ui.click', n: 5, coalesce: false }, { kind: 'fault', status: 413, times: 1 }, flush]);
    expect(split).toMatchObject({ split: true, duplicates: 0 });
    const lostThenSplit = await run(base, [{ kind: 'burst', name: 'ui.click', n: 5, coalesce: false }, lostAnswer, { kind: 'fault', status: 413, times: 1 }, flush]);
    expect(lostThenSplit).toMatchObject({ split: true, lost: true, late: 0 });
    expect(lostThenSplit.duplicates).toBeGreaterThan(0);
  });

  it('drop-oldest evicts and coalescing merges, within the invariant', async () => {
    const summary = await run({ ...base, maxQueueSize: 8, overflow: 'drop-oldest', observed: false }, [
      { kind: 'burst', name: 'job.progress', n: 30, coalesce: false },
      { kind: 'burst', name: 'job.progress', n: 30, coalesce: true },
      flush,
    ]);
    expect(summary.stats.dropped.evicted).toBeGreaterThan(0);
    expect(summary.stats.dropped.coalesced).toBeGreaterThan(0);
  });
});
