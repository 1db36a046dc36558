import { Observable, type OperatorFunction, type Subscription } from 'rxjs';
import { isEvent, type Command } from '../inbox/commands.js';
import type { EventRecord } from '../events/event-record.js';
import type { ResolvedConfig } from '../config/parse-options.js';
import type { PendingEvents } from '../pipeline/pending.js';
import { chunk } from './split.js';

/** When to cut (`flushThreshold` events, `flushIntervalMs` after the first; 0 = only by threshold or command) and how large a batch may be. */
export interface BatchOptions extends Pick<ResolvedConfig, 'flushThreshold' | 'flushIntervalMs' | 'maxBatchSize' | 'scheduler'> {
  /** Told what is cut, so the queue stops changing it. */
  readonly pending?: PendingEvents;
}

/**
 * Groups admitted events into batches, FIFO: a batch is cut when `flushThreshold` events wait,
 * when `flushIntervalMs` has passed since the first of them arrived, or when a {@link FlushCommand}
 * passes by; a cut larger than `maxBatchSize` leaves as several batches.
 *
 * Unlike `bufferTime`, the timer is armed only while events wait, so an idle reporter has no
 * timer at all, and a cut never emits an empty batch.
 */
export function batchEvents(options: BatchOptions): OperatorFunction<Command, EventRecord[]> {
  const { flushThreshold, flushIntervalMs, maxBatchSize, scheduler } = options;
  return (source) =>
    new Observable<EventRecord[]>((subscriber) => {
      let pending: EventRecord[] = [];
      let timer: Subscription | undefined;

      const cut = (): void => {
        timer?.unsubscribe();
        timer = undefined;
        if (pending.length === 0) return;
        const records = pending;
        pending = [];
        options.pending?.cut(records);
        for (const batch of chunk(records, maxBatchSize)) subscriber.next(batch);
      };

      const subscription = source.subscribe({
        next(command) {
          // A plain observer's throw would not reach `error`: RxJS rethrows it on a timer, into the app.
          try {
            if (!isEvent(command)) return cut();
            pending.push(command);
            if (pending.length >= flushThreshold) cut();
            else if (pending.length === 1 && flushIntervalMs > 0) timer = scheduler.schedule(cut, flushIntervalMs);
          } catch (error: unknown) {
            subscriber.error(error);
          }
        },
        error(error: unknown) {
          cut();
          subscriber.error(error);
        },
        complete() {
          cut();
          subscriber.complete();
        },
      });
      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
