import { firstValueFrom, map, race, Subscription, type Observable } from 'rxjs';
import type { Counters, ReporterStats } from '../stats/counters.js';
import { counterViews, type ReporterHealth } from '../stats/observe.js';
import type { ResolvedConfig } from '../config/parse-options.js';
import type { EventRecord } from '../events/event-record.js';
import { exceptionEvent, genericEvent } from '../events/factory.js';
import { llmEventData } from '../events/llm-events.js';
import type { SeverityInput } from '../events/severity.js';
import { FlushCommand, type Inbox } from '../inbox/commands.js';
import { waitForSettled, type DrainResult } from '../lifecycle/drain.js';
import type { HealthMonitor } from '../observability/health.js';
import { holdProcessOpen } from '../platform/node.js';
import { Session } from '../lifecycle/session.js';
import { coalescedFlush, shutdownSinks } from '../lifecycle/shutdown-sinks.js';
import type { ShutdownState } from '../sender/shutdown-state.js';
import { StopCallers, type StopDeadline } from '../lifecycle/stop-callers.js';
import type { Sender } from '../sender/send-batch.js';
import type { Sink } from '../sinks/sink.js';
import type { EventReplay, EventView } from './replay.js';
import { attachStream } from './attach.js';
import { ScopedReporter } from './scoped-reporter.js';
import { startSpan, type Span, type SpanOptions } from './span.js';
import type { AttachOptions, BusEvent, CorrelationIds, FlushResult, Reporter } from './types.js';

/** The parts `createReporter` wires together. */
export interface ReporterParts {
  readonly config: ResolvedConfig;
  readonly inbox: Inbox;
  readonly counters: Counters;
  readonly shutdown: ShutdownState;
  readonly sinks: readonly Sink[];
  readonly sender: Sender;
  readonly monitor: HealthMonitor;
  readonly replay: EventReplay;
  readonly pipeline$: Observable<never>;
}

const FLUSH = new FlushCommand();
const NOT_REACHED: DrainResult = { reached: false, delivered: false };

/** A drain result, and how many of the waited-for events had not settled when the wait ended. */
interface WaitResult extends DrainResult {
  readonly pending: number;
}
/** Abandoned batches settle on the next turns of the loop; this only bounds a bug. */
const ABANDON_SETTLE_MS = 100;
/**
 * Kept back before the stop deadline (at most a tenth of the stop's time) for the last
 * `telemetry.health`, with what the deadline made the reporter give up.
 */
const FINAL_REPORT_RESERVE_MS = 250;

/**
 * The enabled reporter. Its methods only put commands into the inbox and wait on counters; all
 * state changes happen in the pipeline (see `buildPipeline`).
 */
export class RxtelReporter implements Reporter {
  readonly enabled = true;
  readonly sessionId: string;
  readonly drained$: Observable<boolean>;
  readonly stats$: Observable<ReporterStats>;
  readonly health$: Observable<ReporterHealth>;
  readonly events$: Observable<EventView>;
  // A #private field: util.inspect(reporter) must never show the options (they hold the API key).
  readonly #config: ResolvedConfig;
  private readonly inbox: Inbox;
  private readonly counters: Counters;
  private readonly shutdown: ShutdownState;
  readonly #parts: ReporterParts;
  private readonly session: Session;
  private readonly attachments = new Subscription();
  private readonly limits: { maxStringLength: number };
  private closed = false;
  private toldUnattributed = false;
  /** The pipeline failed: the session can no longer end properly. */
  private broken = false;
  /** Exceptions ask for a flush without sending on the caller's stack; several share one. */
  private readonly scheduleFlush: () => void;
  private readonly stopCallers: StopCallers;

  constructor(parts: ReporterParts) {
    ({ inbox: this.inbox, counters: this.counters, shutdown: this.shutdown } = parts);
    this.#parts = parts;
    this.#config = parts.config;
    this.sessionId = this.#config.sessionId;
    this.limits = { maxStringLength: this.#config.maxStringLength };
    ({ stats$: this.stats$, drained$: this.drained$, health$: this.health$ } = counterViews(this.counters, this.#config.maxQueueSize));
    this.events$ = parts.replay.events$;
    parts.pipeline$.subscribe({ error: (error: unknown) => this.pipelineFailed(error) });
    this.scheduleFlush = coalescedFlush(this.#config.scheduler, () => this.closed || this.inbox.next(FLUSH));
    this.stopCallers = new StopCallers(this.#config.scheduler, this.shutdown, (deadline) => this.runStop(deadline));
    this.session = new Session(this.now());
    this.offer(this.session.start());
  }

  log(name: string, data?: unknown, severity?: SeverityInput): boolean {
    try {
      return this.offer(genericEvent(this.now(), name, data, severity));
    } catch {
      return false;
    }
  }

  logException(error: unknown, severity?: SeverityInput): boolean {
    try {
      const accepted = this.offer(exceptionEvent(this.now(), error, severity, 'ERROR', this.limits));
      if (accepted) this.scheduleFlush();
      return accepted;
    } catch {
      return false;
    }
  }

  async logFatalException(error: unknown, severity?: SeverityInput): Promise<boolean> {
    const timeoutMs = this.#config.flushTimeoutMs;
    const from = this.counters.settledInOrder;
    const release = this.shutdown.addDeadline(this.now() + timeoutMs);
    try {
      const accepted = this.offer(exceptionEvent(this.now(), error, severity, 'CRITICAL', this.limits, true));
      this.endSession();
      const result = await this.flushAndWait(this.counters.accepted, timeoutMs, from);
      return accepted && result.reached && result.delivered;
    } catch {
      return false;
    } finally {
      release();
    }
  }

  async flush(timeoutMs?: number): Promise<FlushResult> {
    // No deadline registered: a flush's deadline ends the caller's wait, never the events' retries.
    const { pending } = await this.flushAndWait(this.counters.accepted, this.timeoutOr(timeoutMs));
    return { pending };
  }

  async waitUntilDrained(timeoutMs?: number): Promise<boolean> {
    const result = await this.flushAndWait(this.counters.accepted, this.timeoutOr(timeoutMs));
    return result.reached && result.delivered;
  }

  stop(timeoutMs?: number): Promise<boolean> {
    return this.stopCallers.stop(this.timeoutOr(timeoutMs));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  attach(source$: Observable<BusEvent>, options?: AttachOptions): Subscription {
    if (this.closed) return Subscription.EMPTY;
    const subscription = attachStream(source$, options, {
      sessionId: this.sessionId,
      now: () => this.now(),
      offer: (record) => this.offer(record),
      logger: this.#config.logger,
      unattributed: (event) => this.unattributed(event),
    });
    this.attachments.add(subscription);
    return subscription;
  }

  track(event: unknown, extra?: Readonly<Record<string, unknown>>): boolean {
    try {
      const typed = llmEventData(event, this.#config.captureContent);
      // An invalid event goes in nameless: the pipeline refuses it and counts it as `invalid`.
      return this.offer(genericEvent(this.now(), typed?.name, typed === undefined ? undefined : { ...typed.data, ...extra }));
    } catch {
      return false;
    }
  }

  startSpan(name: string, options: SpanOptions = {}): Span {
    return startSpan(name, options, { now: () => this.now(), emit: (data) => this.log('span', data) });
  }

  with(ids: CorrelationIds): Reporter {
    return new ScopedReporter(this, ids);
  }

  stats(): ReporterStats {
    return this.counters.snapshot();
  }

  private now(): number {
    return this.#config.scheduler.now();
  }

  private offer(record: EventRecord): boolean {
    if (this.closed) return this.counters.refuse(record, 'stopped');
    this.inbox.next(record);
    // A coalesced event is kept: it took the place of the queued one with its key.
    return record.admission === 'accepted' || record.admission === 'coalesced';
  }

  /** A wanted bus event of no session, or another one: counted, and the logger hears of the first. */
  private unattributed(event: BusEvent): void {
    this.counters.drop('unattributed');
    if (this.toldUnattributed) return;
    this.toldUnattributed = true;
    const why = event.metadata?.['session_id'] === undefined ? 'has no metadata.session_id' : "carries another session's id";
    this.#config.logger.warn(`attach: ignored \`${event.name}\`, which ${why} (counted as dropped.unattributed; emit with { session_id: reporter.sessionId })`);
  }

  private endSession(): void {
    const end = this.session.end(this.now());
    if (end !== undefined) this.offer(end);
  }

  private timeoutOr(timeoutMs: number | undefined): number {
    return typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs >= 0 ? timeoutMs : this.#config.flushTimeoutMs;
  }

  /**
   * Flushes and waits until the first `target` accepted events have settled, or `timeoutMs`
   * passes, or `passed$` emits (the stop sequence's moving deadline). A wait with a timeout holds
   * the process open for exactly as long as it lasts: the one place telemetry may do so.
   */
  private async flushAndWait(
    target: number | (() => number),
    timeoutMs: number | undefined,
    from = this.counters.settledInOrder,
    passed$?: Observable<void>,
  ): Promise<WaitResult> {
    // Built before the flush: a synchronous sink may settle (or fail) the batch inside next().
    const settled$ = waitForSettled(this.counters, target, timeoutMs, this.#config.scheduler, from);
    const targetOf = typeof target === 'function' ? target : () => target;
    // Counted when the wait ends, not when the caller's continuation runs: retries go on meanwhile.
    const wait$ = (passed$ === undefined ? settled$ : race(settled$, passed$.pipe(map(() => NOT_REACHED)))).pipe(
      map((result): WaitResult => ({ ...result, pending: result.reached ? 0 : Math.max(0, targetOf() - this.counters.settledInOrder) })),
    );
    if (!this.closed) this.inbox.next(FLUSH);
    const release = timeoutMs === undefined ? undefined : holdProcessOpen(timeoutMs);
    try {
      return await firstValueFrom(wait$, { defaultValue: { ...NOT_REACHED, pending: Math.max(0, targetOf() - this.counters.settledInOrder) } });
    } finally {
      release?.();
    }
  }

  /** The stop sequence, run once for all callers of stop() (see StopCallers); they hold the process open. */
  private async runStop(deadline: StopDeadline): Promise<boolean> {
    const from = this.counters.settledInOrder;
    const startedAt = this.now();
    const all = () => this.counters.accepted;
    try {
      this.#parts.monitor.final();
      this.shutdown.stopping = true;
      this.endSession();
      // The last moments before the deadline are kept for one more report, should anything be given up.
      const reserve = (atMs: number) => Math.min(FINAL_REPORT_RESERVE_MS, Math.max(0, (atMs - startedAt) / 10));
      const result = await this.flushAndWait(all, undefined, from, deadline.before(reserve));
      if (!result.reached) {
        // Whatever is left is aborted and counted as sendFailed, within a turn or two…
        await this.abandonAll();
        // …and the backend hears of it: a last telemetry.health with those losses, which sinks still
        // working take in the time kept back; at the deadline itself, what is left of it is given up too.
        this.shutdown.resume();
        this.#parts.monitor.final();
        const last = await this.flushAndWait(all, undefined, this.counters.settledInOrder, deadline.passed$);
        if (!last.reached) await this.abandonAll();
      }
      this.close();
      await shutdownSinks(this.#parts.sinks, Math.max(0, deadline.latestMs - this.now()), this.#config.scheduler);
      return !this.broken && result.reached && result.delivered;
    } catch {
      this.close();
      return false;
    }
  }

  /** Gives up on everything queued or in flight, and waits (a turn or two) until it has settled. */
  private async abandonAll(): Promise<void> {
    this.shutdown.abandon();
    await this.flushAndWait(() => this.counters.accepted, ABANDON_SETTLE_MS);
  }

  /**
   * The pipeline is built never to fail; if it does anyway (a bug, or a user-supplied scheduler or
   * sink that breaks it), stop taking events rather than pile them up, and settle everything it
   * held as lost (`internal`), so that no wait hangs and the invariant still holds. The count waits
   * for a microtask: the failed pipeline tears down after this handler returns, and its in-flight
   * batches settle (as sent or failed) during that teardown.
   */
  private pipelineFailed(error: unknown): void {
    this.closed = true;
    this.broken = true;
    const reason = error instanceof Error ? error.message : String(error);
    const queued = this.counters.queued;
    queueMicrotask(() => {
      try {
        this.counters.loseQueued();
      } catch {
        // The counts are written before the hooks run; a hook that throws (the scheduler that broke the pipeline) changes nothing.
      }
      this.#config.logger.warn(`pipeline failed, telemetry is off: ${reason}; ${queued} accepted event(s) counted as dropped.internal or sendFailed`);
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.attachments.unsubscribe();
    this.inbox.complete();
    this.counters.changes$.complete();
    this.#parts.replay.complete();
    this.#parts.sender.close();
  }
}
