/**
 * How the store reads a session: its row index from the cache, or read back from its file (once,
 * however many queries ask meanwhile; finished inside the store's queue so that it matches the file
 * exactly), then the file opened for the one query. A session evicted meanwhile answers `undefined`.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { loadRows } from './load-rows.js';
import type { RowCache } from './row-cache.js';
import type { RowIndex } from './row-index.js';
import type { SessionTally } from './session-tally.js';

/** What reading needs from the store. */
export interface ReadContext {
  readonly cache: RowCache;
  /** The session's tally now (`undefined` once evicted). */
  readonly tally: (id: string) => SessionTally | undefined;
  readonly pathOf: (tally: SessionTally) => string;
  /** Runs `task` in the store's queue, where no append runs. */
  readonly serially: <T>(task: () => Promise<T>) => Promise<T>;
}

/** A query on one session: its open file, its row index, its tally. */
export type SessionQuery<T> = (file: FileHandle, rows: RowIndex, tally: SessionTally) => Promise<T>;

/**
 * The read side of the store.
 *
 * @example
 * ```ts
 * const reads = new SessionReads({ cache, tally: (id) => tallies.get(id), pathOf, serially });
 * await reads.read('s', (file, rows) => eventAt(file, rows, 7));
 * ```
 */
export class SessionReads {
  private readonly loading = new Map<SessionTally, Promise<RowIndex | undefined>>();

  constructor(private readonly context: ReadContext) {}

  /** The session's row index: held, being read, or read from its file now. */
  rowsOf(id: string): Promise<RowIndex | undefined> {
    const { cache, tally: tallyOf, pathOf, serially } = this.context;
    const tally = tallyOf(id);
    if (tally === undefined) return Promise.resolve(undefined);
    const held = cache.get(id);
    if (held !== undefined) return Promise.resolve(held);
    let loading = this.loading.get(tally);
    if (loading === undefined) {
      loading = loadRows(pathOf(tally), tally.bytes, (finish) =>
        serially(async () => {
          if (tallyOf(tally.id) !== tally) return undefined; // evicted while it was read
          const rows = await finish(tally.bytes);
          cache.put(tally.id, rows);
          return rows;
        }),
      );
      this.loading.set(tally, loading);
      const forget = () => void this.loading.delete(tally);
      loading.then(forget, forget);
    }
    return loading;
  }

  /** Runs `query` on the session's file and row index; `undefined` for an unknown (or just evicted) session. */
  async read<T>(id: string, query: SessionQuery<T>): Promise<T | undefined> {
    const tally = this.context.tally(id);
    const rows = await this.rowsOf(id);
    if (tally === undefined || rows === undefined) return undefined;
    let file: FileHandle;
    try {
      file = await open(this.context.pathOf(tally), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && this.context.tally(id) !== tally) return undefined;
      throw error;
    }
    try {
      return await query(file, rows, tally);
    } finally {
      await file.close();
    }
  }
}
