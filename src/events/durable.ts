import type { EventRecord } from './event-record.js';

/**
 * What the reporter's stages tell the durable spool, when it is on: the door writes each
 * accepted event ahead (and again when coalescing changes it), eviction and the sinks say when an
 * event needs it no more. The spool adapter (`reporter/durable-spool.ts`) implements it; without
 * a spool nobody is told anything.
 */
export interface Durability {
  /** `record` was accepted (its index is set): write it ahead. */
  admitted(record: EventRecord): void;
  /** `record`, still queued, took a newer event's content (coalescing): write the new version. */
  replaced(record: EventRecord): void;
  /** `record` will never be sent (evicted): nobody needs it any more. */
  dropped(record: EventRecord): void;
  /** `sink` is done with `record` (delivered or gave up). */
  done(record: EventRecord, sink: string): void;
  /**
   * Disk-only mode: `true` while events the full queue sent to disk wait there. Every ordinary
   * event then goes to disk too, so that they are sent in the order they were accepted.
   */
  readonly overflowing: boolean;
  /** Keeps `record` (accepted, its index set) on disk only: `'kept'`, `'full'` (the spool's maxBytes), or `'unavailable'`. */
  overflow(record: EventRecord): 'kept' | 'full' | 'unavailable';
}
