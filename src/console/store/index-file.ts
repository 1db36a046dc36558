/**
 * The index: `<dir>/index.json`, every session's tally (summary, file, length accounted for), so
 * that a restart does not read every file. It is written whole, to a temporary file that is synced
 * and renamed over the old one, so a crash leaves the old index or the new, never half of one.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SEVERITIES } from '../model.js';
import type { TallyRecord } from './session-tally.js';

export const INDEX_FILE = 'index.json';
const VERSION = 1;

const count = z.number().int().min(0);
const time = z.number().refine(Number.isFinite);
const Summary = z.object({
  id: z.string(),
  service: z.string().optional(),
  sdk: z.string().optional(),
  platform: z.string().optional(),
  status: z.enum(['running', 'ended', 'crashed']),
  start_ms: time,
  last_ms: time,
  duration_ms: time,
  received_ms: time,
  events: count,
  exceptions: count,
  severities: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, count])) as Record<(typeof SEVERITIES)[number], typeof count>),
  sources: z.array(z.string()),
  bytes: count,
});
const Entry = z.object({ file: z.string(), bytes: count, lines: count, end_duration_ms: time.optional(), summary: Summary });

/** What reading the index found. */
export interface IndexRead {
  /** `missing`: no index (a first start); `corrupt`: not an index this store wrote. */
  readonly state: 'ok' | 'missing' | 'corrupt';
  readonly entries: TallyRecord[];
  /** Entries that did not have the right shape (their files are scanned instead). */
  readonly badEntries: number;
}

/**
 * Reads `<dir>/index.json`. Never throws: a missing or unreadable index is an empty one, said so.
 *
 * @example
 * ```ts
 * const { state, entries } = await readIndex(dir); // state 'missing' on the first start
 * ```
 */
export async function readIndex(dir: string): Promise<IndexRead> {
  let text: string;
  try {
    text = await readFile(join(dir, INDEX_FILE), 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { state: missing ? 'missing' : 'corrupt', entries: [], badEntries: 0 };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { state: 'corrupt', entries: [], badEntries: 0 };
  }
  const top = z.object({ version: z.literal(VERSION), sessions: z.array(z.unknown()) }).safeParse(parsed);
  if (!top.success) return { state: 'corrupt', entries: [], badEntries: 0 };
  const entries: TallyRecord[] = [];
  let badEntries = 0;
  for (const item of top.data.sessions) {
    const entry = Entry.safeParse(item);
    if (entry.success) entries.push(entry.data as TallyRecord);
    else badEntries++;
  }
  return { state: 'ok', entries, badEntries };
}

/**
 * Writes `entries` as the index: to `index.json.tmp`, synced, then renamed over `index.json`.
 *
 * @example
 * ```ts
 * await writeIndex(dir, [...tallies.values()].map((t) => t.record()));
 * ```
 */
export async function writeIndex(dir: string, entries: readonly TallyRecord[]): Promise<void> {
  const temporary = join(dir, `${INDEX_FILE}.tmp`);
  const file = await open(temporary, 'w', 0o644);
  try {
    await file.writeFile(JSON.stringify({ version: VERSION, sessions: entries }));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, join(dir, INDEX_FILE));
}

/**
 * Removes a temporary index a crash left behind.
 *
 * @example
 * ```ts
 * await removeTemporaryIndex(dir);
 * ```
 */
export async function removeTemporaryIndex(dir: string): Promise<void> {
  await rm(join(dir, `${INDEX_FILE}.tmp`), { force: true });
}
