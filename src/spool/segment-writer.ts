/**
 * Writes this process's records into its segments: one positional write per group of records,
 * segments sealed and new ones started at `segmentBytes`, fdatasync of what was written, and the
 * fatal path's synchronous write into a new segment. It holds the file descriptors; the disk loop
 * (disk-loop.ts) decides when each step runs, one at a time.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { encodeHeader, HEADER_BYTES, segmentName, writeFrame } from './format.js';
import { closeFd, closeQuietly, datasync, openFd, syncDirectory, syncDirectorySync, writeAt } from './io.js';
import type { Ledger, SegmentInfo } from './ledger.js';
import type { PendingPayloads } from './pending.js';

/** A write is started once this much is pending, without waiting for the interval (Vector's coalescing size). */
export const GROUP_TRIGGER_BYTES = 256 * 1024;
/** The most one write carries. */
const MAX_GROUP_BYTES = 8 * 1024 * 1024;

interface OpenSegment {
  readonly info: SegmentInfo;
  fd: number | undefined;
  /** Bytes written or reserved by a write in flight. */
  size: number;
}

/** A group write in flight. */
interface Group {
  readonly segment: OpenSegment;
  readonly first: number;
  readonly end: number;
  readonly ordinals: number[];
  readonly bytes: number;
  /** The fatal path wrote these records again, into a new segment: this write no longer counts. */
  superseded: boolean;
}

/** This process's segments and the writes into them: see the module comment. */
export class SegmentWriter {
  private current: OpenSegment | undefined;
  private readonly unsynced = new Set<OpenSegment>();
  private directoryUnsynced = false;
  private inFlight: Group | undefined;
  private nextSeq = 1;
  /** Where the waiting records will end in the last segment, as `append` projects it (for `maxBytes`). */
  private projectedFill = 0;
  /** Header bytes of segments the waiting records will start (counted against `maxBytes` before they exist). */
  reservedHeaders = 0;
  /** Group writes made (the fatal path's included). */
  writes = 0;
  /** fdatasyncs of segments made. */
  syncs = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly pending: PendingPayloads,
    private readonly options: {
      readonly ownerDir: string;
      readonly ownerId: string;
      readonly segmentBytes: number;
      readonly sync: boolean;
      readonly now: () => number;
    },
  ) {}

  /** Records are waiting for a group write. */
  hasWaiting(): boolean {
    return this.pending.assignedEnd < this.ledger.table.end;
  }

  /** Something written is not yet fdatasync'd (always false without fsync). */
  hasUnsynced(): boolean {
    return this.unsynced.size > 0 || this.directoryUnsynced;
  }

  /** Every record below this ordinal is written, or released before it needed to be. */
  writtenEnd(): number {
    const group = this.inFlight;
    return group !== undefined && !group.superseded ? group.first : this.pending.assignedEnd;
  }

  /** The header bytes a record of `frameBytes` would add by starting a segment (0 or HEADER_BYTES). */
  headerFor(frameBytes: number): number {
    const fill = this.projectedFill;
    return fill === 0 || (fill > HEADER_BYTES && fill + frameBytes > this.options.segmentBytes) ? HEADER_BYTES : 0;
  }

  /** `append` took a record of `frameBytes`: moves the projection on. */
  project(frameBytes: number): void {
    const header = this.headerFor(frameBytes);
    this.reservedHeaders += header;
    this.projectedFill = header > 0 ? header + frameBytes : this.projectedFill + frameBytes;
  }

  /** Nothing waits: the projection starts again from what is on disk. */
  private reproject(): void {
    if (this.hasWaiting()) return;
    this.reservedHeaders = 0;
    this.projectedFill = this.current?.size ?? 0;
  }

  /** Writes the next group of waiting records (the caller checked `hasWaiting`). */
  async writeGroup(): Promise<void> {
    const group = this.takeGroup();
    if (group === undefined) return;
    this.inFlight = group;
    const { segment } = group;
    const header = segment.size === 0 ? encodeHeader(this.options.ownerId, segment.info.seq, segment.info.createdAtMs) : undefined;
    const bytes = this.encode(group, header);
    const position = segment.size;
    segment.size += bytes.length;
    try {
      if (segment.fd === undefined) {
        segment.fd = await openFd(segment.info.path, 'wx');
        if (this.options.sync) this.directoryUnsynced = true;
      }
      this.writes++;
      await writeAt(segment.fd, bytes, position);
    } finally {
      this.inFlight = undefined;
      segment.info.bytes = Math.max(segment.info.bytes, position + bytes.length);
      if (header !== undefined) this.reservedHeaders = Math.max(0, this.reservedHeaders - header.length);
      if (segment.info.sealed && segment !== this.current && !this.unsynced.has(segment)) this.closeUnlessWriting(segment);
    }
    if (group.superseded) return;
    const table = this.ledger.table;
    let offset = position + (header?.length ?? 0);
    for (const ordinal of group.ordinals) {
      if (table.mask(ordinal) !== 0) table.setWritten(ordinal, offset);
      offset += table.frameBytes(ordinal);
    }
    this.pending.bytes -= group.bytes;
    this.pending.count -= group.ordinals.length;
    this.pending.forgetBelow(group.end);
    if (this.options.sync) this.unsynced.add(segment);
    this.reproject();
  }

  /** fdatasyncs what was written since the last sync, and closes sealed segments' files. */
  async sync(): Promise<void> {
    if (this.directoryUnsynced) {
      this.directoryUnsynced = false;
      await syncDirectory(this.options.ownerDir);
    }
    for (const segment of [...this.unsynced]) {
      this.unsynced.delete(segment);
      if (segment.fd === undefined) continue;
      this.syncs++;
      await datasync(segment.fd);
      if (segment !== this.current && this.inFlight?.segment !== segment) {
        const fd = segment.fd;
        segment.fd = undefined;
        await closeFd(fd);
      }
    }
  }

  /**
   * The fatal path: writes every record not yet known to be written (the group in flight too) into
   * a new segment with writeSync, then fdatasyncs it when syncing. Throws on failure (the caller
   * turns that into a fall-back).
   */
  flushSync(): void {
    const table = this.ledger.table;
    const group = this.inFlight !== undefined && !this.inFlight.superseded ? this.inFlight : undefined;
    const from = group?.first ?? this.pending.assignedEnd;
    const ordinals: number[] = [];
    let bytes = 0;
    for (let ordinal = from; ordinal < table.end; ordinal++) {
      if (table.mask(ordinal) === 0 || this.pending.payload(ordinal) === undefined) continue;
      ordinals.push(ordinal);
      bytes += table.frameBytes(ordinal);
    }
    // What earlier group writes left in the page cache goes to the disk too.
    if (this.options.sync) {
      for (const segment of this.unsynced) {
        if (segment.fd === undefined) continue;
        this.syncs++;
        fdatasyncSync(segment.fd);
      }
    }
    for (const segment of this.unsynced) if (segment !== this.current) this.closeUnlessWriting(segment);
    this.unsynced.clear();
    if (ordinals.length === 0) return;

    const info = this.newSegment(from);
    const out = this.encode({ ordinals, bytes }, encodeHeader(this.options.ownerId, info.seq, info.createdAtMs));
    const fd = openSync(info.path, 'wx', 0o644);
    try {
      this.writes++;
      for (let done = 0; done < out.length; ) done += writeSync(fd, out, done, out.length - done, done);
      if (this.options.sync) {
        this.syncs++;
        fdatasyncSync(fd);
        syncDirectorySync(this.options.ownerDir);
      }
    } catch (error) {
      closeSync(fd);
      throw error;
    }

    // Written: from here on, only bookkeeping.
    const previous = this.current;
    if (previous !== undefined) {
      previous.info.sealed = true;
      this.closeUnlessWriting(previous);
    }
    if (group !== undefined) {
      // The group in flight is now in the new segment; its own write, when it ends, changes nothing.
      group.superseded = true;
      group.segment.info.endOrdinal = group.first;
      group.segment.info.unreleased -= group.ordinals.filter((o) => table.mask(o) !== 0).length;
      this.pending.bytes -= group.bytes;
      this.pending.count -= group.ordinals.length;
    }
    for (let ordinal = this.pending.assignedEnd; ordinal < table.end; ordinal++) {
      if (table.mask(ordinal) !== 0) {
        this.pending.bytes -= table.frameBytes(ordinal);
        this.pending.count--;
      }
    }
    info.bytes = out.length;
    info.endOrdinal = table.end;
    info.unreleased = ordinals.length;
    this.ledger.segments.push(info);
    this.current = { info, fd, size: out.length };
    let offset = HEADER_BYTES;
    for (const ordinal of ordinals) {
      table.setWritten(ordinal, offset);
      offset += table.frameBytes(ordinal);
    }
    this.pending.assignedEnd = table.end;
    this.pending.forgetBelow(table.end);
    this.reproject();
  }

  /** Closes a segment's file in the background, unless a write to it is in flight (which closes it when it ends). */
  private closeUnlessWriting(segment: OpenSegment): void {
    if (segment.fd === undefined || this.inFlight?.segment === segment) return;
    closeQuietly(segment.fd);
    segment.fd = undefined;
  }

  /** Closes every file (after the last write), or lets them go in the background with `quietly`. */
  async closeAll(quietly = false): Promise<void> {
    const segments = new Set([...this.unsynced, ...(this.current ? [this.current] : [])]);
    this.unsynced.clear();
    this.current = undefined;
    for (const segment of segments) {
      const fd = segment.fd;
      segment.fd = undefined;
      if (fd === undefined) continue;
      if (quietly) closeQuietly(fd);
      else await closeFd(fd).catch(() => undefined);
    }
  }

  /** The waiting records that fit the current segment (a new one if they do not), as one group. */
  private takeGroup(): Group | undefined {
    const table = this.ledger.table;
    const pending = this.pending;
    let from = pending.assignedEnd;
    while (from < table.end && table.mask(from) === 0) from++;
    if (from === table.end) {
      pending.assignedEnd = from;
      pending.forgetBelow(from);
      return undefined;
    }
    let segment = this.current;
    const first = table.frameBytes(from);
    if (segment !== undefined && segment.size > HEADER_BYTES && segment.size + first > this.options.segmentBytes) {
      this.seal(segment);
      segment = undefined;
    }
    if (segment === undefined) {
      const info = this.newSegment(from);
      this.ledger.segments.push(info);
      segment = this.current = { info, fd: undefined, size: 0 };
    }
    const room = Math.min(MAX_GROUP_BYTES, Math.max(this.options.segmentBytes - Math.max(segment.size, HEADER_BYTES), first));
    const ordinals: number[] = [];
    let bytes = 0;
    let end = from;
    for (; end < table.end; end++) {
      if (table.mask(end) === 0) continue;
      const size = table.frameBytes(end);
      if (bytes + size > room && ordinals.length > 0) break;
      ordinals.push(end);
      bytes += size;
    }
    pending.assignedEnd = end;
    segment.info.endOrdinal = end;
    segment.info.unreleased += ordinals.length;
    return { segment, first: from, end, ordinals, bytes, superseded: false };
  }

  private seal(segment: OpenSegment): void {
    segment.info.sealed = true;
    if (segment === this.current) this.current = undefined;
    // Its fd stays open until its last write is synced (or is closed now when nothing is owed).
    if (!this.unsynced.has(segment) && segment.fd !== undefined) {
      closeQuietly(segment.fd);
      segment.fd = undefined;
    }
  }

  private newSegment(firstOrdinal: number): SegmentInfo {
    const seq = this.nextSeq++;
    return {
      seq,
      path: join(this.options.ownerDir, segmentName(seq)),
      bytes: 0,
      firstOrdinal,
      endOrdinal: firstOrdinal,
      unreleased: 0,
      sealed: false,
      createdAtMs: this.options.now(),
      deleted: false,
    };
  }

  private encode(group: { readonly ordinals: readonly number[]; readonly bytes: number }, header: Buffer | undefined): Buffer {
    const table = this.ledger.table;
    const out = Buffer.allocUnsafe((header?.length ?? 0) + group.bytes);
    let offset = 0;
    if (header !== undefined) offset += header.copy(out, 0);
    for (const ordinal of group.ordinals) {
      offset = writeFrame(out, offset, table.seq(ordinal), table.mask(ordinal), this.pending.payload(ordinal) ?? '', table.frameBytes(ordinal));
    }
    return out;
  }
}
