import { finalize, mergeMap, Observable, Subject, type Subscription } from 'rxjs';
import type { TelemetryEvent } from '../events/wire.js';
import { sendToSink, type Delivered, type SinkSendOptions } from './send-to-sink.js';

export interface SinkLaneOptions extends SinkSendOptions {
  /** Batches this sink exports at once. */
  readonly maxInFlight: number;
  /** Events this sink may hold (waiting and in flight); beyond it, new batches fail for this sink only. Unset: unbounded (the reporter's queue bounds it). */
  readonly maxQueued: number | undefined;
}

interface Job {
  readonly count: number;
  /** The batch's wire events, built when the sink starts it (a waiting batch holds only its records). */
  readonly wires: () => readonly TelemetryEvent[];
  readonly delivered: Delivered;
  /** The batch's session (a recovered one's), or undefined for the reporter's own. */
  readonly sessionId: string | undefined;
  readonly done: () => void;
}

/**
 * One sink's own way out: its bounded queue, its concurrency, its retry loop (in
 * {@link sendToSink}) and its health. Lanes share nothing but the batches they are given, so a
 * sink that hangs or fails fills only its own queue, then drops for itself (counted in
 * `stats().sinks[name].overflowed`), while the others go on.
 */
export class SinkLane {
  readonly name: string;
  private readonly jobs = new Subject<Job>();
  private readonly subscription: Subscription;

  constructor(private readonly options: SinkLaneOptions) {
    this.name = options.sink.name;
    const { health } = options;
    this.subscription = this.jobs
      .pipe(
        mergeMap(
          (job) =>
            sendToSink(options, job.wires(), job.delivered, job.sessionId).pipe(
              finalize(() => {
                health.queue(-job.count);
                job.done();
              }),
            ),
          options.maxInFlight,
        ),
      )
      .subscribe();
  }

  /** Hands a batch of `count` events to the sink; completes once each position of `delivered` has its outcome. */
  submit(count: number, wires: () => readonly TelemetryEvent[], delivered: Delivered, sessionId?: string): Observable<never> {
    return new Observable<never>((subscriber) => {
      const { health, maxQueued } = this.options;
      if (count === 0) return subscriber.complete();
      if (maxQueued !== undefined && health.stats.queued > 0 && health.stats.queued + count > maxQueued) {
        health.failed(count, `${this.name}: its queue is full (${health.stats.queued} events), ${count} dropped for this sink`, true);
        return subscriber.complete();
      }
      health.queue(count);
      this.jobs.next({ count, wires, delivered, sessionId, done: () => subscriber.complete() });
      return undefined;
    });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.options.health.tellLosses();
  }
}
