import { concat, defer, from, Subject, type Observable } from 'rxjs';
import type { EventRecord } from '../events/event-record.js';
import type { TelemetryEvent } from '../events/wire.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'event_id'> : never;

/** An accepted event as `reporter.events$` shows it: the wire event, after redaction, without the `event_id` its export will carry. */
export type EventView = WithoutId<TelemetryEvent>;

function view(record: EventRecord): EventView {
  const { event_id: _id, ...rest } = record.toWire();
  return rest as EventView;
}

/**
 * The last `size` accepted events, and the live ones: `events$` replays the kept ones to each new
 * subscriber, then streams. Keeping costs one array slot per event; views are built only for
 * subscribers.
 */
export class EventReplay {
  private readonly ring: (EventRecord | undefined)[];
  private next = 0;
  private readonly live = new Subject<EventView>();
  readonly events$: Observable<EventView>;

  constructor(private readonly size: number) {
    this.ring = new Array<EventRecord | undefined>(size);
    this.events$ = defer(() => concat(from(this.kept().map(view)), this.live));
  }

  push(record: EventRecord): void {
    if (this.size > 0) {
      this.ring[this.next] = record;
      this.next = (this.next + 1) % this.size;
    }
    if (this.live.observed) this.live.next(view(record));
  }

  complete(): void {
    this.live.complete();
  }

  private kept(): EventRecord[] {
    const kept: EventRecord[] = [];
    for (let k = 0; k < this.size; k++) {
      const record = this.ring[(this.next + k) % this.size];
      // An evicted event was never sent, and its data is gone: replaying it would show `{}`.
      if (record !== undefined && !record.evicted) kept.push(record);
    }
    return kept;
  }
}
