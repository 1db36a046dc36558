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
 * One sink's health: healthy → degraded (retrying) → failed (gave up, its queue overflowed, or the
 * backend refused every event of a batch) → healthy again on the next success. Keeps `stats().sinks[name]` and tells `onChange` about
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

  /** `count` events will never reach this sink (given up, overflowed). */
  failed(count: number, error: string, overflowed = false): void {
    this.lose(count, error, `sink ${this.name} gave up on ${count} event(s): ${error}`, overflowed);
  }

  /**
   * The backend refused `count` events for good. `all`: they were every event of a part it took
   * none of (11 of 11 refused inside a 207) — a backend that refuses everything is no healthy
   * sink, so that counts as a failure: `failed`, one logger line per streak. Otherwise (a partial
   * refusal) the sink is fine: the loss is counted, and told with the next line about its losses.
   */
  refused(count: number, error: string, all: boolean): void {
    if (count === 0) return;
    if (all) {
      this.lose(count, error, `sink ${this.name}: the backend refused all ${count} event(s) of a batch: ${error}`);
      return;
    }
    this.stats.failed += count;
    this.stats.lastError = error;
    this.lost(count, error);
    this.counters.changed();
  }

  private lose(count: number, error: string, line: string, overflowed = false): void {
    if (count === 0) return;
    this.stats.failed += count;
    if (overflowed) this.stats.overflowed += count;
    this.stats.lastError = error;
    // One line when the outage begins; what it loses while failed is told when it ends (recovery or stop).
    if (this.stats.state !== 'failed') this.logger.warn(line);
    else this.lost(count, error);
    this.moveTo('failed', error);
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
