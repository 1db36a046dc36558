/** Medians with min–max spread, issue 16's targets, and the Markdown tables of a bench run. */
import { median } from './numbers.mjs';

/**
 * For every scenario and client: failed/ok run counts, the first error, and per metric either
 * `{ median, min, max }` (numbers) or the value itself (anything else; the last run's).
 * @param {Record<string, Record<string, any[]>>} raw  scenario → client → runs
 */
export function summarise(raw) {
  /** @type {Record<string, Record<string, any>>} */
  const out = {};
  for (const [scenario, byClient] of Object.entries(raw)) {
    for (const [client, runs] of Object.entries(byClient)) {
      const ok = runs.filter((r) => r.error === undefined);
      /** @type {Record<string, any>} */
      const metrics = { runs: runs.length, failedRuns: runs.length - ok.length, error: runs.find((r) => r.error)?.error };
      for (const key of new Set(ok.flatMap((r) => Object.keys(r)))) {
        const values = ok.map((r) => r[key]);
        const numbers = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
        metrics[key] = numbers.length === values.length && numbers.length > 0
          ? { median: median(numbers), min: Math.min(...numbers), max: Math.max(...numbers) }
          : values.at(-1);
      }
      (out[scenario] ??= {})[client] = metrics;
    }
  }
  return out;
}

/** Columns shown per scenario: [metric key, header]. Everything else stays in latest.json. */
const COLUMNS = {
  ingest: [['callsPerSec', 'calls/s'], ['p50us', 'p50 µs'], ['p99us', 'p99 µs'], ['maxUs', 'max µs'], ['cpuUsPerCall', 'CPU µs/call'], ['cpuUsPerCallInclDeferred', 'CPU µs/call incl. deferred'], ['heldAfterLoop', 'held after loop'], ['deliveredPct', 'delivered % after shutdown']],
  e2e: [
    ['deliveredPerSec', 'delivered/s'], ['cpuUsPerEvent', 'CPU µs/event'], ['deliveredPct', 'delivered %'], ['duplicates', 'dup'], ['requests', 'requests'],
    ['elapsedMs', 'first log → last counted ms'], ['loopP50ms', 'loop p50 ms'], ['loopP99ms', 'loop p99 ms'], ['peakRssMB', 'peak RSS MB'],
  ],
  outage: [
    ['held', 'held (own count)'], ['dropped', 'dropped (own count)'], ['heapGrowthMB', 'heap Δ MB'], ['rssGrowthMB', 'RSS Δ MB'],
    ['heapBytesPerHeldEvent', 'heap B/held event'], ['refusedRequests', '503s answered'], ['arrived', 'arrived after recovery'], ['lost', 'lost'],
    ['recoveryMs', 'recovery → last arrival ms'], ['recoveredPerSec', 'recovered/s'],
  ],
  drain: [
    ['queuedAtShutdown', 'queued at shutdown'], ['shutdownMs', 'shutdown resolved ms'], ['allCountedMs', 'all counted ms'], ['deliveredPct', 'delivered %'],
    ['drainedPerSec', 'drained/s'], ['cpuUsPerEvent', 'CPU µs/event'], ['drainCpuUsPerEvent', 'CPU µs/event after the loop'],
  ],
};

/**
 * Issue 16's targets, each a ratio of two rows' medians in the same run: `client` ÷ `reference`,
 * at most `atMost` or at least `atLeast`. `lossless`: the client also delivered 100 % with 0
 * duplicates in every run. The reference `opentelemetry` is OTel with batches of 100, its queue
 * above N and no self-observability meter.
 */
const TARGETS = [
  { target: 'e2e client CPU µs per delivered event', scenario: 'e2e', metric: 'cpuUsPerEvent', client: 'rxtel', reference: 'opentelemetry', atMost: 0.6 },
  { target: 'e2e delivered events/s', scenario: 'e2e', metric: 'deliveredPerSec', client: 'rxtel', reference: 'opentelemetry', atLeast: 1.5, lossless: true },
  { target: 'e2e event-loop delay p99 ms', scenario: 'e2e', metric: 'loopP99ms', client: 'rxtel', reference: 'opentelemetry', atMost: 1 },
  { target: 'ingest log() calls/s', scenario: 'ingest', metric: 'callsPerSec', client: 'rxtel', reference: 'opentelemetry', atLeast: 2 },
  { target: 'ingest log() p99 µs', scenario: 'ingest', metric: 'p99us', client: 'rxtel', reference: 'opentelemetry', atMost: 1 },
  { target: 'drain: all queued events counted, ms', scenario: 'drain', metric: 'allCountedMs', client: 'rxtel', reference: 'opentelemetry', atMost: 0.6 },
  { target: 'e2e delivered events/s with the durable spool', scenario: 'e2e', metric: 'deliveredPerSec', client: 'rxtel-spool', reference: 'rxtel', atLeast: 0.7 },
];

/** A metric's median (or the value itself, when not every run gave a number). @param {any} m @returns {number | undefined} */
const mid = (m) => (typeof m === 'number' ? m : typeof m?.median === 'number' ? m.median : undefined);

/**
 * The targets whose two rows ran (a partial run skips the others), for `results.targets`.
 * @param {Record<string, Record<string, any>>} medians  summarise()'s output
 */
export function computeTargets(medians) {
  return TARGETS.filter((t) => medians[t.scenario]?.[t.client] && medians[t.scenario]?.[t.reference]).map((t) => {
    const rows = medians[t.scenario];
    const value = mid(rows[t.client][t.metric]);
    const referenceValue = mid(rows[t.reference][t.metric]);
    const ratio = value !== undefined && referenceValue !== undefined && referenceValue > 0 ? value / referenceValue : null;
    const { deliveredPct: pct, duplicates: dup } = rows[t.client];
    const lossless = !t.lossless || ((pct?.min ?? pct) === 100 && (dup?.max ?? dup) === 0);
    const bound = t.atMost ?? t.atLeast;
    const required = `${t.atMost !== undefined ? '≤' : '≥'} ${bound}×${t.lossless ? '; 100 % delivered, 0 dup in every run' : ''}`;
    const met = ratio !== null && lossless && (t.atMost !== undefined ? ratio <= t.atMost : ratio >= /** @type {number} */ (t.atLeast));
    return { target: t.target, scenario: t.scenario, metric: t.metric, client: t.client, reference: t.reference, value, referenceValue, ratio, required, lossless, met };
  });
}

/** @param {ReturnType<typeof computeTargets>} targets */
function targetRows(targets) {
  if (targets.length === 0) return [];
  return [
    '### Targets (issue 16)',
    '',
    'Medians of this run; ratio = the rxtel row ÷ the reference row. `opentelemetry`: batches of 100, queue above N, no self-observability meter.',
    '',
    '| target | rxtel | reference | ratio | required | met? |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...targets.map((t) => {
      const why = t.ratio === null ? ' (no value)' : t.lossless ? '' : ' (lost or duplicated events)';
      return `| ${t.target} | ${t.client} ${formatMetric(t.value)} | ${t.reference} ${formatMetric(t.referenceValue)} | ${t.ratio === null ? '–' : `${t.ratio.toFixed(2)}×`} | ${t.required} | ${t.met ? 'yes' : `no${why}`} |`;
    }),
    '',
  ];
}

/** @param {number} x */
const num = (x) => (Number.isInteger(x) || Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** @param {any} v */
export function formatMetric(v) {
  if (v === undefined || v === null) return '–';
  if (typeof v === 'number') return Number.isFinite(v) ? num(v) : '–';
  if (typeof v !== 'object') return String(v);
  if (!('median' in v)) return JSON.stringify(v);
  return v.min === v.max ? num(v.median) : `${num(v.median)} (${num(v.min)}–${num(v.max)})`;
}

/**
 * The hostile scenario's table: one row per shape (its metrics are `<shape>.<metric>`), not per client.
 * @param {Record<string, any>} metrics
 */
function hostileRows(metrics) {
  const shapes = Object.keys(metrics).filter((k) => k.endsWith('.maxMs')).map((k) => k.slice(0, -'.maxMs'.length));
  return [
    `Worst single call: ${formatMetric(metrics.worstMs)} ms (${metrics.worstShape}).`,
    '',
    '| shape | what | median ms | p99 ms | max ms | what the event carries |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...shapes.map((s) => `| ${s} | ${metrics[`${s}.what`]} | ${formatMetric(metrics[`${s}.medianMs`])} | ${formatMetric(metrics[`${s}.p99Ms`])} | ${formatMetric(metrics[`${s}.maxMs`])} | ${metrics[`${s}.outcome`]} |`),
  ];
}

/** @param {any} results the object written to latest.json */
export function renderMarkdown(results) {
  const m = results.machine;
  const lines = [
    `Node ${m.node}, ${m.cores} × ${m.cpu}, load ${m.loadavg.map((/** @type {number} */ x) => x.toFixed(2)).join(' ')} at start; ` +
      `${results.runs} run(s) each${results.quick ? ' (--quick sizes)' : ''}; median (min–max). ${results.date}.`,
    '',
    ...targetRows(results.targets ?? computeTargets(results.medians)),
  ];
  for (const [scenario, byClient] of Object.entries(results.medians)) {
    const columns = COLUMNS[/** @type {keyof typeof COLUMNS} */ (scenario)] ?? [];
    const size = results.sizes[scenario];
    lines.push(`### ${scenario} (${Object.entries(size).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')})`, '');
    if (scenario === 'hostile') {
      for (const [client, metrics] of Object.entries(byClient)) {
        if (metrics.failedRuns === metrics.runs) lines.push(`${client} failed: ${String(metrics.error).split('\n')[0]}`, '');
        else lines.push(...hostileRows(metrics), '');
      }
      continue;
    }
    lines.push(`| client | ${columns.map(([, h]) => h).join(' | ')} |`, `| --- | ${columns.map(() => '---:').join(' | ')} |`);
    for (const [client, metrics] of Object.entries(byClient)) {
      if (metrics.failedRuns === metrics.runs) {
        lines.push(`| ${client} | failed: ${String(metrics.error).split('\n')[0].replaceAll('|', '\\|').slice(0, 160)} |${' |'.repeat(Math.max(0, columns.length - 1))}`);
        continue;
      }
      const failed = metrics.failedRuns > 0 ? ` (${metrics.failedRuns}/${metrics.runs} failed)` : '';
      lines.push(`| ${client}${failed} | ${columns.map(([k]) => formatMetric(metrics[k])).join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('Versions: ' + Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ') + '.', '');
  return `${lines.join('\n')}\n`;
}
