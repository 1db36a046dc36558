/**
 * `pull`: hands back the records that live on disk only — recovered ones, then this process's
 * disk-only appends — reading their payloads back from their segments (several adjacent frames in
 * one read of up to 1 MiB), or from memory while a record is not written yet.
 */
import { framePayload, readFrame } from './format.js';
import { closeFd, errorCode, openFd, readAt } from './io.js';
import type { Ledger } from './ledger.js';
import type { PendingPayloads } from './pending.js';
import { DISK_ONLY, PULLED, WRITTEN } from './record-table.js';
import type { BacklogRecord } from './types.js';

/** Reads for `pull` cover at most this much of a segment at once. */
const PULL_READ_BYTES = 1024 * 1024;

/** Pulls backlog records and keeps the handles of the recovered ones it handed out. */
export class BacklogReader {
  private nextRecoveredHandle = -1;
  private readonly recovered = new Map<number, { readonly ledger: Ledger; readonly ordinal: number }>();

  /**
   * `own`: this process's ledger, whose handles are recSeqs (positive); recovered records get
   * negative handles as they are pulled. `lost`: records that cannot be read back, and why.
   */
  constructor(
    private readonly own: Ledger,
    private readonly pending: PendingPayloads,
    private readonly lost: (ledger: Ledger, ordinals: readonly number[], why: string) => void,
  ) {}

  /** The recovered record a negative handle stands for, while it is not released. */
  recoveredRecord(handle: number): { readonly ledger: Ledger; readonly ordinal: number } | undefined {
    return this.recovered.get(handle);
  }

  /** A recovered record was released: its handle is done. */
  forget(handle: number): void {
    this.recovered.delete(handle);
  }

  /** Up to `max` records from `ledgers`, in their order, not pulled before. */
  async pull(ledgers: readonly Ledger[], max: number): Promise<BacklogRecord[]> {
    const out: BacklogRecord[] = [];
    for (const ledger of ledgers) {
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
        this.recovered.set(handle, { ledger, ordinal });
      }
      out.push({ handle, payload, sinkMask: table.mask(ordinal) });
    };
    if ((table.flagsOf(first) & WRITTEN) === 0) {
      // This process's record, not written yet (or never, after a fall-back): its payload is in memory.
      const payload = ledger === this.own ? this.pending.payload(first) : undefined;
      if (payload !== undefined) give(first, payload);
      else this.lost(ledger, [first], 'its payload is gone');
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
      this.lost(ledger, run, 'its segment is gone');
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
      this.lost(ledger, run, `${segment.path} cannot be read (${errorCode(error)})`);
      return;
    }
    for (const ordinal of run) {
      if (table.mask(ordinal) === 0) continue; // released while being read
      const at = table.offset(ordinal) - start;
      const frame = readFrame(bytes, at, Number.MAX_SAFE_INTEGER);
      if ('seq' in frame && frame.seq === table.seq(ordinal)) give(ordinal, framePayload(bytes, at, frame.frameBytes));
      else this.lost(ledger, [ordinal], `a frame in ${segment.path} no longer reads back`);
    }
  }
}
