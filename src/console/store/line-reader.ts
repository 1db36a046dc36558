/**
 * Reading session files: a streaming scan of a byte range line by line (a file is never loaded
 * whole), and the lines of chosen rows with as few positioned reads as possible (one for a page of
 * neighbouring rows).
 */
import type { FileHandle } from 'node:fs/promises';
import type { RowIndex } from './row-index.js';

const CHUNK_BYTES = 1 << 20;
/** Rows this close together are read with the bytes between them, in one read. */
const MAX_GAP_BYTES = 64 * 1024;
/** One read takes at most this much, unless one line alone is longer. */
const MAX_READ_BYTES = 4 << 20;
const NEWLINE = 0x0a;

/** Where a scan stopped: `end` is just past the last newline; bytes after it are a torn line. */
export interface ScanEnd {
  readonly end: number;
  readonly tornBytes: number;
}

/**
 * Reads `length` bytes at `position` (fewer only at the end of the file: a short read is continued).
 *
 * @example
 * ```ts
 * const last = await readAt(file, 1, size - 1); // the last byte: a newline, unless a line was torn
 * ```
 */
export async function readAt(file: FileHandle, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/**
 * Calls `onLine(line, offset, length)` for every whole line in `[start, end)` of `file` (`line`
 * without its newline, as UTF-8 text; `length` with it), reading 1 MiB at a time.
 *
 * @example
 * ```ts
 * const { end, tornBytes } = await scanLines(file, 0, size, (line, offset, length) => rows.add(offset, length, parse(line)));
 * ```
 */
export async function scanLines(file: FileHandle, start: number, end: number, onLine: (line: string, offset: number, length: number) => void): Promise<ScanEnd> {
  let carry: Buffer | undefined;
  let carryAt = start;
  let position = start;
  while (position < end) {
    const chunk = await readAt(file, Math.min(CHUNK_BYTES, end - position), position);
    if (chunk.length === 0) break;
    position += chunk.length;
    const bytes: Buffer = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    let from = 0;
    for (let nl = bytes.indexOf(NEWLINE); nl >= 0; nl = bytes.indexOf(NEWLINE, from)) {
      onLine(bytes.toString('utf8', from, nl), carryAt + from, nl + 1 - from);
      from = nl + 1;
    }
    carryAt += from;
    carry = from < bytes.length ? bytes.subarray(from) : undefined;
  }
  return { end: carryAt, tornBytes: position - carryAt };
}

/**
 * Calls `onLine(row, line)` for each of `rows` (in file order) with its line's text, reading
 * neighbouring rows together: a page of consecutive rows is one positioned read.
 *
 * @example
 * ```ts
 * await readRows(file, index, index.select({ severities: ['ERROR'] }).subarray(0, 200), (row, line) => page.push(JSON.parse(line)));
 * ```
 */
export async function readRows(file: FileHandle, index: RowIndex, rows: ArrayLike<number>, onLine: (row: number, line: string) => void): Promise<void> {
  let i = 0;
  while (i < rows.length) {
    const first = rows[i]!;
    const from = index.offset(first);
    let to = from + index.length(first);
    let j = i + 1;
    for (; j < rows.length; j++) {
      const row = rows[j]!;
      const start = index.offset(row);
      const stop = start + index.length(row);
      if (start - to > MAX_GAP_BYTES || stop - from > MAX_READ_BYTES) break;
      to = stop;
    }
    const bytes = await readAt(file, to - from, from);
    for (let k = i; k < j; k++) {
      const row = rows[k]!;
      const at = index.offset(row) - from;
      // The newline is not part of the text.
      onLine(row, bytes.toString('utf8', at, Math.min(bytes.length, at + index.length(row) - 1)));
    }
    i = j;
  }
}
