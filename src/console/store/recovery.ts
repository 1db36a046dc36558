/**
 * Opening a store folder again: the index says what each session file held when it was written;
 * the files say what is really there. A file longer than the index says (a crash after a write,
 * before the next index) has its tail read; a torn last line (a crash mid-write) is cut off and
 * counted; a file the index does not know, or shorter than it says, is read whole; an entry whose
 * file is gone is dropped. No index, or a corrupt one: every file is read whole. A file with no
 * readable event in it is removed.
 */
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecoveryInfo } from '../store-api.js';
import { parseEventLine } from './event-line.js';
import { isSessionFileName, SESSIONS_DIR, sessionFileName, sessionIdOfFileName } from './file-names.js';
import { readIndex, removeTemporaryIndex } from './index-file.js';
import { readAt, scanLines } from './line-reader.js';
import { SessionTally, type TallyRecord } from './session-tally.js';

type Counts = { -readonly [K in keyof RecoveryInfo]: RecoveryInfo[K] };

/**
 * Every session in `dir`, brought up to date with its file, and what it took.
 *
 * @example
 * ```ts
 * const { tallies, info } = await recoverSessions('/home/me/.rxtel/console');
 * info; // { index: 'ok', scanned_files: 1, torn_lines: 1, … }
 * ```
 */
export async function recoverSessions(dir: string): Promise<{ tallies: Map<string, SessionTally>; info: RecoveryInfo }> {
  const folder = join(dir, SESSIONS_DIR);
  await mkdir(folder, { recursive: true });
  await removeTemporaryIndex(dir);
  const index = await readIndex(dir);
  const counts: Counts = { index: index.state, scanned_files: 0, torn_lines: 0, torn_bytes: 0, unreadable_lines: 0, dropped_entries: index.badEntries, removed_files: 0 };
  const files = new Set((await readdir(folder)).filter(isSessionFileName));
  const tallies = new Map<string, SessionTally>();
  const keep = async (file: string, tally: SessionTally | undefined): Promise<void> => {
    if (tally !== undefined && tally.events > 0) {
      tallies.set(tally.id, tally);
      return;
    }
    await rm(join(folder, file), { force: true });
    counts.removed_files++;
  };
  for (const entry of index.entries) {
    if (entry.file !== sessionFileName(entry.summary.id) || tallies.has(entry.summary.id) || !files.has(entry.file)) {
      counts.dropped_entries++;
      continue;
    }
    files.delete(entry.file);
    await keep(entry.file, await fromEntry(join(folder, entry.file), entry, counts));
  }
  for (const file of files) await keep(file, await scanWhole(join(folder, file), file, counts));
  return { tallies, info: counts };
}

/** The entry's tally, with what its file holds past the entry (or the whole file, when they disagree). */
async function fromEntry(path: string, entry: TallyRecord, counts: Counts): Promise<SessionTally | undefined> {
  const size = (await stat(path)).size;
  if (size === entry.bytes) return SessionTally.fromRecord(entry);
  if (size > entry.bytes) {
    const tally = SessionTally.fromRecord(entry);
    if (await extend(path, tally, size, counts)) return tally;
  }
  return scanWhole(path, entry.file, counts);
}

/**
 * Reads `tally`'s file from where the tally ends: `false` when what is there does not continue it
 * (the entry described an earlier file of the same name), and then nothing is counted.
 */
async function extend(path: string, tally: SessionTally, size: number, counts: Counts): Promise<boolean> {
  const file = await open(path, 'r+');
  try {
    if (tally.bytes > 0 && (await readAt(file, 1, tally.bytes - 1))[0] !== 0x0a) return false;
    const tail = new SessionTally(tally.id, tally.file);
    let continues = true;
    const { end, tornBytes } = await scanLines(file, tally.bytes, size, (text) => {
      const line = parseEventLine(text);
      if (line === undefined || line.event.seq !== tally.lines + tail.lines || line.event.session !== tally.id) continues = false;
      tail.lines++;
    });
    if (!continues) return false;
    await scanLines(file, tally.bytes, end, (text, offset, length) => {
      const line = parseEventLine(text)!;
      tally.add(line.event, line.event.received_ms);
      if (line.client !== undefined) tally.setClient(line.client);
      tally.lines++;
      tally.bytes = offset + length;
    });
    await cutTorn(file, end, tornBytes, counts);
    counts.scanned_files++;
    return true;
  } finally {
    await file.close();
  }
}

/** Reads a whole file; `undefined` when it names no session (a hashed name and no readable line). */
async function scanWhole(path: string, name: string, counts: Counts): Promise<SessionTally | undefined> {
  const file = await open(path, 'r+');
  try {
    const spelled = sessionIdOfFileName(name);
    let tally = spelled === undefined ? undefined : new SessionTally(spelled, name);
    let lines = 0;
    const { end, tornBytes } = await scanLines(file, 0, (await file.stat()).size, (text, offset, length) => {
      const line = parseEventLine(text);
      // A hashed name says no id: the first line whose session hashes to it does.
      if (tally === undefined && line !== undefined && sessionFileName(line.event.session) === name) tally = new SessionTally(line.event.session, name);
      if (tally !== undefined && line !== undefined && line.event.session === tally.id && line.event.seq === lines) {
        tally.add(line.event, line.event.received_ms);
        if (line.client !== undefined) tally.setClient(line.client);
      } else {
        counts.unreadable_lines++;
      }
      lines++;
      if (tally !== undefined) {
        tally.lines = lines;
        tally.bytes = offset + length;
      }
    });
    await cutTorn(file, end, tornBytes, counts);
    counts.scanned_files++;
    return tally;
  } finally {
    await file.close();
  }
}

async function cutTorn(file: Awaited<ReturnType<typeof open>>, end: number, tornBytes: number, counts: Counts): Promise<void> {
  if (tornBytes === 0) return;
  await file.truncate(end);
  counts.torn_lines++;
  counts.torn_bytes += tornBytes;
}
