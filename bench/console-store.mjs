/**
 * `npm run build && node --expose-gc bench/console-store.mjs [--events=1000000] [--sessions=10]`
 *
 * The console store's costs on this machine's disk (docs/console.md#storage quotes them):
 *   1. appends: `--events` events in batches of 100, round robin over `--sessions` sessions;
 *      events/s and the process's RSS and heap after it (gc'd);
 *   2. one write per append through an open handle (what the store does) against
 *      fs.promises.appendFile, 10,000 writes of one 100-event batch each;
 *   3. queries on one 100,000-event session: a page of 200 (no filter, a severity, a text, a
 *      trace), the histogram, names, traces; the row index read back from the file (cold);
 *   4. reopening the folder: with its index, and without (every file read whole);
 *   5. memory per event of the row index and per id of the duplicate window.
 * Not run by the tests or by `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdWindow } from '../dist/console/store/id-window.js';
import { openConsoleStore } from '../dist/console/store/open-store.js';
import { MB, median, settledMemory } from './lib/numbers.mjs';

const arg = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found === undefined ? fallback : Number(found.slice(name.length + 3));
};
const EVENTS = arg('events', 1_000_000);
const SESSIONS = arg('sessions', 10);
const BATCH = 100;
const SEVERITIES = /** @type {const} */ (['DEBUG', 'INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'WARNING', 'WARNING', 'ERROR']);
const NAMES = ['http.request', 'db.query', 'cache.miss', 'user.action', 'checkout.completed', 'llm.generation', 'queue.push', 'auth.login'];
const round = (/** @type {number} */ n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * A Tinker-like event of about 330 bytes on disk; every 97th is an exception, every 13th a span.
 * @param {number} i
 * @returns {import('../dist/console/model.js').IncomingEvent}
 */
function event(i) {
  const trace = `trace-${Math.floor(i / 20)}`;
  /** @type {import('../dist/console/model.js').IncomingEvent} */
  const base = {
    id: randomUUID(),
    session: '',
    ts: 1_760_000_000_000 + i,
    received_ms: 0,
    severity: SEVERITIES[i % SEVERITIES.length] ?? 'INFO',
    kind: 'log',
    name: NAMES[i % NAMES.length] ?? 'x',
    source: 'tinker',
    trace_id: trace,
    data: { order: `o-${i}`, amount: i % 997, items: [1, 2, 3], user: `u-${i % 50}` },
  };
  if (i % 97 === 0) return { ...base, kind: 'exception', severity: 'ERROR', name: 'TimeoutError', exception: { chain: [{ type: 'TimeoutError', message: `query ${i} timed out`, stack: '    at Pool.query (db.js:10:5)' }] } };
  if (i % 13 === 0) return { ...base, kind: 'span', span: { trace_id: trace, span_id: `s${i}`, start_ms: base.ts, end_ms: base.ts + 7, status: i % 5 === 0 ? 'error' : 'ok' } };
  return base;
}

async function appends() {
  const dir = mkdtempSync(join(tmpdir(), 'rxtel-console-bench-'));
  const store = await openConsoleStore({ dir, maxBytes: 4 * 1024 * MB });
  const sessions = Array.from({ length: SESSIONS }, () => randomUUID());
  let inAppend = 0;
  const wall0 = performance.now();
  for (let i = 0; i < EVENTS; i += BATCH) {
    const batch = Array.from({ length: BATCH }, (_, k) => event(i + k));
    const t0 = performance.now();
    await store.append(sessions[(i / BATCH) % SESSIONS] ?? '', { sdk: 'bench' }, batch);
    inAppend += performance.now() - t0;
  }
  const wall = performance.now() - wall0;
  const memory = settledMemory();
  const info = store.info();
  await store.close();
  return { dir, sessions, store: info, eventsPerSecond: Math.round(EVENTS / (inAppend / 1000)), eventsPerSecondWithGeneration: Math.round(EVENTS / (wall / 1000)), rssMB: round(memory.rss / MB), heapUsedMB: round(memory.heapUsed / MB) };
}

async function writeStrategies() {
  const dir = mkdtempSync(join(tmpdir(), 'rxtel-console-bench-'));
  const line = JSON.stringify({ seq: 0, id: randomUUID(), name: 'x', data: { order: 'o-1', amount: 1, items: [1, 2, 3] }, pad: 'x'.repeat(200) });
  const batch = Buffer.from(`${line}\n`.repeat(BATCH));
  const N = 10_000;
  const handle = await open(join(dir, 'handle.ndjson'), 'a');
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await handle.write(batch, 0, batch.length, null);
  const handleMs = performance.now() - t0;
  await handle.close();
  t0 = performance.now();
  for (let i = 0; i < N; i++) await appendFile(join(dir, 'append-file.ndjson'), batch);
  const appendFileMs = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return { batchBytes: batch.length, openHandleMicrosPerWrite: round((handleMs * 1000) / N), appendFileMicrosPerWrite: round((appendFileMs * 1000) / N) };
}

/**
 * The median of `runs` timings of `fn`, in ms.
 * @param {() => Promise<unknown>} fn
 */
async function time(fn, runs = 15) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return round(median(times), 2);
}

async function queries() {
  const dir = mkdtempSync(join(tmpdir(), 'rxtel-console-bench-'));
  const store = await openConsoleStore({ dir, maxBytes: 4 * 1024 * MB });
  for (let i = 0; i < 100_000; i += BATCH) await store.append('big', {}, Array.from({ length: BATCH }, (_, k) => event(i + k)));
  const bytes = store.session('big')?.bytes ?? 0;
  const result = {
    sessionMB: round(bytes / MB),
    pageFirst: await time(() => store.events('big', {}, 0, 200)),
    pageMiddle: await time(() => store.events('big', {}, 50_000, 200)),
    pageLast: await time(() => store.events('big', {}, 99_800, 200)),
    pageSeverityError: await time(() => store.events('big', { severities: ['ERROR'] }, 5_000, 200)),
    pageKindException: await time(() => store.events('big', { kinds: ['exception'] }, 0, 200)),
    pageName: await time(() => store.events('big', { name: 'checkout' }, 0, 200)),
    pageText: await time(() => store.events('big', { text: 'o-99999' }, 0, 200), 5),
    pageTrace: await time(() => store.events('big', { trace_id: 'trace-2500' }, 0, 200), 5),
    histogram120: await time(() => store.histogram('big', {}, 120)),
    histogramText: await time(() => store.histogram('big', { text: 'timed out' }, 120), 5),
    names: await time(() => store.names('big')),
    tracesFirst: 0,
    tracesAgain: await time(() => store.traces('big')),
    event: await time(() => store.event('big', 77_777)),
    rowIndexBytesPerEvent: round((store.info().memory?.row_index_bytes ?? 0) / 100_000),
    coldRowIndexRead: 0,
  };
  await store.close();
  const reopened = await openConsoleStore({ dir, maxBytes: 4 * 1024 * MB });
  let t0 = performance.now();
  await reopened.events('big', {}, 0, 200);
  result.coldRowIndexRead = round(performance.now() - t0);
  t0 = performance.now();
  await reopened.traces('big');
  result.tracesFirst = round(performance.now() - t0);
  await reopened.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** @param {string} dir */
async function reopen(dir) {
  let t0 = performance.now();
  const withIndex = await openConsoleStore({ dir, maxBytes: 4 * 1024 * MB });
  const withIndexMs = round(performance.now() - t0);
  await withIndex.close();
  rmSync(join(dir, 'index.json'));
  t0 = performance.now();
  const without = await openConsoleStore({ dir, maxBytes: 4 * 1024 * MB });
  const withoutIndexMs = round(performance.now() - t0);
  const { sessions, events } = without.info();
  await without.close();
  return { withIndexMs, withoutIndexMs, sessions, events };
}

function idWindowCost() {
  // Ids as the ingest has them: strings from JSON.parse (flat, not randomUUID's ropes).
  /** @type {string[] | null} */
  let ids = JSON.parse(JSON.stringify(Array.from({ length: 200_000 }, () => randomUUID())));
  /** @type {IdWindow | null} */
  let window = new IdWindow(200_000);
  for (const [i, id] of (ids ?? []).entries()) window.add(`session-${i % 10}`, id);
  const size = window.size;
  const full = settledMemory().heapUsed;
  window = null;
  const withoutWindow = settledMemory().heapUsed;
  ids = null;
  const withoutIds = settledMemory().heapUsed;
  // The window keeps each id's string alive once its event is written, so the string counts: all that went
  // with the window and the array, less the array's 8-byte slot (which part V8 frees with which varies).
  return { ids: size, bytesPerRememberedUuid: round((full - withoutIds) / size - 8), freedWithTheWindow: round((full - withoutWindow) / size) };
}

const results = {};
const appended = await appends();
Object.assign(results, { append: { ...appended, dir: undefined, sessions: undefined } });
Object.assign(results, { reopen: await reopen(appended.dir) });
rmSync(appended.dir, { recursive: true, force: true });
Object.assign(results, { writes: await writeStrategies() });
Object.assign(results, { queriesMs: await queries() });
Object.assign(results, { idWindow: idWindowCost() });
console.log(JSON.stringify(results, null, 2));
