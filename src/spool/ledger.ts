/**
 * The release bookkeeping of one owner's records (this process's, or a dead owner's it claimed):
 * which sinks each record still owes, each sink's low-water cursor, which segment holds which
 * records, and which segments may go.
 *
 * A sink's cursor is the highest recSeq such that every record up to it is settled for that sink
 * (delivered or given up). Sinks settle in acceptance order, but `settle` takes any order: a record
 * settled ahead of the cursor waits in its mask until the records before it settle too.
 */
import { DISK_ONLY, PULLED, RecordTable } from './record-table.js';

/** One segment file and the records it holds. */
export interface SegmentInfo {
  readonly seq: number;
  readonly path: string;
  /** Its size on disk (what counts against `maxBytes`). */
  bytes: number;
  /** It holds the records with ordinals in [firstOrdinal, endOrdinal). */
  readonly firstOrdinal: number;
  endOrdinal: number;
  /** How many of those are not yet released. */
  unreleased: number;
  /** No more records go into it. */
  sealed: boolean;
  readonly createdAtMs: number;
  /** Its file was deleted (or is being deleted). */
  deleted: boolean;
}

/** One owner's records, sink cursors and segments: see the module comment. */
export class Ledger {
  readonly table = new RecordTable();
  readonly segments: SegmentInfo[] = [];
  /** Records not yet released. */
  unreleased = 0;
  /** Records `pull` has yet to return. */
  backlog = 0;
  /** A cursor moved since the cursor file was last written. */
  cursorDirty = false;
  /** Where `pull` looks next (every record below it is not pullable). */
  pullFrom = 0;
  private readonly pointers: number[];
  private readonly cursors: number[];
  /** (first ordinal, time) of each group of appends, for the age of the oldest record. */
  private readonly times: { ordinal: number; atMs: number }[] = [];

  /**
   * `sinks`: the names the masks' bits stand for; `cursors`: each sink's cursor so far (recSeq),
   * from a cursor file or 0.
   */
  constructor(
    readonly dir: string,
    readonly sinks: readonly string[],
    cursors: readonly number[],
  ) {
    this.pointers = sinks.map(() => 0);
    this.cursors = sinks.map((_, i) => cursors[i] ?? 0);
  }

  /** Adds a record (in recSeq order) and returns its ordinal. */
  add(seq: number, mask: number, flags: number, offset: number, frameBytes: number): number {
    if (mask !== 0) {
      this.unreleased++;
      if (flags & DISK_ONLY) this.backlog++;
    }
    return this.table.add(seq, mask, flags, offset, frameBytes);
  }

  /** Notes that the records from `ordinal` on were appended at `atMs` (or later). */
  markTime(ordinal: number, atMs: number): void {
    this.pruneTimes(this.table.base);
    this.times.push({ ordinal, atMs });
  }

  /** Forgets the times of groups wholly below `ordinal` (one entry a write interval, so kept short). */
  private pruneTimes(ordinal: number): void {
    let drop = 0;
    while (drop + 1 < this.times.length && (this.times[drop + 1]?.ordinal ?? Infinity) <= ordinal) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }

  /** The segment holding `ordinal`, if it was assigned to one. */
  segmentOf(ordinal: number): SegmentInfo | undefined {
    const segments = this.segments;
    let low = 0;
    let high = segments.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const segment = segments[mid] as SegmentInfo;
      if (ordinal < segment.firstOrdinal) high = mid - 1;
      else if (ordinal >= segment.endOrdinal) low = mid + 1;
      else return segment;
    }
    return undefined;
  }

  /**
   * Sink `sink` (an index into `sinks`) is done with `ordinal`. Answers whether that released the
   * record (no sink owes it anything any more). Unknown, repeated and unowed settlements are ignored.
   */
  settle(ordinal: number, sink: number): boolean {
    const bit = 2 ** sink;
    const mask = this.table.mask(ordinal);
    if ((mask & bit) === 0) return false;
    const left = (mask & ~bit) >>> 0;
    this.table.setMask(ordinal, left);
    if (ordinal >= (this.pointers[sink] ?? 0)) this.advance(sink);
    if (left !== 0) return false;
    this.released(ordinal);
    return true;
  }

  /** Releases `ordinal` whatever it still owes (a record lost to corruption). */
  drop(ordinal: number): void {
    if (this.table.mask(ordinal) === 0) return;
    this.table.setMask(ordinal, 0);
    for (let sink = 0; sink < this.sinks.length; sink++) this.advance(sink);
    this.released(ordinal);
  }

  private released(ordinal: number): void {
    this.unreleased--;
    const segment = this.segmentOf(ordinal);
    if (segment !== undefined) segment.unreleased--;
    if ((this.table.flagsOf(ordinal) & (DISK_ONLY | PULLED)) === DISK_ONLY) this.backlog--;
    this.table.trim(Number.POSITIVE_INFINITY);
  }

  /** Moves `sink`'s cursor over every record that no longer owes it. */
  private advance(sink: number): void {
    const table = this.table;
    const bit = 2 ** sink;
    let at = this.pointers[sink] ?? 0;
    let cursor = this.cursors[sink] ?? 0;
    if (at < table.base) {
      at = table.base;
      cursor = Math.max(cursor, table.seqBelowBase);
    }
    while (at < table.end && (table.mask(at) & bit) === 0) cursor = Math.max(cursor, table.seq(at++));
    this.pointers[sink] = at;
    if (cursor !== this.cursors[sink]) {
      this.cursors[sink] = cursor;
      this.cursorDirty = true;
    }
  }

  /** Each sink's cursor, by name, for the cursor file. */
  cursorsByName(): Record<string, number> {
    return Object.fromEntries(this.sinks.map((name, i) => [name, this.cursors[i] ?? 0]));
  }

  /** The next record `pull` should return, at or after `pullFrom`, or `undefined`. */
  nextPullable(): number | undefined {
    const table = this.table;
    let at = Math.max(this.pullFrom, table.base);
    while (at < table.end && ((table.flagsOf(at) & (DISK_ONLY | PULLED)) !== DISK_ONLY || table.mask(at) === 0)) at++;
    this.pullFrom = at;
    return at < table.end ? at : undefined;
  }

  /** `pull` returned `ordinal`. */
  markPulled(ordinal: number): void {
    this.table.setFlags(ordinal, this.table.flagsOf(ordinal) | PULLED);
    this.backlog--;
  }

  /** Sealed segments whose records are all released and whose files are still there. */
  deletable(): SegmentInfo[] {
    return this.segments.filter((s) => s.sealed && !s.deleted && s.unreleased === 0);
  }

  /** Bytes of the segment files still on disk. */
  liveBytes(): number {
    let bytes = 0;
    for (const segment of this.segments) if (!segment.deleted) bytes += segment.bytes;
    return bytes;
  }

  /** Segment files still on disk. */
  liveSegments(): number {
    let count = 0;
    for (const segment of this.segments) if (!segment.deleted) count++;
    return count;
  }

  /** Forgets deleted segments (they no longer hold unreleased records). */
  forgetDeleted(): void {
    for (let i = this.segments.length - 1; i >= 0; i--) if (this.segments[i]?.deleted) this.segments.splice(i, 1);
  }

  /**
   * When the oldest unreleased record was appended, as far as this ledger knows: the time noted for
   * its group (`markTime`), else its segment's creation time.
   */
  oldestAtMs(): number | undefined {
    const table = this.table;
    table.trim(Number.POSITIVE_INFINITY);
    if (this.unreleased === 0) return undefined;
    let at = table.base;
    while (at < table.end && table.mask(at) === 0) at++;
    this.pruneTimes(at);
    const noted = this.times[0];
    if (noted !== undefined && noted.ordinal <= at) return noted.atMs;
    return this.segmentOf(at)?.createdAtMs;
  }
}
