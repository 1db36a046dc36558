import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleEvent, SessionSummary } from '../../model.js';
import { api } from '../api.js';
import { fmtClock, fmtDuration, fmtInt, fmtOffset } from '../format.js';
import { navigate, type Route } from '../route.js';
import { Empty, ErrorNote } from './common.js';
import { EventDetail } from './EventDetail.js';

type SessionRoute = Extract<Route, { view: 'session' }>;
const PAGE = 200;
const LLM = { kinds: ['llm'] } as const;

const isFailure = (status: string | undefined): boolean => status !== undefined && /^(error|false|failed|failure)$/i.test(status);

/** The session's `kind=llm` events: generations, tool calls and rounds, with model, tokens, latency and status. */
export function LlmTab({ route, session, tick }: { route: SessionRoute; session: SessionSummary | undefined; tick: number }) {
  const [rows, setRows] = useState<readonly ConsoleEvent[]>([]);
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const busy = useRef(false);

  /** The next page after what is shown (also how new calls are picked up live). */
  const more = (signal?: AbortSignal): void => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    api.events(route.id, LLM, rowsRef.current.length, PAGE, signal).then(
      (page) => {
        busy.current = false;
        setLoading(false);
        setTotal(page.total);
        setError(undefined);
        if (page.offset === rowsRef.current.length && page.events.length > 0) setRows([...rowsRef.current, ...page.events]);
      },
      (e: unknown) => {
        busy.current = false;
        setLoading(false);
        if (!signal?.aborted) setError(e);
      },
    );
  };

  useEffect(() => {
    const controller = new AbortController();
    more(controller.signal);
    return () => {
      busy.current = false;
      controller.abort();
    };
  }, [route.id]);

  // Live: pick up new calls when the list is read to its end.
  useEffect(() => {
    if (tick > 0 && total !== undefined && rowsRef.current.length >= total) more();
  }, [tick]);

  const selected = rows.find((e) => e.seq === route.seq);
  let inTokens = 0;
  let outTokens = 0;
  let failures = 0;
  for (const e of rows) {
    inTokens += e.llm?.input_tokens ?? 0;
    outTokens += e.llm?.output_tokens ?? 0;
    if (isFailure(e.llm?.status)) failures++;
  }
  const start = session?.start_ms;
  const select = (seq: number | undefined): void => {
    const { seq: _s, ...rest } = route;
    navigate(seq === undefined ? rest : { ...rest, seq }, true);
  };

  if (error !== undefined && rows.length === 0) return <ErrorNote error={error} />;
  if (total === undefined) return <p class="muted">Loading LLM calls…</p>;
  if (total === 0) return <Empty>No LLM generations or tool calls in this session.</Empty>;
  return (
    <div class="llm-tab">
      <p class="summary-line" data-testid="llm-summary">
        {fmtInt(total)} LLM event{total === 1 ? '' : 's'}
        {rows.length < total ? ` (first ${fmtInt(rows.length)} shown)` : ''} · {fmtInt(inTokens)} tokens in · {fmtInt(outTokens)} tokens out
        {failures > 0 && <span class="error-text"> · {fmtInt(failures)} failed</span>}
      </p>
      <div class={`split ${selected ? 'with-detail' : ''}`}>
        <div class="table-wrap">
          <table class="grid llm" aria-label="LLM generations and tool calls">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Model / tool</th>
                <th scope="col" class="num">
                  Tokens in
                </th>
                <th scope="col" class="num">
                  Tokens out
                </th>
                <th scope="col" class="num">
                  Latency
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const llm = e.llm;
                const status = llm?.status;
                return (
                  <tr
                    key={e.seq}
                    class={`clickable ${e.seq === route.seq ? 'selected' : ''}`}
                    data-testid="llm-row"
                    data-seq={e.seq}
                    aria-selected={e.seq === route.seq}
                    onClick={() => select(e.seq === route.seq ? undefined : e.seq)}
                  >
                    <td class="mono nowrap" title={start !== undefined ? fmtOffset(e.ts, start) : undefined}>
                      {fmtClock(e.ts)}
                    </td>
                    <td>
                      <span class={`kind llm-type llm-${llm?.type ?? 'llm'}`}>{llm?.type ?? 'llm'}</span>
                    </td>
                    <td class="truncate" title={e.name}>
                      {e.name}
                    </td>
                    <td class="truncate">
                      {llm?.model ?? ''}
                      {llm?.tool !== undefined && <span class="muted">{llm.model ? ' · ' : ''}tool </span>}
                      {llm?.tool ?? ''}
                      {!llm?.model && llm?.tool === undefined && <span class="muted">—</span>}
                    </td>
                    <td class="num">{fmtInt(llm?.input_tokens)}</td>
                    <td class="num">{fmtInt(llm?.output_tokens)}</td>
                    <td class="num nowrap">{fmtDuration(llm?.latency_ms)}</td>
                    <td class={isFailure(status) ? 'error-text' : ''}>{status ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.length < total && (
            <button type="button" class="button" disabled={loading} onClick={() => more()} data-testid="llm-more">
              {loading ? 'Loading…' : `Show ${fmtInt(Math.min(PAGE, total - rows.length))} more`}
            </button>
          )}
        </div>
        {selected && <EventDetail event={selected} sessionId={route.id} sessionStart={start} onClose={() => select(undefined)} />}
      </div>
    </div>
  );
}
