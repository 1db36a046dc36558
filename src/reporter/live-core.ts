import { Subscription, type Observable } from 'rxjs';
import { OncePerReason } from '../config/once-per-reason.js';
import type { ResolvedConfig } from '../config/parse-options.js';
import type { EventRecord } from '../events/event-record.js';
import { FlushCommand, type Inbox } from '../inbox/commands.js';
import { runFatalPath } from '../lifecycle/fatal-path.js';
import { Session } from '../lifecycle/session.js';
import { coalescedFlush } from '../lifecycle/shutdown-sinks.js';
import { StopCallers } from '../lifecycle/stop-callers.js';
import { runStopSequence } from '../lifecycle/stop-sequence.js';
import { Waits } from '../lifecycle/waits.js';
import type { HealthMonitor } from '../observability/health.js';
import type { Sender } from '../sender/send-batch.js';
import type { ShutdownState } from '../sender/shutdown-state.js';
import type { Sink } from '../sinks/sink.js';
import type { Counters, ReporterStats } from '../stats/counters.js';
import { counterViews, type ReporterHealth } from '../stats/observe.js';
import { attachStream } from './attach.js';
import type { ReporterCore } from './core.js';
import type { DurableSpool } from './durable-spool.js';
import type { EventReplay, EventView } from './replay.js';
import type { AttachOptions, BusEvent, FlushResult } from './types.js';

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
  /** The durable spool, when it is on. */
  readonly durable?: DurableSpool | undefined;
}

const FLUSH = new FlushCommand();

/**
 * The core of an enabled reporter: an actor. It only puts commands into the inbox and waits on
 * counters; all state changes happen in the pipeline. It starts the session (SESSION_START) when
 * it is made, and runs the fatal path and, once for all callers, the stop sequence.
 */
export class LiveCore implements ReporterCore {
  readonly enabled = true;
  readonly sessionId: string;
  readonly drained$: Observable<boolean>;
  readonly stats$: Observable<ReporterStats>;
  readonly health$: Observable<ReporterHealth>;
  readonly events$: Observable<EventView>;
  readonly maxStringLength: number;
  readonly captureContent: boolean;
  // #private: util.inspect must never show the options (they hold the API key).
  readonly #config: ResolvedConfig;
  readonly #parts: ReporterParts;
  private readonly counters: Counters;
  private readonly session: Session;
  private readonly waits: Waits;
  private readonly stopCallers: StopCallers;
  private readonly attachments = new Subscription();
  /** Exceptions ask for a flush without sending on the caller's stack; several share one. */
  private readonly scheduleFlush: () => void;
  private closed = false;
  /** The pipeline failed: the session can no longer end properly. */
  private broken = false;
  private toldUnattributed = false;
  private readonly refusals: OncePerReason;

  constructor(parts: ReporterParts) {
    const { config, counters, inbox } = parts;
    this.#parts = parts;
    this.#config = config;
    this.counters = counters;
    this.sessionId = config.sessionId;
    this.maxStringLength = config.maxStringLength;
    this.captureContent = config.captureContent;
    this.refusals = new OncePerReason(config.logger, 'stats().dropped.invalid');
    ({ stats$: this.stats$, drained$: this.drained$, health$: this.health$ } = counterViews(counters, config.maxQueueSize));
    this.events$ = parts.replay.events$;
    parts.pipeline$.subscribe({ error: (error: unknown) => this.pipelineFailed(error) });
    const flush = () => this.closed || inbox.next(FLUSH);
    this.scheduleFlush = coalescedFlush(config.scheduler, flush);
    this.waits = new Waits(counters, config.scheduler, flush);
    this.stopCallers = new StopCallers(config.scheduler, parts.shutdown, async (deadline) => {
      const delivered = await runStopSequence(
        {
          counters,
          shutdown: parts.shutdown,
          waits: this.waits,
          sinks: parts.sinks,
          scheduler: config.scheduler,
          report: () => parts.monitor.final(),
          endSession: () => this.endSession(),
          close: () => this.close(),
          durable: parts.durable,
        },
        deadline,
      );
      return delivered && !this.broken;
    });
    this.session = new Session(this.now());
    this.offer(() => this.session.start());
    // What dead processes left in the spool goes out as room allows (never rejects).
    void parts.durable?.recover();
  }

  now(): number {
    return this.#config.scheduler.now();
  }

  offer(make: () => EventRecord, urgent = false): boolean {
    let record: EventRecord;
    try {
      record = make();
    } catch {
      return false;
    }
    return this.offerRecord(record, urgent);
  }

  offerRecord(record: EventRecord, urgent = false): boolean {
    try {
      if (this.closed) return this.counters.refuse(record, 'stopped');
      this.#parts.inbox.next(record);
      // A coalesced event is kept: it took the place of the queued one with its key.
      const accepted = record.admission === 'accepted' || record.admission === 'coalesced';
      if (accepted && urgent) this.scheduleFlush();
      return accepted;
    } catch {
      return false;
    }
  }

  tellRefusal(reason: string): void {
    this.refusals.tell(reason);
  }

  fatal(make: () => EventRecord): Promise<boolean> {
    const { counters, waits } = this;
    const parts = {
      counters,
      waits,
      shutdown: this.#parts.shutdown,
      timeoutMs: this.#config.flushTimeoutMs,
      now: () => this.now(),
      offer: (m: () => EventRecord) => this.offer(m),
      endSession: () => this.endSession(),
      durable: this.#parts.durable,
    };
    return runFatalPath(parts, make);
  }

  async flush(timeoutMs?: number): Promise<FlushResult> {
    // No deadline registered: a flush's deadline ends the caller's wait, never the events' retries.
    const { pending } = await this.waits.flushAndWait(this.counters.accepted, this.timeoutOr(timeoutMs));
    return { pending };
  }

  async waitUntilDrained(timeoutMs?: number): Promise<boolean> {
    const result = await this.waits.flushAndWait(this.counters.accepted, this.timeoutOr(timeoutMs));
    return result.reached && result.delivered;
  }

  stop(timeoutMs?: number): Promise<boolean> {
    return this.stopCallers.stop(this.timeoutOr(timeoutMs));
  }

  attach(source$: Observable<BusEvent>, options?: AttachOptions): Subscription {
    if (this.closed) return Subscription.EMPTY;
    const subscription = attachStream(source$, options, {
      sessionId: this.sessionId,
      now: () => this.now(),
      offer: (record) => this.offer(() => record),
      logger: this.#config.logger,
      unattributed: (event) => this.unattributed(event),
    });
    this.attachments.add(subscription);
    return subscription;
  }

  stats(): ReporterStats {
    return this.counters.snapshot();
  }

  /**
   * A wanted bus event of no session, or another one: counted. The logger hears of the first one
   * without a session id (a likely mistake); another session's events are ordinary where several
   * reporters share the bus, and are only counted.
   */
  private unattributed(event: BusEvent): void {
    this.counters.drop('unattributed');
    if (this.toldUnattributed || event.metadata?.['session_id'] !== undefined) return;
    this.toldUnattributed = true;
    this.#config.logger.warn(`attach: ignored \`${event.name}\`, which has no metadata.session_id (counted as dropped.unattributed; emit with { session_id: reporter.sessionId })`);
  }

  private endSession(): void {
    const end = this.session.end(this.now());
    if (end !== undefined) this.offer(() => end);
  }

  private timeoutOr(timeoutMs: number | undefined): number {
    return typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs >= 0 ? timeoutMs : this.#config.flushTimeoutMs;
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
    this.#parts.inbox.complete();
    this.counters.changes$.complete();
    this.#parts.replay.complete();
    this.#parts.sender.close();
  }
}
