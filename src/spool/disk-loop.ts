/**
 * The spool's one disk worker. It runs one file operation at a time — a group write, an
 * fdatasync, a cursor file, a deletion — so at most one write and one sync are ever in flight (a
 * hung disk pins one libuv thread, not all four, which DNS and so the sinks share). It decides what
 * is due:
 *
 * - a group write `writeIntervalMs` after the first record waiting for one, or at once past 256 KiB;
 * - an fdatasync after a write, at most one per interval (`fsync: 'interval'` only);
 * - a cursor file that changed, at most once per interval per owner;
 * - the deletion of a sealed segment whose records are all released, and of a claimed owner's
 *   directory once everything in it is.
 *
 * The pacing timers run on the injected scheduler; the watchdog over each operation runs in real
 * time (a disk's slowness is real time), and an operation unfinished after it is a fall-back.
 */
import { rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SchedulerLike, Subscription } from 'rxjs';
import { afterRealMs } from '../platform/liveness.js';
import { closeFd, datasync, errorCode, openFd, writeAt } from './io.js';
import type { Ledger, SegmentInfo } from './ledger.js';
import { CURSOR_FILE, encodeCursors, OWNER_FILE } from './owner.js';
import type { PendingPayloads } from './pending.js';
import { GROUP_TRIGGER_BYTES, type SegmentWriter } from './segment-writer.js';

/** What the loop works on, owned by the Spool. */
export interface DiskLoopHost {
  readonly scheduler: SchedulerLike;
  readonly intervalMs: number;
  readonly sync: boolean;
  /** How long one operation may take before the disk counts as too slow. */
  readonly watchdogMs: number;
  readonly writer: SegmentWriter;
  readonly pending: PendingPayloads;
  readonly own: Ledger;
  /** The claimed owners' ledgers; the loop removes one once its directory is gone. */
  readonly recovered: Ledger[];
  readonly fallbackReason: () => string | undefined;
  readonly fallback: (reason: string) => void;
  /** Sizes on disk changed. */
  readonly changed: () => void;
}

type Op = () => Promise<void>;

/** The one disk worker of a spool: see the module comment. */
export class DiskLoop {
  private busy = false;
  private stopped = false;
  private writeDue = false;
  private writeTimer: Subscription | undefined;
  private syncTimer: Subscription | undefined;
  private cursorTimer: Subscription | undefined;
  private soon: Subscription | undefined;
  private lastSyncAt = Number.NEGATIVE_INFINITY;
  private readonly lastCursorAt = new WeakMap<Ledger, number>();
  private waiters: { readonly target: number; readonly resolve: () => void }[] = [];
  private onIdle: (() => void) | undefined;

  constructor(private readonly host: DiskLoopHost) {}

  /** A record was appended; `first`: it is the first one waiting for a group write. */
  appended(first: boolean): void {
    if (first && this.writeTimer === undefined) {
      this.writeTimer = this.host.scheduler.schedule(() => {
        this.writeTimer = undefined;
        this.writeDue = true;
        this.kick();
      }, this.host.intervalMs);
    }
    // While a write is in flight its end starts the next one: no wake-up per append.
    if (!this.busy && this.host.pending.bytes >= GROUP_TRIGGER_BYTES) this.kickSoon();
  }

  /** A cursor moved: its file is rewritten within an interval. */
  cursorsChanged(): void {
    if (this.cursorTimer !== undefined || this.stopped) return;
    this.cursorTimer = this.host.scheduler.schedule(() => {
      this.cursorTimer = undefined;
      this.kick();
    }, this.host.intervalMs);
  }

  /** Something was released: a segment or a claimed directory may be deletable. */
  released(): void {
    this.kickSoon();
  }

  /**
   * Writes (and, when syncing, syncs) every record appended so far, and every changed cursor, now;
   * resolves when that is done or the spool fell back. Never rejects.
   */
  flush(): Promise<void> {
    if (this.stopped || this.host.fallbackReason() !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ target: this.host.own.table.end, resolve });
      this.kick();
    });
  }

  /**
   * No more operations start; waiting flushes resolve. Resolves once the operation in flight, if
   * any, has ended — or at once after a fall-back, when it may never end.
   */
  stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.writeTimer, this.syncTimer, this.cursorTimer, this.soon]) timer?.unsubscribe();
    this.writeTimer = this.syncTimer = this.cursorTimer = this.soon = undefined;
    this.resolveWaiters(true);
    if (!this.busy || this.host.fallbackReason() !== undefined) return Promise.resolve();
    return new Promise((resolve) => (this.onIdle = resolve));
  }

  /** A fall-back happened: flushes stop waiting for writes that will not come. */
  fellBack(): void {
    this.writeTimer?.unsubscribe();
    this.syncTimer?.unsubscribe();
    this.writeTimer = this.syncTimer = undefined;
    this.resolveWaiters(true);
    this.onIdle?.();
  }

  /** Starts the next due operation, unless one is in flight. */
  kick(): void {
    if (this.busy || this.stopped) return;
    const op = this.next();
    if (op === undefined) {
      this.resolveWaiters(true);
      return;
    }
    this.busy = true;
    const cancel = afterRealMs(this.host.watchdogMs, () =>
      this.host.fallback(`a disk operation did not finish within ${this.host.watchdogMs} ms (the disk is too slow)`),
    );
    op()
      .catch((error: unknown) => this.host.fallback(`a segment write failed (${errorCode(error)})`))
      .finally(() => {
        cancel();
        this.busy = false;
        this.onIdle?.();
        this.host.changed();
        this.resolveWaiters(false);
        this.kick();
      });
  }

  private kickSoon(): void {
    if (this.soon !== undefined || this.stopped) return;
    this.soon = this.host.scheduler.schedule(() => {
      this.soon = undefined;
      this.kick();
    });
  }

  private next(): Op | undefined {
    const { writer, scheduler, intervalMs } = this.host;
    const forced = this.waiters.length > 0;
    const now = scheduler.now();
    if (this.host.fallbackReason() === undefined) {
      if (writer.hasWaiting() && (this.writeDue || forced || this.host.pending.bytes >= GROUP_TRIGGER_BYTES)) {
        return async () => {
          await writer.writeGroup();
          if (!writer.hasWaiting()) {
            this.writeDue = false;
            this.writeTimer?.unsubscribe();
            this.writeTimer = undefined;
          }
        };
      }
      if (writer.hasUnsynced()) {
        if (forced || now - this.lastSyncAt >= intervalMs) {
          this.lastSyncAt = now;
          return () => writer.sync();
        }
        this.syncTimer ??= scheduler.schedule(() => {
          this.syncTimer = undefined;
          this.kick();
        }, this.lastSyncAt + intervalMs - now);
      }
    }
    for (const ledger of [this.host.own, ...this.host.recovered]) {
      if (!ledger.cursorDirty) continue;
      const last = this.lastCursorAt.get(ledger) ?? Number.NEGATIVE_INFINITY;
      if (forced || now - last >= intervalMs) {
        this.lastCursorAt.set(ledger, now);
        return () => this.writeCursors(ledger);
      }
      this.cursorsChanged();
    }
    for (const ledger of [this.host.own, ...this.host.recovered]) {
      const segment = ledger.deletable()[0];
      if (segment !== undefined) return () => this.delete(ledger, segment);
    }
    const done = this.host.recovered.find((ledger) => ledger.unreleased === 0 && ledger.liveSegments() === 0);
    if (done !== undefined) return () => this.removeClaim(done);
    return undefined;
  }

  private resolveWaiters(idle: boolean): void {
    if (this.waiters.length === 0) return;
    const { writer } = this.host;
    const fellBack = this.host.fallbackReason() !== undefined;
    const ledgers = [this.host.own, ...this.host.recovered];
    const clean =
      !writer.hasUnsynced() &&
      ledgers.every((ledger) => !ledger.cursorDirty && ledger.deletable().length === 0) &&
      !this.host.recovered.some((ledger) => ledger.unreleased === 0);
    const waiting: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (idle || fellBack || this.stopped || (clean && writer.writtenEnd() >= waiter.target)) waiter.resolve();
      else waiting.push(waiter);
    }
    this.waiters = waiting;
  }

  /** Rewrites a cursor file: a temporary file, then a rename over the old one. A failure only means duplicates after a crash. */
  private async writeCursors(ledger: Ledger): Promise<void> {
    ledger.cursorDirty = false;
    const file = join(ledger.dir, CURSOR_FILE);
    const temporary = `${file}.tmp`;
    try {
      const fd = await openFd(temporary, 'w');
      try {
        await writeAt(fd, Buffer.from(encodeCursors(ledger.cursorsByName())), 0);
        if (this.host.sync) await datasync(fd);
      } finally {
        await closeFd(fd);
      }
      await rename(temporary, file);
    } catch {
      // Left as it was: more is sent again after a crash, nothing is lost.
    }
  }

  private async delete(ledger: Ledger, segment: SegmentInfo): Promise<void> {
    segment.deleted = true;
    await unlink(segment.path).catch(() => undefined);
    ledger.forgetDeleted();
  }

  /** A claimed owner whose records are all released: its files and directory go (unknown files stay). */
  private async removeClaim(ledger: Ledger): Promise<void> {
    const index = this.host.recovered.indexOf(ledger);
    if (index >= 0) this.host.recovered.splice(index, 1);
    for (const name of [CURSOR_FILE, `${CURSOR_FILE}.tmp`, OWNER_FILE]) await unlink(join(ledger.dir, name)).catch(() => undefined);
    await rmdir(ledger.dir).catch(() => undefined);
  }
}
