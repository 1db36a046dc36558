import type { Counters, SinkState, SinkStats } from '../stats/counters.js';
import type { Logger } from '../config/options.js';

/** A sink's state changed (what `telemetry.sink_health` events and the logger report). */
export interface SinkHealthChange {
  readonly sink: string;
  readonly from: SinkState;
  readonly to: SinkState;
  /** What went wrong, when the change is for the worse (never a secret: sinks build their errors from safe strings). */
  readonly error?: string;
}

/**
 * One sink's health: healthy → degraded (retrying) → failed (gave up, or its queue overflowed)
 * → healthy again on the next success. Keeps `stats().sinks[name]` and tells `onChange` about
 * every transition.
 */
export class SinkHealth {
  readonly stats: SinkStats;
  /** Events lost since the last logger line about losses: every line's counts add up to `stats.failed`. */
  private unlogged = 0;
  private lastLoss = '';

  constructor(
    private readonly name: string,
    private readonly counters: Counters,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly onChange: (change: SinkHealthChange) => void,
  ) {
    this.stats = counters.sink(name);
  }

  /** One request exported `count` events. */
  delivered(count: number): void {
    this.counters.batches++;
    this.stats.delivered += count;
    this.stats.lastSuccessAt = this.now();
    this.moveTo('healthy');
  }

  /** `count` events will never reach this sink (given up, rejected, overflowed). */
  failed(count: number, error: string, overflowed = false): void {
    if (count === 0) return;
    this.stats.failed += count;
    if (overflowed) this.stats.overflowed += count;
    this.stats.lastError = error;
    // One line when the outage begins; what it loses while failed is told when it ends (recovery or stop).
    if (this.stats.state !== 'failed') this.logger.warn(`sink ${this.name} gave up on ${count} event(s): ${error}`);
    else this.lost(count, error);
    this.moveTo('failed', error);
  }

  /** The backend refused some events of a batch it otherwise took (partial success): the sink is fine. */
  rejected(count: number, error: string): void {
    if (count === 0) return;
    this.stats.failed += count;
    this.stats.lastError = error;
    this.lost(count, error);
    this.counters.changed();
  }

  /** Tells the logger what was lost since its last line about this sink, if anything (on recovery and on stop). */
  tellLosses(): void {
    if (this.unlogged === 0) return;
    this.logger.warn(`sink ${this.name} lost ${this.unlogged} more event(s) (${this.stats.failed} in all): ${this.lastLoss}`);
    this.unlogged = 0;
  }

  private lost(count: number, error: string): void {
    this.unlogged += count;
    this.lastLoss = error;
  }

  /** An attempt will be retried. */
  retrying(error: string): void {
    this.stats.retries++;
    this.counters.retries++;
    this.stats.lastError = error;
    // A failed sink that is retrying its next batch stays failed until something gets through.
    if (this.stats.state === 'healthy') this.moveTo('degraded', error);
  }

  /** Events handed to the sink (+) or settled by it (−). */
  queue(delta: number): void {
    this.stats.queued += delta;
  }

  private moveTo(to: SinkState, error?: string): void {
    const from = this.stats.state;
    if (from === to) return;
    this.stats.state = to;
    if (from === 'failed' && to === 'healthy') {
      this.tellLosses();
      this.logger.warn(`sink ${this.name} recovered`);
    }
    this.counters.changed();
    this.onChange(error === undefined ? { sink: this.name, from, to } : { sink: this.name, from, to, error });
  }
}
