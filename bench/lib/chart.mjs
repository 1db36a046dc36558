/**
 * A hand-rolled SVG of horizontal bars: delivered events/s, client CPU µs per delivered event and
 * event-loop delay p99 (e2e), and log() calls/s (ingest). rxtel orange, floors grey, others blue.
 */

/** @param {string} s */
const escape = (s) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
/** @param {string} client */
const colour = (client) => (client === 'rxtel' ? '#c2410c' : client === 'array' || client.endsWith('-floor') ? '#9ca3af' : '#2563eb');

/** @param {any} results the object written to latest.json */
export function renderSvg(results) {
  const groups = [
    ['Delivered events/s — e2e, 100-event batches (higher is better)', results.medians.e2e, 'deliveredPerSec'],
    ['Client CPU µs per delivered event — e2e (lower is better)', results.medians.e2e, 'cpuUsPerEvent'],
    ['Event-loop delay p99 ms — e2e (lower is better)', results.medians.e2e, 'loopP99ms'],
    ['log() calls/s — ingest, tight loop (higher is better)', results.medians.ingest, 'callsPerSec'],
  ].filter(([, data]) => data !== undefined);
  const width = 760;
  const left = 130;
  const right = 150;
  const bar = 18;
  const step = 26;
  let y = 28;
  const parts = [];
  for (const [title, data, key] of groups) {
    // A metric is { median, min, max } when every run gave a number; anything else has no bar.
    const rows = Object.entries(data).map(([client, m]) => [client, typeof m[key]?.median === 'number' ? m[key] : undefined, m.failedRuns === m.runs]);
    const max = Math.max(1, ...rows.map(([, v]) => v?.max ?? 0));
    const scale = (/** @type {number} */ v) => ((width - left - right) * v) / max;
    parts.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">${escape(title)}</text>`);
    y += 12;
    for (const [client, v, failed] of rows) {
      const value = v?.median ?? 0;
      const w = scale(value);
      parts.push(`<text x="${left - 8}" y="${y + 13}" font-size="12" text-anchor="end">${escape(client)}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${colour(client)}"/>`);
      if (v && v.max > v.min) {
        const [x1, x2] = [left + scale(v.min), left + scale(v.max)];
        parts.push(`<line x1="${x1.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${y + bar / 2}" y2="${y + bar / 2}" stroke="#111" stroke-width="1"/>`);
      }
      const label = v === undefined ? (failed ? 'failed' : 'no value') : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
      parts.push(`<text x="${(left + Math.max(w, v ? scale(v.max) : 0) + 6).toFixed(1)}" y="${y + 13}" font-size="12">${label}</text>`);
      y += step;
    }
    y += 22;
  }
  const m = results.machine;
  parts.push(`<text x="10" y="${y - 6}" font-size="11" fill="#555">${escape(`median of ${results.runs} run(s), line = min–max; Node ${m.node}, ${m.cores} × ${m.cpu}`)}</text>`);
  y += 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
