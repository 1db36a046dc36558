import type { Subscription } from 'rxjs';
import type { ResolvedConfig } from '../config/parse-options.js';
import { LOSS_REASONS, type DropReason, type LossReason } from '../events/drop-reasons.js';
import type { Counters } from '../stats/counters.js';
import type { SuppressedNames } from '../stats/suppressed.js';
import { telemetry } from '../bus/telemetry.js';
import { EventRecord } from '../events/event-record.js';
import { HEALTH_EVENT, QUEUE_STATE_EVENT, RATE_LIMITED_EVENT, SINK_HEALTH_EVENT } from '../events/names.js';
import type { Inbox } from '../inbox/commands.js';
import type { SinkHealthChange } from '../sender/sink-health.js';

/** At most one `telemetry.health` per this many ms. */
export const HEALTH_INTERVAL_MS = 5_000;

/** How full the reporter's queue is, as `rxtel.queue.state_change` reports it on the bus. */
export type QueueState = 'normal' | 'full';

/**
 * What a report counts: every drop reason that is a loss (`DROP_REASONS`), and the events some
 * sinks lost while others delivered them (`partiallyDelivered`).
 */
const REASONS = [...LOSS_REASONS, 'partiallyDelivered'] as const;
type Loss = LossReason | 'partiallyDelivered';
type Losses = Record<Loss, number>;

/** The clock, the session and the queue bound as parsed, and the reporter's parts the monitor reports through. */
export interface HealthMonitorOptions extends Pick<ResolvedConfig, 'scheduler' | 'sessionId' | 'maxQueueSize'> {
  readonly inbox: Inbox;
  readonly counters: Counters;
  /** Send `telemetry.sink_health` events (only with several sinks: one sink has nobody to tell). */
  readonly sinkEvents: boolean;
  /** What the rate limit refused, per name: reported as `rxtel.rate_limited` with each health report. */
  readonly suppressed?: SuppressedNames;
}

/**
 * Says what the reporter lost, through the reporter itself:
 *
 * - `telemetry.health` (WARNING): the drops per reason since the last report, as soon as
 *   something is dropped, then at most every {@link HEALTH_INTERVAL_MS}, and a last one on stop.
 *   Nothing dropped, nothing sent; an idle reporter has no timer. A report the full queue
 *   refuses is not itself counted as a drop; its counts go in the next one, tried again as soon
 *   as events settle. The last report may use the terminal reserve.
 * - `telemetry.sink_health`: each sink state change, to every other sink.
 * - `rxtel.queue.state_change` on the bus when the queue fills up and when it has room again.
 *
 * Driven by the counters' hooks (a drop, a settlement), never by the `log()` hot path.
 */
export class HealthMonitor {
  private reported: Losses;
  /** When the last report the queue took was made: `interval_ms` counts from it. */
  private lastReportAt = Number.NEGATIVE_INFINITY;
  /** When a report was last tried, taken or refused: new drops wait the interval from it. */
  private lastTryAt = Number.NEGATIVE_INFINITY;
  private timer: Subscription | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private queueState: QueueState = 'normal';
  /** The last report was refused (full queue): its counts wait for the next one. */
  private owed = false;
  /** The last report was made (stop): no timer after it. */
  private finished = false;

  constructor(private readonly options: HealthMonitorOptions) {
    const { counters } = options;
    this.reported = this.losses();
    counters.onDrop = (reason) => this.dropped(reason);
    counters.onRelease = () => this.released();
  }

  /** A sink changed state: tell the other sinks (on the next turn: the sender is mid-settlement). */
  sinkChanged(change: SinkHealthChange): void {
    if (!this.options.sinkEvents) return;
    this.options.scheduler.schedule(() => {
      const severity = change.to === 'failed' ? 'WARNING' : 'INFO';
      const data: Record<string, unknown> = { sink: change.sink, state: change.to, previous: change.from };
      if (change.error !== undefined) data['error'] = change.error;
      const record = new EventRecord('GENERIC_EVENT', severity, this.options.scheduler.now(), SINK_HEALTH_EVENT, data);
      record.excludeSink = change.sink;
      this.offer(record);
    });
  }

  /** The last report, on stop: before SESSION_END, while ordinary events are still taken. */
  final(): void {
    this.finished = true;
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.report(true);
  }

  private dropped(reason: DropReason | 'partiallyDelivered'): void {
    if (reason === 'queueFull' || reason === 'evicted') this.setQueueState('full');
    if ((REASONS as readonly string[]).includes(reason)) this.schedule(this.lastTryAt);
  }

  /** A report {@link HEALTH_INTERVAL_MS} after `since` (at once if that is past), unless one is due sooner. */
  private schedule(since: number): void {
    // After the last report, or once the inbox completed.
    if (this.finished || this.options.inbox.closed) return;
    const now = this.options.scheduler.now();
    const at = Math.max(now, since + HEALTH_INTERVAL_MS);
    if (this.timer !== undefined) {
      if (at >= this.timerAt) return;
      this.timer.unsubscribe();
    }
    this.timerAt = at;
    this.timer = this.options.scheduler.schedule(() => {
      this.timer = undefined;
      this.report();
    }, at - now);
  }

  private released(): void {
    const { counters, maxQueueSize } = this.options;
    if (this.queueState === 'full' && counters.queued <= maxQueueSize / 2) this.setQueueState('normal');
    // A report the full queue refused goes again once there is room: the refused try was not a
    // report, so only the last report that got in spaces it.
    if (this.owed) this.schedule(this.lastReportAt);
  }

  /** `last`: the report on stop, which may use the queue's terminal reserve like SESSION_END. */
  private report(last = false): void {
    const { counters, scheduler } = this.options;
    const losses = this.losses();
    const since: Record<string, number> = {};
    let total = 0;
    for (const reason of REASONS) {
      const count = losses[reason] - this.reported[reason];
      if (count > 0) since[reason] = count;
      total += count;
    }
    if (total === 0) return;
    const now = scheduler.now();
    const data = { dropped: since, total, interval_ms: Number.isFinite(this.lastReportAt) ? Math.round(now - this.lastReportAt) : null, queued: counters.queued };
    this.lastTryAt = now;
    const accepted = this.offer(new EventRecord('GENERIC_EVENT', 'WARNING', now, HEALTH_EVENT, data, last));
    if (accepted) {
      this.reported = losses;
      this.lastReportAt = now;
      this.reportSuppressed(now, data.interval_ms, last);
    }
    this.owed = !accepted;
  }

  /** `rxtel.rate_limited`: which names the rate limit refused, and how often, since the last one. */
  private reportSuppressed(now: number, intervalMs: number | null, last: boolean): void {
    const { suppressed } = this.options;
    if (suppressed === undefined || suppressed.empty) return;
    const data = { suppressed: suppressed.snapshot(), interval_ms: intervalMs };
    if (this.offer(new EventRecord('GENERIC_EVENT', 'WARNING', now, RATE_LIMITED_EVENT, data, last))) suppressed.clear();
  }

  /** The loss counts, less the loss of the reporter's own reports (reporting that would report forever). */
  private losses(): Losses {
    const { dropped, ownSendFailed, partiallyDelivered, ownPartiallyDelivered } = this.options.counters;
    const losses = {} as Losses;
    for (const reason of LOSS_REASONS) losses[reason] = dropped[reason];
    losses.partiallyDelivered = partiallyDelivered - ownPartiallyDelivered;
    losses.sendFailed -= ownSendFailed;
    return losses;
  }

  private offer(record: EventRecord): boolean {
    if (this.options.inbox.closed) return false;
    this.options.inbox.next(record);
    return record.admission === 'accepted';
  }

  private setQueueState(state: QueueState): void {
    if (this.queueState === state) return;
    const previous = this.queueState;
    this.queueState = state;
    const { counters, maxQueueSize, sessionId, scheduler } = this.options;
    const queued = counters.queued;
    // On the next turn: the bus feeds the reporter, which is in the middle of admitting an event.
    scheduler.schedule(() => telemetry.emit(QUEUE_STATE_EVENT, { queued, capacity: maxQueueSize }, { session_id: sessionId, state, previous }));
  }
}
