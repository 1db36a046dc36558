import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleEvent, SessionSummary, SpanInfo } from '../../model.js';
import type { TraceSummary } from '../../store-api.js';
import { api } from '../api.js';
import { fmtClock, fmtDuration, fmtInt, fmtOffset } from '../format.js';
import { hrefFor, navigate, type Route } from '../route.js';
import { Empty, ErrorNote } from './common.js';
import { EventDetail } from './EventDetail.js';

type SessionRoute = Extract<Route, { view: 'session' }>;

function TraceList({ route, session, tick }: { route: SessionRoute; session: SessionSummary | undefined; tick: number }) {
  const [traces, setTraces] = useState<readonly TraceSummary[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    api.traces(route.id, controller.signal).then(
      (a) => {
        setTraces(a.traces);
        setError(undefined);
      },
      (e: unknown) => !controller.signal.aborted && setError(e),
    );
    return () => controller.abort();
  }, [route.id, tick]);
  if (error !== undefined) return <ErrorNote error={error} />;
  if (!traces) return <p class="muted">Loading traces…</p>;
  if (traces.length === 0) return <Empty>No spans in this session.</Empty>;
  const start = session?.start_ms ?? traces[0]?.start_ms ?? 0;
  const longest = Math.max(1, ...traces.map((t) => t.duration_ms));
  return (
    <div class="table-wrap">
      <table class="grid traces" aria-label="Traces of this session, earliest first">
        <thead>
          <tr>
            <th scope="col">Root span</th>
            <th scope="col">Started</th>
            <th scope="col" class="num">
              Duration
            </th>
            <th scope="col" class="bar-col" aria-label="Duration, relative to the longest trace" />
            <th scope="col" class="num">
              Spans
            </th>
            <th scope="col" class="num">
              Errors
            </th>
            <th scope="col">Trace id</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((t) => {
            const href = hrefFor({ ...route, traceId: t.trace_id });
            return (
              <tr
                key={t.trace_id}
                class="clickable"
                data-testid="trace-row"
                data-trace-id={t.trace_id}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a') === null) navigate({ ...route, traceId: t.trace_id });
                }}
              >
                <td>
                  <a href={href} class="strong">
                    {t.name || '(unnamed)'}
                  </a>
                </td>
                <td class="nowrap mono" title={fmtOffset(t.start_ms, start)}>
                  {fmtClock(t.start_ms)}
                </td>
                <td class="num nowrap">{fmtDuration(t.duration_ms)}</td>
                <td class="bar-col">
                  <span class={`mini-bar ${t.errors > 0 ? 'status-error' : ''}`} style={{ width: `${Math.max(1, (t.duration_ms / longest) * 100)}%` }} />
                </td>
                <td class="num">{fmtInt(t.spans)}</td>
                <td class={`num ${t.errors > 0 ? 'error-text' : ''}`}>{fmtInt(t.errors)}</td>
                <td class="mono sub">{t.trace_id}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface Row {
  readonly event: ConsoleEvent;
  readonly span: SpanInfo;
  readonly depth: number;
}

/** The spans in tree order: each parent followed by its children (earliest first); a span whose parent is missing is a root. */
export function spanRows(events: readonly ConsoleEvent[]): Row[] {
  const withSpan = events.filter((e): e is ConsoleEvent & { span: SpanInfo } => e.span !== undefined);
  const byId = new Map<string, ConsoleEvent & { span: SpanInfo }>();
  for (const e of withSpan) if (!byId.has(e.span.span_id)) byId.set(e.span.span_id, e);
  const children = new Map<string, (ConsoleEvent & { span: SpanInfo })[]>();
  const roots: (ConsoleEvent & { span: SpanInfo })[] = [];
  for (const e of byId.values()) {
    const parent = e.span.parent_span_id;
    if (parent !== undefined && parent !== e.span.span_id && byId.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(e);
      children.set(parent, list);
    } else roots.push(e);
  }
  const byStart = (a: ConsoleEvent & { span: SpanInfo }, b: ConsoleEvent & { span: SpanInfo }): number => a.span.start_ms - b.span.start_ms;
  const rows: Row[] = [];
  const seen = new Set<string>();
  const walk = (e: ConsoleEvent & { span: SpanInfo }, depth: number): void => {
    if (seen.has(e.span.span_id)) return;
    seen.add(e.span.span_id);
    rows.push({ event: e, span: e.span, depth });
    for (const c of (children.get(e.span.span_id) ?? []).sort(byStart)) walk(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) walk(r, 0);
  // Spans caught in a parent cycle (no root reaches them) still show, as roots.
  for (const e of [...byId.values()].sort(byStart)) walk(e, 0);
  return rows;
}

const TICKS = [0, 0.25, 0.5, 0.75, 1];

function Waterfall({ route, tick }: { route: SessionRoute & { traceId: string }; tick: number }) {
  const [spans, setSpans] = useState<readonly ConsoleEvent[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    api.trace(route.id, route.traceId, controller.signal).then(
      (a) => {
        setSpans(a.spans);
        setError(undefined);
      },
      (e: unknown) => !controller.signal.aborted && setError(e),
    );
    return () => controller.abort();
  }, [route.id, route.traceId, tick]);
  const rows = useMemo(() => spanRows(spans ?? []), [spans]);
  const back = (
    <a href={hrefFor({ ...route, traceId: undefined, spanId: undefined } as SessionRoute)} class="back">
      ← Traces
    </a>
  );
  if (error !== undefined)
    return (
      <div>
        {back}
        <ErrorNote error={error} />
      </div>
    );
  if (!spans)
    return (
      <div>
        {back}
        <p class="muted">Loading the trace…</p>
      </div>
    );
  let start = Infinity;
  let end = -Infinity;
  for (const r of rows) {
    start = Math.min(start, r.span.start_ms);
    end = Math.max(end, r.span.end_ms);
  }
  const total = Math.max(end - start, 0.001);
  const errors = rows.filter((r) => r.span.status === 'error').length;
  const rootName = rows[0]?.event.name ?? '';
  const selected = rows.find((r) => r.span.span_id === route.spanId)?.event;
  const select = (spanId: string | undefined): void => {
    const { spanId: _s, ...rest } = route;
    navigate(spanId === undefined ? rest : { ...rest, spanId }, true);
  };
  return (
    <div class="trace-view">
      <div class="trace-head">
        {back}
        <h2>{rootName || '(unnamed)'}</h2>
        <span class="muted">
          {fmtDuration(end - start)} · {fmtInt(rows.length)} spans
          {errors > 0 ? ' · ' : ''}
          {errors > 0 && <span class="error-text">{fmtInt(errors)} with errors</span>}
        </span>
        <span class="mono muted sub">{route.traceId}</span>
      </div>
      {rows.length === 0 ? (
        <Empty>This trace has no spans.</Empty>
      ) : (
        <div class={`split ${selected ? 'with-detail' : ''}`}>
          <div class="waterfall" role="tree" aria-label="Spans of the trace by time" data-testid="waterfall">
            <div class="wf-row wf-ruler" aria-hidden="true">
              <span class="wf-name muted">span</span>
              <span class="wf-track">
                {TICKS.map((t) => (
                  <span key={t} class="wf-tick" style={{ left: `${t * 100}%` }}>
                    {t === 0 ? '0' : fmtDuration(t * total)}
                  </span>
                ))}
              </span>
            </div>
            {rows.map(({ event, span, depth }) => {
              const left = ((span.start_ms - start) / total) * 100;
              const width = Math.max(((span.end_ms - span.start_ms) / total) * 100, 0.2);
              const llm = event.llm;
              const isSelected = route.spanId === span.span_id;
              const llmText = llm ? [llm.model ?? llm.tool, llm.input_tokens !== undefined || llm.output_tokens !== undefined ? `${fmtInt(llm.input_tokens)}→${fmtInt(llm.output_tokens)} tokens` : ''].filter(Boolean).join(' · ') : '';
              const label = llmText ? `${fmtDuration(span.end_ms - span.start_ms)} · ${llmText}` : fmtDuration(span.end_ms - span.start_ms);
              // The label goes after the bar, or inside a wide bar near the end, or before a narrow one there.
              const place = left + width <= 70 ? 'after' : width >= 30 ? 'inside' : 'before';
              return (
                <div
                  key={span.span_id}
                  class={`wf-row clickable ${isSelected ? 'selected' : ''}`}
                  role="treeitem"
                  aria-level={depth + 1}
                  aria-selected={isSelected}
                  tabIndex={0}
                  data-span-id={span.span_id}
                  onClick={() => select(isSelected ? undefined : span.span_id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      select(isSelected ? undefined : span.span_id);
                    }
                  }}
                >
                  <span class="wf-name" style={{ paddingLeft: `${0.5 + depth * 1.1}rem` }} title={event.name}>
                    {depth > 0 && <span class="wf-elbow" aria-hidden="true" />}
                    <span class={span.status === 'error' ? 'error-text' : ''}>{event.name}</span>
                    {llm && (
                      <span class="llm-tag" title={`LLM ${llm.type}`}>
                        {llm.type === 'tool' ? 'tool' : 'LLM'}
                      </span>
                    )}
                  </span>
                  <span class="wf-track">
                    {TICKS.slice(1, -1).map((t) => (
                      <span key={t} class="wf-gridline" style={{ left: `${t * 100}%` }} aria-hidden="true" />
                    ))}
                    <span
                      class={`span-bar status-${span.status === 'error' ? 'error' : span.status === 'ok' ? 'ok' : 'unset'} ${llm ? 'is-llm' : ''}`}
                      data-testid="span-bar"
                      data-status={span.status}
                      style={{ left: `${Math.min(left, 99.8)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.8))}%` }}
                      title={`${event.name}: ${fmtDuration(span.end_ms - span.start_ms)} from ${fmtOffset(span.start_ms, start)}`}
                    />
                    <span class={`wf-dur ${place}`} style={place === 'inside' ? { right: `${100 - left - width}%` } : place === 'before' ? { right: `${100 - left}%` } : { left: `${left + width}%` }}>
                      {label}
                    </span>
                  </span>
                </div>
              );
            })}
          </div>
          {selected && <EventDetail event={selected} sessionId={route.id} sessionStart={start} onClose={() => select(undefined)} />}
        </div>
      )}
    </div>
  );
}

export function TracesTab({ route, session, tick }: { route: SessionRoute; session: SessionSummary | undefined; tick: number }) {
  if (route.traceId !== undefined) return <Waterfall route={{ ...route, traceId: route.traceId }} tick={tick} />;
  return <TraceList route={route} session={session} tick={tick} />;
}
