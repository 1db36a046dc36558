/**
 * The durable spool: a write-ahead log of accepted events on disk, per process, with per-sink
 * release and recovery of what dead processes left (docs/durability.md#format-and-recovery,
 * docs/research-spool.md §4). It knows records, sink names and bytes; nothing of reporters,
 * pipelines or sinks.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rmdir, unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { currentProcess, everyRealMs, touch, type ProcessIdentity } from '../platform/liveness.js';
import { DiskLoop } from './disk-loop.js';
import { FRAME_OVERHEAD, framePayload, readFrame } from './format.js';
import { closeFd, errorCode, openFd, readAt } from './io.js';
import { Ledger } from './ledger.js';
import { CURSOR_FILE, layout, OWNER_FILE, type OwnerFile } from './owner.js';
import { PendingPayloads } from './pending.js';
import { DISK_ONLY, PULLED, WRITTEN } from './record-table.js';
import { claimDead, loadClaim, type RecoveryContext } from './recovery.js';
import { SegmentWriter } from './segment-writer.js';
import { resolveSpoolOptions, type ResolvedSpoolOptions, type SpoolOptions } from './spool-options.js';

export type { SpoolOptions } from './spool-options.js';

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

/** Owner ids open in this process (an owner with this pid that is not listed here is dead). */
const openHere = new Set<string>();
/** Reads for `pull` cover at most this much of a segment at once. */
const PULL_READ_BYTES = 1024 * 1024;

/**
 * A durable spool over one directory. Create it with {@link Spool.open}.
 *
 * @example
 * ```ts
 * const spool = Spool.open({ dir: '/var/spool/app', maxBytes: 256 * 2 ** 20, writeIntervalMs: 100, fsync: 'interval',
 *   maxRecordBytes: 1 << 20, sinks: ['http'], scheduler: nodeScheduler, logger: console });
 * const handle = spool.append(JSON.stringify(event), 0b1);
 * if (typeof handle === 'number') spool.done(handle, 'http'); // once the http sink delivered it
 * for (const record of await spool.pull(100)) send(record.payload, record.sinkMask);
 * await spool.close();
 * ```
 */
export class Spool {
  private state: 'open' | 'closing' | 'closed' = 'open';
  private fallbackReason: string | undefined;
  private corrupt = 0;
  private diskBytes = 0;
  private diskSegments = 0;
  private nextRecoveredHandle = -1;
  private readonly recoveredHandles = new Map<number, { readonly ledger: Ledger; readonly ordinal: number }>();
  private readonly recovered: Ledger[] = [];
  private readonly warned = new Set<string>();
  private readonly sinkIndex: Map<string, number>;
  private readonly allSinks: number;
  private serial: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private stopHeartbeat: () => void = () => undefined;
  private readonly own: Ledger;
  private readonly pending = new PendingPayloads();
  private readonly writer: SegmentWriter;
  private readonly loop: DiskLoop;

  private constructor(
    private readonly options: ResolvedSpoolOptions,
    private readonly ownerId: string,
    private readonly ownerDir: string,
    private readonly me: ProcessIdentity,
    unusable: string | undefined,
  ) {
    this.sinkIndex = new Map(options.sinks.map((name, i) => [name, i]));
    this.allSinks = options.sinks.length === 32 ? 0xffffffff : 2 ** options.sinks.length - 1;
    this.own = new Ledger(ownerDir, options.sinks, []);
    const now = () => options.scheduler.now();
    const sync = options.fsync === 'interval';
    this.writer = new SegmentWriter(this.own, this.pending, { ownerDir, ownerId, segmentBytes: options.segmentBytes, sync, now });
    this.loop = new DiskLoop({
      scheduler: options.scheduler,
      intervalMs: options.writeIntervalMs,
      sync,
      watchdogMs: Math.max(2000, 20 * options.writeIntervalMs),
      writer: this.writer,
      pending: this.pending,
      own: this.own,
      recovered: this.recovered,
      fallbackReason: () => this.fallbackReason,
      fallback: (reason) => this.fallBack(reason),
      changed: () => this.measure(),
    });
    if (unusable !== undefined) this.fallBack(unusable);
  }

  /**
   * Opens a spool in `options.dir`: creates `<dir>/v1/owners/<ownerId>/` and its `owner.json`
   * (synchronously: a few small calls, so that an unusable directory is known before the first
   * append) and starts the heartbeat. Segments are created by the writer, off the caller's stack.
   * Never throws: invalid options or an unusable directory give a spool whose `append` answers
   * `'unavailable'`, after one logger warning that names the reason and the directory.
   */
  static open(options: SpoolOptions): Spool {
    const resolved = resolveSpoolOptions(options);
    const ownerId = randomUUID().replace(/-/g, '');
    const me = currentProcess();
    if (typeof resolved === 'string') {
      const spool = new Spool(invalidOptions(options), ownerId, '', me, `invalid options: ${resolved}`);
      spool.state = 'closed';
      return spool;
    }
    const ownerDir = join(layout(resolved.dir).owners, ownerId);
    let unusable: string | undefined;
    try {
      makeOwnerDirectory(ownerDir, {
        format: 1,
        ownerId,
        ...me,
        startedAtMs: resolved.scheduler.now(),
        sinks: resolved.sinks,
        maxRecordBytes: resolved.maxRecordBytes,
      });
    } catch (error) {
      unusable = `cannot use the directory (${errorCode(error)})`;
    }
    const spool = new Spool(resolved, ownerId, ownerDir, me, unusable);
    if (unusable === undefined) {
      openHere.add(ownerId);
      spool.startHeartbeat();
    }
    return spool;
  }

  /**
   * Queues a record (its wire JSON) for the next group write; never touches the disk on the
   * caller's stack, never throws. `sinkMask` bit i means `sinks[i]` is owed the record.
   * `diskOnly`: the caller keeps no copy in memory; `pull` will hand it back.
   */
  append(payload: string, sinkMask: number, diskOnly = false): AppendResult {
    if (this.state !== 'open' || this.fallbackReason !== undefined) return 'unavailable';
    try {
      const frameBytes = FRAME_OVERHEAD + Buffer.byteLength(payload, 'utf8');
      if (frameBytes > this.options.maxRecordBytes) return 'full';
      const header = this.writer.headerFor(frameBytes);
      if (this.diskBytes + this.pending.bytes + this.writer.reservedHeaders + header + frameBytes > this.options.maxBytes) return 'full';
      const mask = (sinkMask & this.allSinks) >>> 0;
      const first = !this.writer.hasWaiting();
      this.writer.project(frameBytes);
      const ordinal = this.own.add(this.own.table.end + 1, mask, diskOnly ? DISK_ONLY : 0, 0, frameBytes);
      this.pending.push(mask === 0 ? undefined : payload, frameBytes);
      if (first) this.own.markTime(ordinal, this.options.scheduler.now());
      this.loop.appended(first);
      return ordinal + 1;
    } catch {
      return 'unavailable';
    }
  }

  /**
   * Sink `sink` delivered the record `handle`, or gave up on it. Once every sink of its mask is
   * done, the record is released. Any order; unknown handles, sinks and repeats are ignored.
   */
  done(handle: number, sink: string): void {
    try {
      const index = this.sinkIndex.get(sink);
      if (index === undefined || !Number.isSafeInteger(handle)) return;
      let ledger: Ledger;
      if (handle > 0) {
        ledger = this.own;
        const ordinal = handle - 1;
        const waiting = this.pending.waiting(ordinal) && ordinal < ledger.table.end && ledger.table.mask(ordinal) !== 0;
        const frameBytes = waiting ? ledger.table.frameBytes(ordinal) : 0;
        if (ledger.settle(ordinal, index)) {
          if (waiting) {
            this.pending.bytes -= frameBytes;
            this.pending.count--;
          }
          this.loop.released();
        }
      } else {
        const entry = this.recoveredHandles.get(handle);
        if (entry === undefined) return;
        ledger = entry.ledger;
        if (ledger.settle(entry.ordinal, index)) {
          this.recoveredHandles.delete(handle);
          this.loop.released();
        }
      }
      if (ledger.cursorDirty) this.loop.cursorsChanged();
    } catch {
      // Never into the caller.
    }
  }

  /**
   * Up to `max` records that live on disk only and were not pulled yet, in order: recovered ones
   * (oldest owner first), then this process's `diskOnly` appends (from memory while not yet
   * written). A frame that no longer reads back is counted as corrupt and released. Never rejects.
   */
  pull(max: number): Promise<BacklogRecord[]> {
    return this.serially(() => this.pullNow(max), []);
  }

  /**
   * Claims the owners that died with data in this directory (exactly one live claimant wins each)
   * and makes their unreleased records backlog for `pull`. Also claims this directory's earlier
   * owners from a process that restarted. Never rejects; a spool that fell back claims nothing.
   */
  recover(): Promise<RecoveryResult> {
    return this.serially(() => this.recoverNow(), { owners: 0, records: 0, corrupt: 0 });
  }

  /**
   * Writes everything appended so far (and fdatasyncs it under `'interval'`) and every changed
   * cursor file now; resolves when done, or at once when the spool fell back. Never rejects.
   */
  flush(): Promise<void> {
    return this.state === 'closed' ? Promise.resolve() : this.loop.flush();
  }

  /**
   * The fatal path: writes every record not yet written (a write in flight included) into a new
   * segment with `writeSync`, then `fdatasyncSync` under `'interval'`. Blocks for that one write;
   * never throws. Does nothing after a fall-back (a hung disk would hang the caller).
   */
  flushSync(): void {
    if (this.state === 'closed' || this.fallbackReason !== undefined) return;
    try {
      this.writer.flushSync();
      this.measure();
    } catch (error) {
      this.fallBack(`the fatal path's synchronous write failed (${errorCode(error)})`);
    }
  }

  /**
   * Stops taking records, flushes, and closes the files. When none of this process's records is
   * unreleased, removes this owner's directory, and `v1/` when nothing else is left in it: after
   * everything was released, no files stay behind. Otherwise the files stay for a later process to
   * recover (claimed owners still owed too: with this owner gone, the next recovery takes them over).
   * Never rejects.
   */
  close(): Promise<void> {
    this.closing ??= this.closeNow().catch(() => undefined);
    return this.closing;
  }

  /** What the spool holds now. */
  stats(): SpoolStats {
    let unreleased = this.own.unreleased;
    let backlog = this.own.backlog;
    let oldest = this.own.oldestAtMs();
    for (const ledger of this.recovered) {
      unreleased += ledger.unreleased;
      backlog += ledger.backlog;
      const at = ledger.oldestAtMs();
      if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
    }
    return {
      bytes: this.diskBytes + this.pending.bytes + this.writer.reservedHeaders,
      segments: this.diskSegments,
      unwritten: this.pending.count,
      unreleased,
      backlog,
      oldestUnreleasedAtMs: oldest,
      corrupt: this.corrupt,
      fallback: this.fallbackReason,
      writes: this.writer.writes,
      syncs: this.writer.syncs,
    };
  }

  private serially<T>(work: () => Promise<T>, otherwise: T): Promise<T> {
    const result = this.serial.then(work).catch(() => otherwise);
    this.serial = result;
    return result;
  }

  private async pullNow(max: number): Promise<BacklogRecord[]> {
    const out: BacklogRecord[] = [];
    if (this.state === 'closed' || !(max > 0)) return out;
    for (const ledger of [...this.recovered, this.own]) {
      while (out.length < max) {
        const first = ledger.nextPullable();
        if (first === undefined) break;
        await this.pullRun(ledger, first, max - out.length, out);
      }
    }
    return out;
  }

  /** Pulls records from `first` on that sit together: in memory, or in one read of one segment. */
  private async pullRun(ledger: Ledger, first: number, max: number, out: BacklogRecord[]): Promise<void> {
    const table = ledger.table;
    const give = (ordinal: number, payload: string): void => {
      ledger.markPulled(ordinal);
      let handle = ordinal + 1;
      if (ledger !== this.own) {
        handle = this.nextRecoveredHandle--;
        this.recoveredHandles.set(handle, { ledger, ordinal });
      }
      out.push({ handle, payload, sinkMask: table.mask(ordinal) });
    };
    if ((table.flagsOf(first) & WRITTEN) === 0) {
      // This process's record, not written yet (or never, after a fall-back): its payload is in memory.
      const payload = ledger === this.own ? this.pending.payload(first) : undefined;
      if (payload !== undefined) give(first, payload);
      else this.lose(ledger, [first], 'its payload is gone');
      return;
    }
    const segment = ledger.segmentOf(first);
    const run: number[] = [];
    const start = table.offset(first);
    let end = start;
    for (let o = first; o < table.end && run.length < max; o++) {
      const flags = table.flagsOf(o);
      if ((flags & (DISK_ONLY | PULLED)) !== DISK_ONLY || table.mask(o) === 0) continue;
      if ((flags & WRITTEN) === 0 || ledger.segmentOf(o) !== segment || table.offset(o) < end) break;
      const after = table.offset(o) + table.frameBytes(o);
      if (run.length > 0 && after - start > PULL_READ_BYTES) break;
      run.push(o);
      end = after;
    }
    if (segment === undefined) {
      this.lose(ledger, run, 'its segment is gone');
      return;
    }
    let bytes: Buffer;
    try {
      const fd = await openFd(segment.path, 'r');
      try {
        bytes = await readAt(fd, end - start, start);
      } finally {
        await closeFd(fd);
      }
    } catch (error) {
      this.lose(ledger, run, `${segment.path} cannot be read (${errorCode(error)})`);
      return;
    }
    for (const ordinal of run) {
      if (table.mask(ordinal) === 0) continue; // released while being read
      const at = table.offset(ordinal) - start;
      const frame = readFrame(bytes, at, Number.MAX_SAFE_INTEGER);
      if ('seq' in frame && frame.seq === table.seq(ordinal)) give(ordinal, framePayload(bytes, at, frame.frameBytes));
      else this.lose(ledger, [ordinal], `a frame in ${segment.path} no longer reads back`);
    }
  }

  /** Records that cannot be read back: counted as corrupt, released, warned about once per cause. */
  private lose(ledger: Ledger, ordinals: readonly number[], why: string): void {
    this.corrupt += ordinals.length;
    this.warnOnce(`lost:${why}`, `spool: ${ordinals.length} record(s) lost: ${why}`);
    for (const ordinal of ordinals) ledger.drop(ordinal);
    if (ledger.cursorDirty) this.loop.cursorsChanged();
    this.loop.released();
  }

  private async recoverNow(): Promise<RecoveryResult> {
    const result = { owners: 0, records: 0, corrupt: 0 };
    if (this.state !== 'open' || this.fallbackReason !== undefined) return result;
    const context: RecoveryContext = {
      dir: this.options.dir,
      ownerId: this.ownerId,
      me: this.me,
      liveHere: openHere,
      sinks: this.options.sinks,
      maxRecordBytes: this.options.maxRecordBytes,
      syncDirectories: this.options.fsync === 'interval',
      warnOnce: (key, message) => this.warnOnce(key, message),
    };
    const claims = await claimDead(context);
    const loaded = [];
    for (const path of claims) loaded.push(await loadClaim(path, context));
    loaded.sort((a, b) => a.startedAtMs - b.startedAtMs);
    for (const claim of loaded) {
      this.recovered.push(claim.ledger);
      result.records += claim.records;
      result.corrupt += claim.corrupt;
    }
    result.owners = loaded.length;
    this.corrupt += result.corrupt;
    this.measure();
    this.loop.released();
    return result;
  }

  private async closeNow(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    await this.serial.catch(() => undefined);
    await this.loop.flush();
    await this.loop.stop();
    this.stopHeartbeat();
    openHere.delete(this.ownerId);
    this.state = 'closed';
    if (this.fallbackReason !== undefined) {
      // Nothing more touches a disk that failed; what is there stays for a later recovery.
      await this.writer.closeAll(true);
      return;
    }
    await this.writer.closeAll();
    // Records of this owner still owed: its directory stays for a later recovery.
    if (this.own.unreleased > 0) return;
    for (const segment of this.own.segments) if (!segment.deleted) await unlink(segment.path).catch(() => undefined);
    for (const name of [CURSOR_FILE, `${CURSOR_FILE}.tmp`, OWNER_FILE]) await unlink(join(this.ownerDir, name)).catch(() => undefined);
    await rmdir(this.ownerDir).catch(() => undefined);
    for (const segment of this.own.segments) segment.deleted = true;
    this.measure();
    // Claims still owed stay (with this owner gone, the next recovery takes them over). The skeleton
    // goes when nothing else uses it; an open racing with this re-creates it (makeOwnerDirectory retries).
    const { owners, claims, root } = layout(this.options.dir);
    for (const dir of [owners, claims, root]) await rmdir(dir).catch(() => undefined);
  }

  private fallBack(reason: string): void {
    if (this.fallbackReason !== undefined) return;
    this.fallbackReason = reason;
    this.warnOnce('fallback', `spool: ${reason} in ${this.options.dir}; events are kept in memory only from now on`);
    // The caller holds in memory every record that is not disk-only: only those must stay here.
    this.pending.forgetUnless((ordinal) => (this.own.table.flagsOf(ordinal) & DISK_ONLY) !== 0 && this.own.table.mask(ordinal) !== 0);
    this.loop?.fellBack();
  }

  private startHeartbeat(): void {
    const file = join(this.ownerDir, OWNER_FILE);
    let beating = false;
    this.stopHeartbeat = everyRealMs(this.options.heartbeatMs, () => {
      if (beating) return;
      beating = true;
      touch(file, (code) => {
        beating = false;
        if (code === 'ENOENT' && this.state === 'open') this.fallBack('its owner directory was removed or claimed by another process');
      });
    });
  }

  private measure(): void {
    let bytes = 0;
    let segments = 0;
    for (const ledger of [this.own, ...this.recovered]) {
      bytes += ledger.liveBytes();
      segments += ledger.liveSegments();
    }
    this.diskBytes = bytes;
    this.diskSegments = segments;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    try {
      this.options.logger.warn(message);
    } catch {
      // A logger that throws is not the spool's failure.
    }
  }
}

/** Creates the owner directory and its `owner.json` (written whole: a temporary file, then a rename). */
function makeOwnerDirectory(ownerDir: string, owner: OwnerFile): void {
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(ownerDir, { recursive: true });
      break;
    } catch (error) {
      // ENOENT: a closing spool removed the empty skeleton between our mkdir's steps.
      if (errorCode(error) !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
  const file = join(ownerDir, OWNER_FILE);
  try {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(owner)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    try {
      rmSync(ownerDir, { recursive: true, force: true });
    } catch {
      // Left: a later recovery removes an owner directory without records.
    }
    throw error;
  }
}

/** Enough of the options to build a spool that answers `'unavailable'`. */
function invalidOptions(options: Partial<SpoolOptions> | undefined): ResolvedSpoolOptions {
  return {
    dir: typeof options?.dir === 'string' ? options.dir : '(invalid)',
    maxBytes: 0,
    writeIntervalMs: 0,
    fsync: 'never',
    segmentBytes: 0,
    maxRecordBytes: 0,
    sinks: [],
    scheduler: options?.scheduler ?? { now: () => 0, schedule: () => ({ unsubscribe: () => undefined }) as never },
    logger: options?.logger ?? { warn: () => undefined },
    heartbeatMs: 5000,
  };
}
