/** The types of the spool's API (src/spool/spool.ts). */

/**
 * What `append` answers: a handle for `done` (a positive integer, unique within this spool), or
 * why the record was not taken: `'full'` (live segments + pending bytes + this record would pass
 * `maxBytes`, or the record alone passes `maxRecordBytes`) or `'unavailable'` (the spool is not
 * usable, fell back to memory, or is closing).
 */
export type AppendResult = number | 'full' | 'unavailable';

/** A record `pull` hands back: its payload as appended, and the sinks (bits of `sinks`) still owed. */
export interface BacklogRecord {
  /** For `done`: positive for this process's records, negative for recovered ones. */
  readonly handle: number;
  readonly payload: string;
  readonly sinkMask: number;
}

/** What the spool holds, for `stats()` and health reports. */
export interface SpoolStats {
  /** Bytes of live segment files (this process's and claimed ones) plus bytes not yet written. */
  bytes: number;
  /** Live segment files. */
  segments: number;
  /** Records appended and not yet written. */
  unwritten: number;
  /** Records some sink still owes (this process's and recovered ones). */
  unreleased: number;
  /** Records `pull` has yet to return (recovered, and this process's disk-only ones). */
  backlog: number;
  /** When the oldest unreleased record was appended (scheduler clock; within a write interval), if any. */
  oldestUnreleasedAtMs: number | undefined;
  /** Corrupt frames found (cut, skipped or unreadable) since open. */
  corrupt: number;
  /** Why the spool went memory-only, if it did. */
  fallback: string | undefined;
  /** Group writes made so far (one per interval, or per 256 KiB, and the fatal path's). */
  writes: number;
  /** fdatasyncs made so far (`fsync: 'interval'`: at most one per interval, plus the fatal path's). */
  syncs: number;
}

/** What one `recover()` call claimed: owners, backlog records, corrupt frames. */
export interface RecoveryResult {
  owners: number;
  records: number;
  corrupt: number;
}
