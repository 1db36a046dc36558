/** Medians with min–max spread, and the Markdown tables of a bench run. */
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
