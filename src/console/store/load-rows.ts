/**
 * Building a session's row index from its file: most of the file is read while appends go on,
 * then the rest (whatever was appended meanwhile) inside the store's queue, where no append runs,
 * so the index that is kept matches the file exactly.
 */
import { open } from 'node:fs/promises';
import { parseEventLine } from './event-line.js';
import { scanLines } from './line-reader.js';
import { RowIndex } from './row-index.js';

/** Adds the lines of `[from, to)` of the file at `path` to `rows` (a line out of sequence is unreadable). */
async function indexRange(path: string, rows: RowIndex, from: number, to: number): Promise<void> {
  const file = await open(path, 'r');
  try {
    await scanLines(file, from, to, (text, offset, length) => {
      const event = parseEventLine(text)?.event;
      rows.add(offset, length, event !== undefined && event.seq === rows.count ? event : undefined);
    });
  } finally {
    await file.close();
  }
}

/**
 * Reads the row index of the file at `path`, which holds `bytes` bytes of whole lines now; then
 * `install(finish)` runs `finish(upTo)` in the store's queue to read on to `upTo` and keeps the
 * index. `undefined` when the file is gone (the session was evicted meanwhile).
 *
 * @example
 * ```ts
 * const rows = await loadRows(path, tally.bytes, (finish) => store.serially(async () => finish(tally.bytes)));
 * ```
 */
export async function loadRows(
  path: string,
  bytes: number,
  install: (finish: (upTo: number) => Promise<RowIndex>) => Promise<RowIndex | undefined>,
): Promise<RowIndex | undefined> {
  const rows = new RowIndex();
  try {
    await indexRange(path, rows, 0, bytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return install(async (upTo) => {
    if (upTo > rows.end) await indexRange(path, rows, rows.end, upTo);
    return rows;
  });
}
