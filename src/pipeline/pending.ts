import type { EventRecord } from '../events/event-record.js';
import { isExempt } from '../events/own-reports.js';

/**
 * Admitted events the batcher has not cut yet: the only ones the queue may still change. The
 * door uses it to coalesce (`event_data.coalesceKey`: a newer event takes the older one's place)
 * and, with `overflow: 'drop-oldest'`, to push out the oldest ordinary event for a new one. The
 * batcher tells it what it cut.
 */
export class PendingEvents {
  private readonly fifo: EventRecord[] = [];
  private head = 0;
  private readonly byKey = new Map<string, EventRecord>();

  /** `ordered`: keep the order of ordinary events, for `drop-oldest`. */
  constructor(private readonly ordered = false) {}

  add(record: EventRecord, key: string | undefined): void {
    // Only ordinary events may be evicted: never the session's bookends, exceptions or rxtel's own reports.
    if (this.ordered && !isExempt(record)) this.fifo.push(record);
    if (key !== undefined) {
      record.coalesceKey = key;
      this.byKey.set(key, record);
    }
  }

  /** The pending event with this coalesce key, if any. */
  withKey(key: string): EventRecord | undefined {
    return this.byKey.get(key);
  }

  /** Marks the oldest pending ordinary event evicted and frees its data; it, or `undefined` when there is none. */
  evictOldest(): EventRecord | undefined {
    while (this.head < this.fifo.length) {
      const record = this.fifo[this.head++]!;
      if (record.evicted || record.cut) continue;
      record.evicted = true;
      record.data = {};
      if (record.coalesceKey !== undefined && this.byKey.get(record.coalesceKey) === record) this.byKey.delete(record.coalesceKey);
      this.compact();
      return record;
    }
    return undefined;
  }

  /** The batcher cut these: they leave the queue's reach. */
  cut(records: readonly EventRecord[]): void {
    const keyed = this.byKey.size > 0;
    for (const record of records) {
      record.cut = true;
      if (keyed && record.coalesceKey !== undefined && this.byKey.get(record.coalesceKey) === record) this.byKey.delete(record.coalesceKey);
    }
    while (this.head < this.fifo.length && this.fifo[this.head]!.cut) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      this.fifo.splice(0, this.head);
      this.head = 0;
    }
  }
}
