import { filter, firstValueFrom, startWith, type Observable, type SchedulerLike } from 'rxjs';
import { eventId } from '../events/event-ids.js';
import type { Durability } from '../events/durable.js';
import { onProcessExit } from '../platform/node.js';
import type { EventRecord } from '../events/event-record.js';
import { RecoveredRecord } from '../events/recovered-record.js';
import type { TelemetryEvent } from '../events/wire.js';
import { RecoveredSessions } from './recovered-sessions.js';
import type { ShutdownState } from '../sender/shutdown-state.js';
import type { Spool, SpoolStats } from '../spool/spool.js';
import type { Counters } from '../stats/counters.js';

/** What the spool adapter works with. */
export interface DurableSpoolParts {
  readonly spool: Spool;
  /** The reporter's own session. */
  readonly sessionId: string;
  /** The sinks' names, in the order the spool's masks number them. */
  readonly sinks: readonly string[];
  readonly counters: Counters;
  readonly shutdown: ShutdownState;
  readonly now: () => number;
  /** Writes ahead on the next turn, off the `log()` that accepted the event. */
  readonly scheduler: SchedulerLike;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  /** Slots of the queue only terminal events may use: what is read back never takes them. */
  readonly terminalReserve: number;
  /** Sends one batch (one session's events); completes when every event of it has settled. */
  readonly send: (batch: EventRecord[]) => Observable<never>;
}

/** What a spool record holds: the session and the wire event as first accepted. */
interface Payload {
  readonly s: string;
  readonly e: TelemetryEvent;
}


/**
 * The durable spool, as the reporter's stages use it. At the door every accepted event gets a
 * fixed `event_id` and is written ahead with the sinks it is meant for; each sink's "done"
 * (delivered or given up) moves the spool's cursor for it, except for what the stop deadline
 * abandons: that stays for the next reporter on the directory. At start, what dead processes
 * left is claimed and sent again — in batches of its own session, under its original ids — as
 * room in the queue allows, and a session that never ended gets one `rxtel.session.recovered`.
 */
export class DurableSpool implements Durability {
  private readonly bits = new Map<string, number>();
  private readonly allSinks: number;
  private closed = false;
  private readonly unhookExit: () => void;
  /** Accepted, not yet handed to the spool (the next turn does). */
  private unwritten: EventRecord[] = [];
  /** This reporter's events kept on disk only (the queue was full), not read back yet. */
  private ownOnDisk = 0;
  /** The loop that reads the backlog back into the queue, while it runs. */
  private pumping: Promise<void> | undefined;
  /** Recovered sessions, for their `rxtel.session.recovered`. */
  private readonly sessions = new RecoveredSessions();
  /** Claiming and sending what earlier processes left: until the backlog is empty (or the reporter stops). */
  recovering = true;

  constructor(private readonly parts: DurableSpoolParts) {
    parts.sinks.forEach((name, i) => this.bits.set(name, 1 << i));
    this.allSinks = parts.sinks.length >= 32 ? -1 >>> 0 : (1 << parts.sinks.length) - 1;
    // A process that ends by itself, without stop(): what waits to be written goes to disk first.
    this.unhookExit = onProcessExit(() => this.flushSync());
  }

  admitted(record: EventRecord): void {
    // The id, the wire JSON and the append wait for the next turn: log() pays for a push only.
    this.unwritten.push(record);
    if (this.unwritten.length === 1) this.parts.scheduler.schedule(() => this.drain());
  }

  replaced(record: EventRecord): void {
    // Not written yet: the drain writes its latest content anyway.
    if (record.spoolHandle === 0) return;
    this.release(record);
    this.write(record);
  }

  dropped(record: EventRecord): void {
    // Not written yet: the drain skips it (it is marked evicted).
    this.release(record);
  }

  get overflowing(): boolean {
    return this.ownOnDisk > 0;
  }

  overflow(record: EventRecord): 'kept' | 'full' | 'unavailable' {
    // Written now, not on the next turn: this event is not kept in memory at all.
    record.eventId ??= eventId();
    const handle = this.parts.spool.append(this.payloadOf(record), this.maskOf(record), true);
    if (handle === 'full' || handle === 'unavailable') return handle;
    this.ownOnDisk++;
    this.pump();
    return 'kept';
  }

  /** Writes ahead what was accepted since the last drain, in acceptance order. */
  private drain(): void {
    const records = this.unwritten;
    if (records.length === 0) return;
    this.unwritten = [];
    for (const record of records) {
      if (record.evicted) continue;
      record.eventId ??= eventId();
      this.write(record);
    }
  }

  done(record: EventRecord, sink: string): void {
    // Abandoned at the stop deadline is not done: it stays on disk for the next reporter.
    if (this.parts.shutdown.abandoned) return;
    const handle = record instanceof RecoveredRecord ? record.handle : record.spoolHandle;
    if (handle !== 0) this.parts.spool.done(handle, sink);
  }

  /** The fatal path: whatever waits to be written, now, synchronously. */
  flushSync(): void {
    this.drain();
    this.parts.spool.flushSync();
  }

  stats(): SpoolStats {
    return this.parts.spool.stats();
  }

  /** After the reporter's last settlement: flush, and leave nothing behind when nothing is owed. */
  async close(): Promise<void> {
    this.closed = true;
    this.unhookExit();
    this.drain();
    await this.parts.spool.close();
  }

  /**
   * Claims what dead processes left and sends it, a batch at a time while the in-memory queue is
   * under half full, then one `rxtel.session.recovered` per recovered session that had not ended.
   * Never rejects.
   */
  async recover(): Promise<void> {
    const { spool, counters } = this.parts;
    try {
      const found = await spool.recover();
      if (found.corrupt > 0) counters.drop('spoolCorrupt', found.corrupt);
      await this.pump();
      this.sendBySession(this.sessions.ends(this.parts.sessionId, this.parts.now()));
    } catch {
      // Recovery is best effort: what it could not send stays on disk for the next reporter.
    } finally {
      this.recovering = false;
    }
  }

  /** Reads the backlog (recovered records first, then this reporter's disk-only ones) back as room allows; one loop at a time. */
  private pump(): Promise<void> {
    return (this.pumping ??= this.pumpLoop().finally(() => (this.pumping = undefined)));
  }

  private async pumpLoop(): Promise<void> {
    const { spool, counters, maxBatchSize, maxQueueSize, terminalReserve } = this.parts;
    // Never more in memory than ordinary events may take: a batch at a time, once half the queue is free.
    const room = () => maxQueueSize - terminalReserve - counters.inMemory;
    const enough = Math.max(1, Math.min(maxBatchSize, Math.floor(maxQueueSize / 2)));
    while (!this.closed) {
      await firstValueFrom(counters.changes$.pipe(startWith(undefined), filter(() => this.closed || room() >= enough)), { defaultValue: undefined });
      if (this.closed) return;
      const pulled = await spool.pull(Math.min(maxBatchSize, room()));
      if (pulled.length === 0) {
        if (this.ownOnDisk === 0) return;
        // The queue filled up again meanwhile: wait for the next change, then look again.
        await firstValueFrom(counters.changes$, { defaultValue: undefined });
        continue;
      }
      const records: RecoveredRecord[] = [];
      for (const { handle, payload, sinkMask } of pulled) {
        const own = handle > 0;
        const record = this.recovered(handle, payload, sinkMask, own);
        if (record === undefined) continue;
        records.push(record);
        if (!own) this.sessions.note(record);
      }
      this.sendBySession(records);
    }
  }

  private maskOf(record: EventRecord): number {
    return record.excludeSink === undefined ? this.allSinks : this.allSinks & ~(this.bits.get(record.excludeSink) ?? 0);
  }

  private payloadOf(record: EventRecord): string {
    const payload: Payload = { s: this.parts.sessionId, e: record.toWire() };
    return JSON.stringify(payload);
  }

  private write(record: EventRecord): void {
    const handle = this.parts.spool.append(this.payloadOf(record), this.maskOf(record));
    record.spoolHandle = typeof handle === 'number' ? handle : 0;
    if (typeof handle !== 'number') this.parts.counters.spoolSkipped++;
  }

  private release(record: EventRecord): void {
    const handle = record.spoolHandle;
    if (handle === 0) return;
    for (const sink of this.parts.sinks) this.parts.spool.done(handle, sink);
    record.spoolHandle = 0;
  }

  /** The record a spool entry holds, counted as accepted (and recovered); `undefined` when it cannot be read. */
  private recovered(handle: number, payload: string, sinkMask: number, own = false): RecoveredRecord | undefined {
    let parsed: Payload;
    try {
      parsed = JSON.parse(payload) as Payload;
      if (typeof parsed.s !== 'string' || typeof parsed.e?.event_id !== 'string') throw new TypeError('not an rxtel spool record');
    } catch {
      this.parts.counters.drop('spoolCorrupt');
      for (const sink of this.parts.sinks) this.parts.spool.done(handle, sink);
      if (own) this.settleUnreadable();
      return undefined;
    }
    const record = new RecoveredRecord(parsed.s, parsed.e, handle, Math.min(payload.length, 1 << 20), own);
    // Sinks a previous process already finished: not meant for them again.
    for (const [sink, bit] of this.bits) if ((sinkMask & bit) === 0) record.excludeSink ??= sink;
    return record;
  }

  /** An own disk-only record that cannot be read back: it was accepted, so it settles as lost. */
  private settleUnreadable(): void {
    this.ownOnDisk--;
    this.parts.counters.onDisk--;
    this.parts.counters.settle({ delivered: 0, failed: 1 }, 0);
    this.parts.counters.advance(1, true);
  }

  /** Consecutive events of one session make a batch (a request carries one session), at most maxBatchSize. */
  private sendBySession(records: readonly RecoveredRecord[]): void {
    const { counters, maxBatchSize, send } = this.parts;
    let batch: RecoveredRecord[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const out = batch;
      batch = [];
      for (const record of out) {
        if (record.own) {
          // Accepted already (and counted on disk): now it is in memory, for its bytes too.
          this.ownOnDisk--;
          counters.onDisk--;
          counters.queuedBytes += record.bytes;
        } else {
          counters.accept(record.bytes);
          counters.recovered++;
        }
      }
      send(out).subscribe();
    };
    for (const record of records) {
      if (batch.length > 0 && (batch[0]!.sessionId !== record.sessionId || batch.length >= maxBatchSize)) flush();
      batch.push(record);
    }
    flush();
  }
}
