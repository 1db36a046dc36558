/**
 * Answers about one session from its row index and its file: a page of events, one event, the
 * histogram. Severity, kind and name filters are answered by the row index, and only the page's own
 * lines are read (one positioned read for neighbouring rows); a `text` or `trace_id` filter reads
 * the candidate rows' lines in chunks of at most a few MiB and tests each.
 */
import type { FileHandle } from 'node:fs/promises';
import { SEVERITIES, type ConsoleEvent, type ConsoleSeverity, type EventFilter } from '../model.js';
import type { EventPage, Histogram } from '../store-api.js';
import { parseEventLine } from './event-line.js';
import { readRows } from './line-reader.js';
import { RowIndex } from './row-index.js';
import { lineMatchers } from './text-match.js';

/** Histograms have at most this many buckets. */
export const MAX_BUCKETS = 10_000;

const whole = (n: number, fallback: number): number => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : fallback);

/**
 * Calls `onMatch(row, event?)` for each row that passes `filter`, in order: `event` is the parsed
 * event when a line filter had to read it, `undefined` when the row index alone decided.
 */
async function eachMatch(file: FileHandle, rows: RowIndex, filter: EventFilter, onMatch: (row: number, event: ConsoleEvent | undefined) => void): Promise<void> {
  const matchers = lineMatchers(filter);
  const candidates = rows.select(filter);
  if (matchers.length === 0) {
    for (const row of candidates) onMatch(row, undefined);
    return;
  }
  await readRows(file, rows, candidates, (row, line) => {
    const lower = line.toLowerCase();
    if (!matchers.every((m) => m.raw(lower))) return;
    const parsed = parseEventLine(line);
    if (parsed !== undefined && matchers.every((m) => m.matches(parsed.event))) onMatch(row, parsed.event);
  });
}

/**
 * The events `filter` passes, from the `offset`-th, at most `limit` of them, and how many pass.
 *
 * @example
 * ```ts
 * await eventPage(file, rows, { severities: ['ERROR'] }, 0, 200); // { total: 12, offset: 0, events: [...] }
 * ```
 */
export async function eventPage(file: FileHandle, rows: RowIndex, filter: EventFilter, offset: number, limit: number): Promise<EventPage> {
  const from = whole(offset, 0);
  const count = whole(limit, 0);
  const events: ConsoleEvent[] = [];
  const collect = (_row: number, line: string) => {
    const parsed = parseEventLine(line);
    if (parsed !== undefined) events.push(parsed.event);
  };
  if (lineMatchers(filter).length === 0) {
    if (RowIndex.selectsAll(filter) && rows.readable === rows.count) {
      // Every row: the page is a run of rows, read in one go. (Counted now: an append may add rows while it reads.)
      const total = rows.count;
      const page = Array.from({ length: Math.max(0, Math.min(count, total - from)) }, (_, i) => from + i);
      await readRows(file, rows, page, collect);
      return { total, offset: from, events };
    }
    const selected = rows.select(filter);
    await readRows(file, rows, selected.subarray(from, from + count), collect);
    return { total: selected.length, offset: from, events };
  }
  let total = 0;
  await eachMatch(file, rows, filter, (_row, event) => {
    if (total >= from && events.length < count) events.push(event!);
    total++;
  });
  return { total, offset: from, events };
}

/**
 * The event at `seq`, or `undefined` when there is none (or its line cannot be read).
 *
 * @example
 * ```ts
 * await eventAt(file, rows, 41); // { seq: 41, … }
 * ```
 */
export async function eventAt(file: FileHandle, rows: RowIndex, seq: number): Promise<ConsoleEvent | undefined> {
  if (!Number.isSafeInteger(seq) || seq < 0 || !rows.isReadable(seq)) return undefined;
  let event: ConsoleEvent | undefined;
  await readRows(file, rows, [seq], (_row, line) => (event = parseEventLine(line)?.event));
  return event;
}

/**
 * Counts per severity of the events `filter` passes, in `buckets` equal slices from `startMs` to
 * `lastMs` (the session's first and last event time), so that the buckets span the session however
 * short it is (`bucket_ms` may be a fraction of a millisecond; 1 when the session is one instant).
 *
 * @example
 * ```ts
 * await histogram(file, rows, {}, 120, summary.start_ms, summary.last_ms); // { start_ms, bucket_ms, counts: { DEBUG: [...], … } }
 * ```
 */
export async function histogram(file: FileHandle, rows: RowIndex, filter: EventFilter, buckets: number, startMs: number, lastMs: number): Promise<Histogram> {
  const n = Math.min(MAX_BUCKETS, Math.max(1, whole(buckets, 1)));
  const bucketMs = lastMs > startMs ? (lastMs - startMs) / n : 1;
  const counts = SEVERITIES.map(() => new Array<number>(n).fill(0));
  await eachMatch(file, rows, filter, (row) => {
    const bucket = Math.min(n - 1, Math.max(0, Math.floor((rows.time(row) - startMs) / bucketMs)));
    counts[rows.severity(row)]![bucket]!++;
  });
  const bySeverity = Object.fromEntries(SEVERITIES.map((name, i) => [name, counts[i]!])) as Record<ConsoleSeverity, number[]>;
  return { start_ms: startMs, bucket_ms: bucketMs, counts: bySeverity };
}
