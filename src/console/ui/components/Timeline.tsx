import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ConsoleSeverity } from '../../model.js';
import type { Histogram } from '../../store-api.js';
import { SEVERITY_COLORS, SEVERITY_LIST } from '../api.js';
import { fmtClock, fmtInt } from '../format.js';

/** Most severe first: each series is the stack up to its severity, drawn over the one before. */
const STACK: readonly ConsoleSeverity[] = [...SEVERITY_LIST].reverse();

/**
 * uPlot's data for stacked bars: x in ms, then per severity (most severe first) the count of it and
 * every milder one. Bars drawn in that order paint each severity's own slice on top of the milder ones.
 */
function stacked(h: Histogram): uPlot.AlignedData {
  const n = h.counts.DEBUG?.length ?? 0;
  const xs = Array.from({ length: n }, (_, i) => h.start_ms + (i + 0.5) * h.bucket_ms);
  const series = STACK.map((_, si) =>
    Array.from({ length: n }, (_, i) => {
      let sum = 0;
      for (const s of STACK.slice(si)) sum += h.counts[s]?.[i] ?? 0;
      return sum;
    }),
  );
  return [xs, ...series];
}

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Events over time per severity (uPlot, stacked bars; labels and values through uPlot's own text APIs). */
export function Timeline({ histogram }: { histogram: Histogram | undefined }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const latest = useRef<Histogram | undefined>(undefined);
  latest.current = histogram;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = css('--muted', '#6b7280');
    const grid = css('--grid', 'rgba(0,0,0,0.07)');
    const count = (si: number, idx: number | null): string => {
      const h = latest.current;
      const sev = STACK[si - 1];
      if (!h || sev === undefined || idx === null) return '–';
      return fmtInt(h.counts[sev]?.[idx] ?? 0);
    };
    const bars = uPlot.paths.bars!({ size: [0.9, 64], gap: 1 });
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 130,
      ms: 1,
      padding: [8, 8, 0, 0],
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      legend: { show: true, live: true },
      scales: {
        // The whole span of the buckets, so that the first and last bars show whole.
        x: {
          time: true,
          range: (_u, min, max) => {
            const h = latest.current;
            const n = h?.counts.DEBUG?.length ?? 0;
            return h && n > 0 ? [h.start_ms, h.start_ms + n * h.bucket_ms] : [min, max];
          },
        },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] },
      },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 28 },
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 44, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? fmtInt(v) : '')) },
      ],
      series: [
        { label: 'at', value: (_u: uPlot, v: number | null) => (v === null ? '–' : fmtClock(v)) },
        ...STACK.map((sev) => ({
          label: sev,
          fill: SEVERITY_COLORS[sev],
          stroke: SEVERITY_COLORS[sev],
          width: 0,
          paths: bars,
          points: { show: false },
          value: (_u: uPlot, _v: number | null, si: number, idx: number | null) => count(si, idx),
        })),
      ],
    };
    const empty: uPlot.AlignedData = [[], ...STACK.map(() => [])];
    const u = new uPlot(opts, latest.current ? stacked(latest.current) : empty, el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (width !== u.width) u.setSize({ width, height: 130 });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = undefined;
    };
  }, []);

  useEffect(() => {
    if (histogram && plot.current) plot.current.setData(stacked(histogram));
  }, [histogram]);

  return <div class="timeline" ref={host} role="img" aria-label="Events over time by severity" data-testid="timeline" />;
}
