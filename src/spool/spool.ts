/**
 * The durable spool: a write-ahead log of accepted events on disk, per process, with per-sink
 * release and recovery of what dead processes left (docs/durability.md#format-and-recovery,
 * docs/research-spool.md §4). It knows records, sink names and bytes; nothing of reporters,
 * pipelines or sinks.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { currentProcess, type ProcessIdentity } from '../platform/liveness.js';
import { BacklogReader } from './backlog.js';
import { DiskLoop } from './disk-loop.js';
import { FRAME_OVERHEAD } from './format.js';
import { errorCode } from './io.js';
import { Ledger } from './ledger.js';
import { makeOwnerDirectory, removeOwnerDirectory, startHeartbeat } from './owner-directory.js';
import { layout } from './owner.js';
import { PendingPayloads } from './pending.js';
import { DISK_ONLY } from './record-table.js';
import { claimDead, loadClaim, type RecoveryContext } from './recovery.js';
import { SegmentWriter } from './segment-writer.js';
import { invalidOptions, resolveSpoolOptions, type ResolvedSpoolOptions, type SpoolOptions } from './spool-options.js';
import type { AppendResult, BacklogRecord, RecoveryResult, SpoolStats } from './types.js';

// The API's types, from the class's module too (src/reporter/ imports them from here).
export type { AppendResult, BacklogRecord, RecoveryResult, SpoolStats } from './types.js';
export type { SpoolOptions } from './spool-options.js';


/** Owner ids open in this process (an owner with this pid that is not listed here is dead). */
const openHere = new Set<string>();

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
  private readonly backlog: BacklogReader;

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
    this.backlog = new BacklogReader(this.own, this.pending, (ledger, ordinals, why) => this.lose(ledger, ordinals, why));
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
      spool.stopHeartbeat = startHeartbeat(ownerDir, resolved.heartbeatMs, () => {
        if (spool.state === 'open') spool.fallBack('its owner directory was removed or claimed by another process');
      });
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
        const entry = this.backlog.recoveredRecord(handle);
        if (entry === undefined) return;
        ledger = entry.ledger;
        if (ledger.settle(entry.ordinal, index)) {
          this.backlog.forget(handle);
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
    return this.serially(async () => (this.state === 'closed' || !(max > 0) ? [] : this.backlog.pull([...this.recovered, this.own], max)), []);
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
    // Records of this owner still owed: its directory stays for a later recovery. Claims still
    // owed stay too: with this owner gone, the next recovery takes them over.
    if (this.own.unreleased > 0) return;
    const live = this.own.segments.filter((segment) => !segment.deleted);
    await removeOwnerDirectory(this.options.dir, this.ownerDir, live.map((segment) => segment.path));
    for (const segment of live) segment.deleted = true;
    this.measure();
  }

  private fallBack(reason: string): void {
    if (this.fallbackReason !== undefined) return;
    this.fallbackReason = reason;
    this.warnOnce('fallback', `spool: ${reason} in ${this.options.dir}; events are kept in memory only from now on`);
    // The caller holds in memory every record that is not disk-only: only those must stay here.
    this.pending.forgetUnless((ordinal) => (this.own.table.flagsOf(ordinal) & DISK_ONLY) !== 0 && this.own.table.mask(ordinal) !== 0);
    this.loop?.fellBack();
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
