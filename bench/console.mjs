/**
 * `npm run bench:console [-- --quick] [-- --only=ingest,paint,memory] [-- --runs=3]`
 *
 * `rxtel console`'s numbers on this machine (issue 19), against the built `dist/`, each with the
 * console as a real child process (`node dist/cli.js console --port 0 --data <temp>`):
 *
 *   1. ingest: events/s into the console for Tinker batches of 100 events (pre-built JSON bodies,
 *      distinct event ids, 10 sessions) and for OTLP/HTTP JSON logs (batches of 512 records,
 *      10 sessions), sent by 4 concurrent keep-alive senders (node:http Agent); a fresh console
 *      per run, the median of the runs, with the requests' p50/p99 latency. Target ≥ 20,000/s.
 *   2. paint: one session of 100,000 varied events (every severity and kind, exceptions with
 *      stacks and causes, spans, LLM calls); for fresh page loads in headless Chromium, the time
 *      from navigation start to the first event row on screen and to the chart's bars drawn;
 *      and the time from scrolling to offset 50,000 until those rows show. Target < 1 s.
 *   3. memory: 1,000,000 events into 500 sessions with `--max-mb 64`; the console's RSS
 *      (/proc/<pid>/status VmRSS, sampled) at 100k, 500k and 1M events, its peak, the store's bytes
 *      (/api/console/info), the files' size on disk and the sessions evicted.
 *
 * Writes bench/results/console.json and console.md and prints the table. `BENCH_NODE_ARGS` goes to
 * the console's node (for example `--cpu-prof --cpu-prof-dir=/tmp/prof`). Not run by the tests.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { MB, median, percentile } from './lib/numbers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const RESULTS = join(ROOT, 'bench', 'results');
const quick = process.argv.includes('--quick');
const option = (/** @type {string} */ name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ONLY = new Set((option('only') ?? 'ingest,paint,memory').split(','));
const RUNS = Number(option('runs') ?? (quick ? 1 : 3));
const INGEST_EVENTS = quick ? 30_000 : 300_000;
const PAINT_EVENTS = quick ? 20_000 : 100_000;
const MEMORY_EVENTS = quick ? 100_000 : 1_000_000;
const MEMORY_SESSIONS = quick ? 50 : 500;
const SENDERS = 4;
const TINKER_BATCH = 100;
const OTLP_BATCH = 512;
const SESSIONS = 10;

const round = (/** @type {number} */ n, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (/** @type {number} */ n, digits = 0) => round(n, digits).toLocaleString('en-US');

// ─── the console as a child process ──────────────────────────────────────────────────────────

/**
 * @typedef {{ url: string, pid: number, dir: string, stop: (keep?: boolean) => Promise<void> }} ConsoleChild
 */

/**
 * `node dist/cli.js console --port 0 --data <dir> ...args` (a fresh temporary folder unless
 * `dir` is given), once it printed where it listens.
 * @param {string[]} args @param {string} [dir]
 * @returns {Promise<ConsoleChild>}
 */
async function startConsole(args = [], dir = mkdtempSync(join(tmpdir(), 'rxtel-console-bench-'))) {
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'console', '--port', '0', '--data', dir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rxtel console: no first line within 10 s: ${out}`)), 10_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /^rxtel console \S+ on (http:\/\/\S+)$/m.exec(out)?.[1];
      // Keep the pipe drained (a line per new and per evicted session) but the text small.
      if (out.length > 100_000) out = out.slice(-1000);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => reject(new Error(`rxtel console exited (${code}): ${out}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    pid: child.pid ?? 0,
    dir,
    stop: async (keep = false) => {
      child.kill('SIGTERM');
      await exited;
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** @param {number} pid @returns {number} VmRSS in bytes */
function rssOf(pid) {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? NaN) * 1024;
}

/** @param {string} url @returns {Promise<any>} */
async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// ─── sending ──────────────────────────────────────────────────────────────────────────────────

/**
 * @param {Agent} agent @param {URL} url @param {Buffer} body
 * @returns {Promise<number>} the status
 */
function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `count` bodies with `SENDERS` concurrent keep-alive senders, in order (each sender takes
 * the next one); `body(i)` is a pre-built body or builds it.
 * @param {string} url @param {number} count @param {(i: number) => Buffer} body
 * @param {(sent: number) => void} [progress] after each answered request, with how many were answered
 * @returns {Promise<{ wallMs: number, latencies: number[] }>}
 */
async function send(url, count, body, progress) {
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  const target = new URL(url);
  /** @type {number[]} */
  const latencies = [];
  let next = 0;
  let done = 0;
  const sender = async () => {
    while (next < count) {
      const payload = body(next++);
      const t0 = performance.now();
      const status = await post(agent, target, payload);
      latencies.push(performance.now() - t0);
      if (status !== 200) throw new Error(`${url}: ${status}`);
      progress?.(++done);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: SENDERS }, sender));
  const wallMs = performance.now() - t0;
  agent.destroy();
  return { wallMs, latencies };
}

// ─── events ───────────────────────────────────────────────────────────────────────────────────

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const NAMES = ['http.request', 'page.view', 'db.query', 'cache.miss', 'user.action', 'checkout.completed', 'queue.push', 'auth.login', 'feature.flag', 'search.query'];
const SEVERITIES = /** @type {const} */ (['DEBUG', 'INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'WARNING', 'WARNING', 'ERROR']);
const ROUTES = ['/home', '/pricing', '/signup', '/cart', '/checkout', '/account', '/search', '/docs'];
/** Microsecond UTC timestamps, as the Tinker wire spells them. */
const iso = (/** @type {number} */ ms) => `${new Date(ms).toISOString().slice(0, -1)}000Z`;
const hex = (/** @type {number} */ n, /** @type {number} */ width) => n.toString(16).padStart(width, '0').slice(-width);
const stack = (/** @type {number} */ i) =>
  `Error: payment ${i} failed\n    at charge (/app/src/payments.js:${40 + (i % 30)}:11)\n    at async checkout (/app/src/checkout.js:88:5)\n    at async Server.handle (/app/src/server.js:120:9)\nCaused by: TypeError: Cannot read properties of undefined (reading 'card')\n    at readCard (/app/src/payments.js:12:20)\n    at charge (/app/src/payments.js:38:15)`;

/**
 * The Tinker wire event at index `i` of a session (index 0 is its SESSION_START): mostly logs of
 * ten names over every severity, every 50th an exception with a stack and a cause, every 10th a
 * span (a trace of 20 events), every 25th an LLM generation.
 * @param {number} i @returns {Record<string, unknown>}
 */
function tinkerEvent(i) {
  const ms = T0 + i * 3;
  const common = { event_id: randomUUID(), event_session_index: i, timestamp: iso(ms) };
  if (i === 0) return { event: 'SESSION_START', ...common, severity: 'INFO' };
  const trace = hex(Math.floor(i / 20) + 1, 32);
  if (i % 50 === 0) return { event: 'UNHANDLED_EXCEPTION', ...common, severity: 'ERROR', error_type: 'Error', error_message: `payment ${i} failed`, traceback: stack(i) };
  if (i % 10 === 3) {
    const span = { name: NAMES[i % NAMES.length], trace_id: trace, span_id: hex(i + 1, 16), parent_span_id: hex(Math.floor(i / 20) * 20 + 1, 16), start_time: iso(ms - 5), end_time: iso(ms), duration_ms: 5, status: i % 70 === 3 ? 'error' : 'ok', attributes: { route: ROUTES[i % ROUTES.length] } };
    return { event: 'GENERIC_EVENT', ...common, severity: i % 70 === 3 ? 'ERROR' : 'INFO', event_name: 'span', event_data: span };
  }
  if (i % 25 === 7) {
    const data = { model: 'gpt-4o-mini', usage: { input_tokens: 300 + (i % 200), output_tokens: 40 + (i % 90) }, start_time: new Date(ms - 400).toISOString(), end_time: new Date(ms).toISOString(), trace_id: trace, span_id: hex(Math.floor(i / 20) * 20 + 1, 16) };
    return { event: 'GENERIC_EVENT', ...common, severity: 'INFO', event_name: 'llm.generation', event_data: data };
  }
  const data = { route: ROUTES[i % ROUTES.length], status: i % 17 === 0 ? 500 : 200, ms: (i * 7) % 400, user: `u-${i % 97}`, trace_id: trace };
  return { event: 'GENERIC_EVENT', ...common, severity: SEVERITIES[i % SEVERITIES.length], event_name: NAMES[i % NAMES.length], event_data: data };
}

/** @param {string} session @param {number} from first index @param {number} n @returns {Buffer} */
function tinkerBody(session, from, n) {
  const events = Array.from({ length: n }, (_, k) => tinkerEvent(from + k));
  return Buffer.from(JSON.stringify({ session_id: session, platform: 'linux/x64', sdk_version: '0.1.0', events }));
}

/** @param {string} key @param {string | number} value */
const attribute = (key, value) => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });

/**
 * An ExportLogsServiceRequest of `n` records, as OpenTelemetry's JS SDK serialises one (JSON,
 * hex ids, nanosecond strings): one resource naming its session.
 * @param {string} session @param {number} from @param {number} n @returns {Buffer}
 */
function otlpBody(session, from, n) {
  const logRecords = Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const ns = `${BigInt(T0 + i * 3) * 1_000_000n}`;
    const severity = SEVERITIES[i % SEVERITIES.length];
    const number = { DEBUG: 5, INFO: 9, WARNING: 13, ERROR: 17, CRITICAL: 21 }[severity];
    const attributes = [attribute('route', ROUTES[i % ROUTES.length]), attribute('status', i % 17 === 0 ? 500 : 200), attribute('user', `u-${i % 97}`), attribute('seq', i)];
    if (i % 50 === 0) attributes.push(attribute('exception.type', 'Error'), attribute('exception.message', `payment ${i} failed`), attribute('exception.stacktrace', stack(i)));
    return { timeUnixNano: ns, observedTimeUnixNano: ns, severityNumber: number, severityText: severity, body: { stringValue: `${NAMES[i % NAMES.length]} on ${ROUTES[i % ROUTES.length]}` }, eventName: NAMES[i % NAMES.length], attributes, traceId: hex(Math.floor(i / 20) + 1, 32), spanId: hex(i + 1, 16), flags: 1 };
  });
  const resource = { attributes: [attribute('service.name', 'bench-api'), attribute('session.id', session), attribute('telemetry.sdk.name', 'opentelemetry'), attribute('telemetry.sdk.language', 'nodejs'), attribute('telemetry.sdk.version', '2.12.1')] };
  return Buffer.from(JSON.stringify({ resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'bench', version: '1.0.0' }, logRecords }] }] }));
}

// ─── 1. ingest ────────────────────────────────────────────────────────────────────────────────

/**
 * @param {'tinker' | 'otlp'} protocol
 * @returns {Promise<Record<string, any>>}
 */
async function ingestRate(protocol) {
  const batch = protocol === 'tinker' ? TINKER_BATCH : OTLP_BATCH;
  const requests = Math.ceil(INGEST_EVENTS / batch);
  const sessions = Array.from({ length: SESSIONS }, () => randomUUID());
  // Round robin over the sessions; each session's indexes count on.
  const t0 = performance.now();
  const bodies = Array.from({ length: requests }, (_, r) => {
    const from = Math.floor(r / SESSIONS) * batch;
    return protocol === 'tinker' ? tinkerBody(sessions[r % SESSIONS], from, batch) : otlpBody(sessions[r % SESSIONS], from, batch);
  });
  const buildMs = performance.now() - t0;
  const bytes = bodies.reduce((sum, b) => sum + b.length, 0);
  const path = protocol === 'tinker' ? '/api/v1/telemetry' : '/v1/logs';
  /** @type {Record<string, number>[]} */
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const console_ = await startConsole(['--max-mb', '4096']);
    try {
      const { wallMs, latencies } = await send(`${console_.url}${path}`, requests, (i) => bodies[i]);
      const info = await getJson(`${console_.url}/api/console/info`);
      if (info.store.events !== requests * batch) throw new Error(`${protocol}: the store has ${info.store.events} events, expected ${requests * batch}`);
      latencies.sort((a, b) => a - b);
      runs.push({ eventsPerSec: (requests * batch) / (wallMs / 1000), wallMs, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), rssMB: rssOf(console_.pid) / MB });
      log(`  ${protocol} run ${run + 1}: ${fmt(runs.at(-1)?.eventsPerSec ?? 0)} events/s, p50 ${fmt(runs.at(-1)?.p50ms ?? 0, 1)} ms, p99 ${fmt(runs.at(-1)?.p99ms ?? 0, 1)} ms`);
    } finally {
      await console_.stop();
    }
  }
  const pick = (/** @type {string} */ key) => ({ median: median(runs.map((r) => r[key])), min: Math.min(...runs.map((r) => r[key])), max: Math.max(...runs.map((r) => r[key])) });
  return { protocol, events: requests * batch, batch, requests, sessions: SESSIONS, senders: SENDERS, bodyMB: bytes / MB, buildMs, runs, eventsPerSec: pick('eventsPerSec'), p50ms: pick('p50ms'), p99ms: pick('p99ms'), rssMB: pick('rssMB') };
}

// ─── 2. first paint ───────────────────────────────────────────────────────────────────────────

/**
 * Installed before the page's own scripts: marks (in ms since navigation start, on the frame
 * after it happened) the first event row in the DOM and the chart's first fill after the
 * histogram's JSON came.
 */
function paintProbe() {
  /** @type {any} */
  const w = globalThis;
  /** @param {string} name */
  const mark = (name) => {
    if (w[name] !== undefined) return;
    w[name] = null;
    w.requestAnimationFrame(() => (w[name] = w.performance.now()));
  };
  new w.MutationObserver(() => {
    if (w.document.querySelector('[data-testid="event-row"]') !== null) mark('__firstRow');
    if (w.__scrollTarget !== undefined && w.document.querySelector(`[data-testid="event-row"][data-seq="${w.__scrollTarget}"]`) !== null) mark('__scrolled');
  }).observe(w.document, { childList: true, subtree: true });
  const json = w.Response.prototype.json;
  w.Response.prototype.json = function () {
    const parsed = json.call(this);
    if (String(this.url).includes('/histogram')) parsed.then(() => (w.__histogramAt = w.performance.now()));
    return parsed;
  };
  const fill = w.CanvasRenderingContext2D.prototype.fill;
  w.CanvasRenderingContext2D.prototype.fill = function (/** @type {any[]} */ ...args) {
    if (w.__histogramAt !== undefined) mark('__chart');
    return fill.apply(this, args);
  };
}

/**
 * One fresh page load (a new browser context: no cache) of the session, then the scroll to its middle.
 * @param {import('playwright-core').Browser} browser @param {string} url @param {string} session
 * @returns {Promise<Record<string, number>>}
 */
async function measureLoad(browser, url, session) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(paintProbe);
    await page.goto(`${url}/#/sessions/${session}`);
    await page.waitForFunction(() => {
      /** @type {any} */
      const w = globalThis;
      return typeof w.__firstRow === 'number' && typeof w.__chart === 'number';
    }, null, { timeout: 30_000 });
    const marks = await page.evaluate(() => {
      /** @type {any} */
      const w = globalThis;
      return { firstRowMs: w.__firstRow, chartMs: w.__chart, histogramMs: w.__histogramAt, rows: w.document.querySelectorAll('[data-testid="event-row"]').length };
    });
    // To the middle: offset PAINT_EVENTS / 2 at the top of the list.
    const scrollToMiddleMs = await page.evaluate(async (seq) => {
      /** @type {any} */
      const w = globalThis;
      const scroller = w.document.querySelector('[data-testid="event-scroller"]');
      const rowPx = w.document.querySelector('[data-testid="event-row"]').getBoundingClientRect().height;
      w.__scrollTarget = seq;
      const start = w.performance.now();
      scroller.scrollTop = seq * rowPx;
      await new Promise((resolve, reject) => {
        const deadline = w.setTimeout(() => reject(new Error('rows at the middle did not show within 10 s')), 10_000);
        const check = () => (typeof w.__scrolled === 'number' ? (w.clearTimeout(deadline), resolve(undefined)) : w.requestAnimationFrame(check));
        check();
      });
      return w.__scrolled - start;
    }, PAINT_EVENTS / 2);
    return { ...marks, scrollToMiddleMs };
  } finally {
    await context.close();
  }
}

async function firstPaint() {
  let console_ = await startConsole();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const session = randomUUID();
    const requests = PAINT_EVENTS / TINKER_BATCH;
    const t0 = performance.now();
    await send(`${console_.url}/api/v1/telemetry`, requests, (r) => tinkerBody(session, r * TINKER_BATCH, TINKER_BATCH));
    const ingestMs = performance.now() - t0;
    const summary = (await getJson(`${console_.url}/api/console/sessions/${session}`)).session;
    if (summary.events !== PAINT_EVENTS) throw new Error(`paint: the session has ${summary.events} events`);
    /** @type {Record<string, number>[]} */
    const loads = [];
    for (let load = 0; load < 3; load++) {
      loads.push(await measureLoad(browser, console_.url, session));
      const l = loads[load];
      log(`  load ${load + 1}: first row ${fmt(l.firstRowMs)} ms, chart ${fmt(l.chartMs)} ms, middle ${fmt(l.scrollToMiddleMs)} ms after the scroll (${l.rows} rows in the DOM)`);
    }
    // A restarted console reads the session's row index back from its file on the first request.
    await console_.stop(true);
    console_ = await startConsole([], console_.dir);
    const afterRestart = await measureLoad(browser, console_.url, session);
    log(`  after a restart: first row ${fmt(afterRestart.firstRowMs)} ms, chart ${fmt(afterRestart.chartMs)} ms`);
    const stat = (/** @type {string} */ key) => ({ each: loads.map((l) => round(l[key], 1)), median: median(loads.map((l) => l[key])) });
    return { events: PAINT_EVENTS, sessionBytesMB: summary.bytes / MB, ingestMs, chromium: browser.version(), loads, afterRestart, firstRowMs: stat('firstRowMs'), chartMs: stat('chartMs'), scrollToMiddleMs: stat('scrollToMiddleMs'), rowsInDom: loads[0].rows };
  } finally {
    await browser.close();
    await console_.stop();
  }
}

// ─── 3. memory ────────────────────────────────────────────────────────────────────────────────

/** @param {string} dir @returns {number} bytes of the files under dir */
function diskBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

async function memoryBound() {
  const maxMb = 64;
  const console_ = await startConsole(['--max-mb', String(maxMb)]);
  try {
    const perSession = MEMORY_EVENTS / MEMORY_SESSIONS;
    const batchesPerSession = perSession / TINKER_BATCH;
    const sessions = Array.from({ length: MEMORY_SESSIONS }, () => randomUUID());
    const requests = MEMORY_EVENTS / TINKER_BATCH;
    const checkpoints = new Set([100_000, 250_000, 500_000, 750_000, 1_000_000].filter((n) => n <= MEMORY_EVENTS).concat(MEMORY_EVENTS));
    /** @type {Record<string, number>[]} */
    const samples = [];
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(console_.pid))), 100);
    /** @type {Promise<void>[]} */
    const pending = [];
    const rssAtStart = rssOf(console_.pid);
    const t0 = performance.now();
    // Sessions one after another (an app run after another), their batches in order.
    await send(
      `${console_.url}/api/v1/telemetry`,
      requests,
      (r) => tinkerBody(sessions[Math.floor(r / batchesPerSession)], (r % batchesPerSession) * TINKER_BATCH, TINKER_BATCH),
      (answered) => {
        const events = answered * TINKER_BATCH;
        if (!checkpoints.has(events)) return;
        const rss = rssOf(console_.pid);
        pending.push(
          getJson(`${console_.url}/api/console/info`).then((info) => {
            samples.push({ events, rssMB: rss / MB, storeMB: info.store.bytes / MB, diskMB: diskBytes(console_.dir) / MB, sessions: info.store.sessions, evictedSessions: info.store.evicted_sessions, evictedEvents: info.store.evicted_events, indexedRows: info.store.memory?.indexed_events ?? NaN, rememberedIds: info.store.memory?.remembered_ids ?? NaN });
            log(`  ${fmt(events)} events: RSS ${fmt(rss / MB, 1)} MB, store ${fmt(info.store.bytes / MB, 1)} MB in ${info.store.sessions} sessions, ${info.store.evicted_sessions} evicted`);
          }),
        );
      },
    );
    const wallMs = performance.now() - t0;
    await Promise.all(pending);
    clearInterval(sampler);
    samples.sort((a, b) => a.events - b.events);
    return { events: MEMORY_EVENTS, sessions: MEMORY_SESSIONS, maxMb, rssAtStartMB: rssAtStart / MB, peakRssMB: peak / MB, eventsPerSec: MEMORY_EVENTS / (wallMs / 1000), samples };
  } finally {
    await console_.stop();
  }
}

// ─── report ───────────────────────────────────────────────────────────────────────────────────

/** @param {string} line */
function log(line) {
  process.stdout.write(`${line}\n`);
}

/** @param {Record<string, any>} results @returns {string} */
function markdown(results) {
  const lines = [`${results.machine}; ${results.date}.`, ''];
  const spread = (/** @type {{ median: number, min: number, max: number }} */ s, digits = 0) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
  if (results.ingest) {
    lines.push(`### Ingest (${RUNS} run${RUNS === 1 ? '' : 's'} each, a fresh console per run; median (min–max))`, '');
    lines.push('| protocol | events | per request | events/s | request p50 ms | request p99 ms | console RSS after, MB | target ≥ 20,000/s |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of results.ingest) {
      lines.push(`| ${r.protocol === 'tinker' ? 'Tinker (`/api/v1/telemetry`)' : 'OTLP/HTTP JSON logs (`/v1/logs`)'} | ${fmt(r.events)} | ${r.batch} | ${spread(r.eventsPerSec)} | ${spread(r.p50ms, 1)} | ${spread(r.p99ms, 1)} | ${spread(r.rssMB)} | ${r.eventsPerSec.median >= 20_000 ? 'met' : 'missed'} |`);
    }
    lines.push('');
  }
  if (results.paint) {
    const p = results.paint;
    lines.push(`### First paint of a ${fmt(p.events)}-event session (${fmt(p.sessionBytesMB, 1)} MB on disk), ${p.chromium} headless, 1400×900`, '');
    lines.push('| measure (ms from navigation start) | load 1 | load 2 | load 3 | median | target < 1,000 ms |', '| --- | ---: | ---: | ---: | ---: | --- |');
    lines.push(`| first event row on screen | ${p.firstRowMs.each.map((/** @type {number} */ v) => fmt(v)).join(' | ')} | ${fmt(p.firstRowMs.median)} | ${p.firstRowMs.median < 1000 ? 'met' : 'missed'} |`);
    lines.push(`| chart's bars drawn | ${p.chartMs.each.map((/** @type {number} */ v) => fmt(v)).join(' | ')} | ${fmt(p.chartMs.median)} | ${p.chartMs.median < 1000 ? 'met' : 'missed'} |`);
    lines.push(`| scroll to offset ${fmt(p.events / 2)} → its rows on screen (ms from the scroll) | ${p.scrollToMiddleMs.each.map((/** @type {number} */ v) => fmt(v)).join(' | ')} | ${fmt(p.scrollToMiddleMs.median)} | — |`);
    const restart = p.afterRestart;
    lines.push('', `After restarting the console (the session's row index is read back from its file on the first request): first row ${fmt(restart.firstRowMs)} ms, chart ${fmt(restart.chartMs)} ms (${Math.max(restart.firstRowMs, restart.chartMs) < 1000 ? 'under' : 'over'} 1 s).`);
    lines.push(`${p.rowsInDom} rows in the DOM (virtualised). Ingesting the session took ${fmt(p.ingestMs)} ms.`, '');
  }
  if (results.memory) {
    const m = results.memory;
    lines.push(`### Memory with \`--max-mb ${m.maxMb}\`: ${fmt(m.events)} events into ${fmt(m.sessions)} sessions (one after another), ${fmt(m.eventsPerSec)} events/s`, '');
    lines.push('| events sent | console RSS MB | store MB | files on disk MB | sessions kept | sessions evicted | events evicted | rows indexed | ids remembered |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of m.samples) lines.push(`| ${fmt(s.events)} | ${fmt(s.rssMB, 1)} | ${fmt(s.storeMB, 1)} | ${fmt(s.diskMB, 1)} | ${fmt(s.sessions)} | ${fmt(s.evictedSessions)} | ${fmt(s.evictedEvents)} | ${fmt(s.indexedRows)} | ${fmt(s.rememberedIds)} |`);
    lines.push('', `RSS at start ${fmt(m.rssAtStartMB, 1)} MB, peak (sampled every 100 ms) ${fmt(m.peakRssMB, 1)} MB.`, '');
  }
  return lines.join('\n');
}

const results = /** @type {Record<string, any>} */ ({
  machine: `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start`,
  date: new Date().toISOString(),
  settings: { quick, runs: RUNS, senders: SENDERS, ingestEvents: INGEST_EVENTS, paintEvents: PAINT_EVENTS, memoryEvents: MEMORY_EVENTS, memorySessions: MEMORY_SESSIONS, nodeArgs: process.env['BENCH_NODE_ARGS'] ?? '' },
});
if (ONLY.has('ingest')) {
  log(`ingest: ${fmt(INGEST_EVENTS)} events per protocol, ${RUNS} run(s)`);
  results.ingest = [await ingestRate('tinker'), await ingestRate('otlp')];
}
if (ONLY.has('paint')) {
  log(`paint: one session of ${fmt(PAINT_EVENTS)} events, 3 page loads`);
  results.paint = await firstPaint();
}
if (ONLY.has('memory')) {
  log(`memory: ${fmt(MEMORY_EVENTS)} events into ${fmt(MEMORY_SESSIONS)} sessions, --max-mb 64`);
  results.memory = await memoryBound();
}
const text = markdown(results);
log(`\n${text}`);
if (!quick && ONLY.size === 3) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'console.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS, 'console.md'), `${text}\n`);
  log('wrote bench/results/console.json and console.md');
}
