/**
 * The console's store on disk ({@link ConsoleStore}): appends go through one queue, so that they
 * never interleave and each is one write; every read answers from what resolved appends wrote.
 * Writing, recovery, the row indexes and the queries live in their own files; this one ties them
 * together and keeps the bounds (bytes on disk, rows in memory).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConsoleEvent, EventFilter, IncomingEvent, SessionClient, SessionSummary } from '../model.js';
import type { AppendResult, ConsoleStore, EventPage, EvictedSession, Histogram, RecoveryInfo, StoreInfo, TraceSummary } from '../store-api.js';
import { commitAppend, prepareAppend, type PreparedAppend } from './append-batch.js';
import { AppendFiles } from './append-files.js';
import { SESSIONS_DIR } from './file-names.js';
import { IdWindow } from './id-window.js';
import { IndexSchedule } from './index-schedule.js';
import { writeIndex } from './index-file.js';
import { Notifier } from './notifier.js';
import { RowCache } from './row-cache.js';
import { RowIndex } from './row-index.js';
import { eventAt, eventPage, histogram } from './session-queries.js';
import { SessionReads } from './session-reads.js';
import type { SessionTally } from './session-tally.js';
import { traceList } from './traces.js';

/** The resolved options a {@link DiskStore} runs with. */
export interface DiskStoreSettings {
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxIndexedEvents: number;
  readonly dedupeWindow: number;
  readonly now: () => number;
  readonly onEvict?: (evicted: EvictedSession) => void;
}

/**
 * The store; made by `openConsoleStore`, which recovers the folder first.
 *
 * @example
 * ```ts
 * const { tallies, info } = await recoverSessions(dir);
 * const store = new DiskStore(settings, tallies, info);
 * await store.append('s', {}, events);
 * ```
 */
export class DiskStore implements ConsoleStore {
  private readonly files = new AppendFiles();
  private readonly ids: IdWindow;
  private readonly rows: RowCache;
  private readonly reads: SessionReads;
  private readonly notifier = new Notifier();
  private readonly index: IndexSchedule;
  private queue: Promise<unknown> = Promise.resolve();
  private bytes = 0;
  private eventCount = 0;
  private evictedSessions = 0;
  private evictedEvents = 0;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly settings: DiskStoreSettings,
    private readonly tallies: Map<string, SessionTally>,
    private readonly recovery: RecoveryInfo,
  ) {
    this.ids = new IdWindow(settings.dedupeWindow);
    this.rows = new RowCache(settings.maxIndexedEvents);
    this.reads = new SessionReads({ cache: this.rows, tally: (id) => this.tallies.get(id), pathOf: (t) => this.pathOf(t), serially: (task) => this.serially(task) });
    this.index = new IndexSchedule(() => writeIndex(settings.dir, [...this.tallies.values()].map((t) => t.record())));
    for (const tally of tallies.values()) {
      this.bytes += tally.bytes;
      this.eventCount += tally.events;
    }
  }

  /** Deletes the oldest sessions while the store is over `maxBytes` (a folder filled under a larger bound). */
  async start(): Promise<void> {
    await this.serially(() => this.evictOver(undefined));
    if (this.recovery.scanned_files > 0 || this.recovery.dropped_entries > 0 || this.recovery.removed_files > 0) this.index.request(true);
  }

  async append(session: string, client: SessionClient, events: readonly IncomingEvent[]): Promise<AppendResult> {
    if (this.closing !== undefined) throw new Error('ConsoleStore is closed: append() after close()');
    if (typeof session !== 'string') throw new TypeError(`ConsoleStore.append: the session id must be a string, got ${typeof session}`);
    if (!Array.isArray(events)) throw new TypeError('ConsoleStore.append: events must be an array');
    const done = await this.serially(() => this.write(session, client, events));
    if (done.changed !== undefined) this.notifier.notify(done.changed);
    return done.result;
  }

  sessions(): readonly SessionSummary[] {
    return [...this.tallies.values()].map((t) => t.summary()).sort((a, b) => b.received_ms - a.received_ms);
  }

  session(id: string): SessionSummary | undefined {
    return this.tallies.get(id)?.summary();
  }

  events(id: string, filter: EventFilter, offset: number, limit: number): Promise<EventPage | undefined> {
    return this.reads.read(id, (file, rows) => eventPage(file, rows, filter ?? {}, offset, limit));
  }

  event(id: string, seq: number): Promise<ConsoleEvent | undefined> {
    return this.reads.read(id, (file, rows) => eventAt(file, rows, seq));
  }

  histogram(id: string, filter: EventFilter, buckets: number): Promise<Histogram | undefined> {
    return this.reads.read(id, (file, rows, tally) => {
      const { start_ms: start, last_ms: last } = tally.summary();
      return histogram(file, rows, filter ?? {}, buckets, start, last);
    });
  }

  async names(id: string): Promise<readonly { readonly name: string; readonly count: number }[] | undefined> {
    return (await this.reads.rowsOf(id))?.nameCountList();
  }

  traces(id: string): Promise<readonly TraceSummary[] | undefined> {
    return this.reads.read(id, (file, rows) => traceList(file, rows));
  }

  info(): StoreInfo {
    const usage = this.rows.usage();
    return {
      dir: this.settings.dir,
      max_bytes: this.settings.maxBytes,
      bytes: this.bytes,
      sessions: this.tallies.size,
      events: this.eventCount,
      evicted_sessions: this.evictedSessions,
      evicted_events: this.evictedEvents,
      recovery: this.recovery,
      memory: { indexed_events: this.rows.rows(), indexed_sessions: usage.sessions, row_index_bytes: usage.bytes, remembered_ids: this.ids.size },
    };
  }

  onChange(listener: (session: SessionSummary) => void): () => void {
    return this.notifier.add(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.serially(async () => undefined);
      try {
        await this.index.flush();
      } finally {
        await this.files.closeAll();
      }
    })();
    return this.closing;
  }

  /** Runs `task` after every task queued before it; a failure fails only its own caller. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private pathOf(tally: SessionTally): string {
    return join(this.settings.dir, SESSIONS_DIR, tally.file);
  }

  private async write(session: string, client: SessionClient, events: readonly IncomingEvent[]): Promise<{ result: AppendResult; changed?: SessionSummary }> {
    const existing = this.tallies.get(session);
    const prepared: PreparedAppend = prepareAppend(existing, session, client, events, this.ids, this.settings.now());
    const { tally, facts, stored, bytes } = prepared;
    const result = { stored: stored.length, duplicates: prepared.duplicates };
    if (stored.length === 0) {
      if (existing === undefined || facts === undefined) return { result };
      existing.setClient(facts);
      this.index.request(true);
      return { result, changed: existing.summary() };
    }
    await this.files.append(this.pathOf(tally), bytes, tally.bytes, existing === undefined);
    if (existing === undefined) this.tallies.set(session, tally);
    const rows = this.rows.get(session) ?? (existing === undefined ? this.newRows(session) : undefined);
    commitAppend(prepared, rows, this.ids);
    this.bytes += bytes.length;
    this.eventCount += stored.length;
    if (rows !== undefined) this.rows.grew(session, stored.length);
    await this.evictOver(session);
    this.index.request(existing === undefined || facts !== undefined);
    return { result, changed: tally.summary() };
  }

  private newRows(session: string): RowIndex {
    const rows = new RowIndex();
    this.rows.put(session, rows);
    return rows;
  }

  /** While over `maxBytes`, deletes the session received least recently, never `current`. */
  private async evictOver(current: string | undefined): Promise<void> {
    while (this.bytes > this.settings.maxBytes) {
      let oldest: SessionTally | undefined;
      for (const tally of this.tallies.values()) {
        if (tally.id !== current && (oldest === undefined || tally.received < oldest.received)) oldest = tally;
      }
      if (oldest === undefined) return; // only the current session is left: it stays, however large
      await this.evict(oldest);
    }
  }

  private async evict(tally: SessionTally): Promise<void> {
    this.tallies.delete(tally.id);
    this.rows.drop(tally.id);
    this.ids.forget(tally.id);
    this.bytes -= tally.bytes;
    this.eventCount -= tally.events;
    this.evictedSessions++;
    this.evictedEvents += tally.events;
    await this.files.close(this.pathOf(tally));
    await rm(this.pathOf(tally), { force: true });
    this.index.request(true);
    try {
      this.settings.onEvict?.({ id: tally.id, events: tally.events, bytes: tally.bytes });
    } catch {
      // The listener's failure is its own.
    }
  }
}
