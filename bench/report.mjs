/** Medians with min–max spread, the Markdown tables and the SVG chart of a bench run. */

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** For every scenario, client and numeric metric: { median, min, max }; failures are counted. */
export function summarise(raw) {
  const out = {};
  for (const [scenario, byClient] of Object.entries(raw)) {
    for (const [client, runs] of Object.entries(byClient)) {
      const ok = runs.filter((r) => r.error === undefined);
      const metrics = { failedRuns: runs.length - ok.length };
      for (const key of Object.keys(ok[0] ?? {})) {
        const values = ok.map((r) => r[key]).filter((v) => typeof v === 'number' && Number.isFinite(v));
        if (values.length > 0) metrics[key] = { median: median(values), min: Math.min(...values), max: Math.max(...values) };
        else metrics[key] = ok.at(-1)?.[key];
      }
      (out[scenario] ??= {})[client] = metrics;
    }
  }
  return out;
}

const fmt = (v) => {
  if (v === undefined || v === null) return '–';
  if (typeof v !== 'object') return String(v);
  if (!('median' in v)) return JSON.stringify(v);
  const n = (x) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
  return v.min === v.max ? n(v.median) : `${n(v.median)} (${n(v.min)}–${n(v.max)})`;
};

export function renderMarkdown(results) {
  const lines = [`Node ${results.machine.node}, ${results.machine.cores} × ${results.machine.cpu}; ${results.runs} run(s) each, median (min–max).`, ''];
  for (const [scenario, byClient] of Object.entries(results.medians)) {
    const keys = [...new Set(Object.values(byClient).flatMap((m) => Object.keys(m)))].filter((k) => k !== 'failedRuns');
    lines.push(`### ${scenario}`, '', `| client | ${keys.join(' | ')} |`, `| --- | ${keys.map(() => '---').join(' | ')} |`);
    for (const [client, metrics] of Object.entries(byClient)) {
      const failed = metrics.failedRuns > 0 ? ` (${metrics.failedRuns} failed)` : '';
      lines.push(`| ${client}${failed} | ${keys.map((k) => fmt(metrics[k])).join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Two horizontal bar groups: delivered events/s (e2e) and ingest calls/s, per client. */
export function renderSvg(results) {
  const groups = [
    ['Delivered events/s (end to end, 100-event batches)', results.medians.e2e, 'deliveredPerSec'],
    ['log() calls/s (ingest, tight loop)', results.medians.ingest, 'callsPerSec'],
  ].filter(([, data]) => data !== undefined);
  const width = 760;
  const barHeight = 22;
  const left = 130;
  let y = 20;
  const parts = [];
  for (const [title, data, key] of groups) {
    const rows = Object.entries(data).map(([client, m]) => [client, m[key]?.median ?? 0]);
    const max = Math.max(1, ...rows.map(([, v]) => v));
    parts.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">${title}</text>`);
    y += 12;
    for (const [client, value] of rows) {
      const w = ((width - left - 120) * value) / max;
      const colour = client === 'rxtel' ? '#c2410c' : client === 'array' || client === 'fetch-floor' ? '#9ca3af' : '#2563eb';
      parts.push(
        `<text x="${left - 8}" y="${y + 15}" font-size="12" text-anchor="end">${client}</text>`,
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight - 4}" fill="${colour}"/>`,
        `<text x="${(left + w + 6).toFixed(1)}" y="${y + 15}" font-size="12">${Math.round(value).toLocaleString('en-US')}</text>`,
      );
      y += barHeight;
    }
    y += 24;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
