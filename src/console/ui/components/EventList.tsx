import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleEvent, EventFilter } from '../../model.js';
import { api, kindLabel } from '../api.js';
import { eventSummary, fmtClock, fmtIso, fmtInt, fmtOffset } from '../format.js';
import { ErrorNote } from './common.js';

/** Row height in CSS pixels (styles.css: .vrow). */
export const ROW_PX = 26;
/** Events per request. */
export const PAGE = 200;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 15;
/** Pages kept in memory at most; the ones farthest from the view go first. */
const MAX_PAGES = 60;
/**
 * Browsers cap an element's height (Firefox near 17.9 million px, Chromium 33.5 million); past
 * this, the scroll bar stands for the list proportionally instead of a pixel per pixel.
 */
const MAX_PX = 8_000_000;

interface Props {
  readonly sessionId: string;
  readonly filter: EventFilter;
  /** Changes whenever `filter` does (its canonical text). */
  readonly filterKey: string;
  /** Bumped when the session got new events. */
  readonly tick: number;
  readonly sessionStart: number | undefined;
  readonly selectedSeq: number | undefined;
  readonly onSelect: (event: ConsoleEvent) => void;
}

/**
 * A session's events, virtualised: fixed-height rows, only the visible ones (plus some) in the
 * DOM, the height from `EventPage.total`, pages of 200 fetched by offset when they come into view
 * and cached. New events (`tick`) refresh the last page and the total; the scroll position stays,
 * and when the user is at the bottom the list follows the tail.
 */
export function EventList({ sessionId, filter, filterKey, tick, sessionStart, selectedSeq, onSelect }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, readonly ConsoleEvent[]>());
  const inflight = useRef(new Map<number, AbortController>());
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const generation = useRef(0);
  const totalRef = useRef<number | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [view, setView] = useState({ top: 0, height: 400 });
  const [, setVersion] = useState(0);
  const [error, setError] = useState<unknown>();
  const follow = useRef(true);
  const [following, setFollowing] = useState(true);
  const frame = useRef(0);

  const load = useCallback(
    (page: number, force = false): void => {
      if (!force && (pages.current.has(page) || inflight.current.has(page))) return;
      inflight.current.get(page)?.abort();
      const controller = new AbortController();
      inflight.current.set(page, controller);
      const gen = generation.current;
      api.events(sessionId, filterRef.current, page * PAGE, PAGE, controller.signal).then(
        (answer) => {
          if (gen !== generation.current) return;
          inflight.current.delete(page);
          pages.current.set(page, answer.events);
          // A short page that the new total says has grown since it came is fetched again.
          for (const [p, events] of pages.current) {
            if (p !== page && events.length < PAGE && p * PAGE + events.length < answer.total) pages.current.delete(p);
          }
          if (answer.total !== totalRef.current) {
            totalRef.current = answer.total;
            setTotal(answer.total);
          }
          setError(undefined);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (controller.signal.aborted || gen !== generation.current) return;
          inflight.current.delete(page);
          setError(e);
        },
      );
    },
    [sessionId],
  );

  // A new filter: a new list from the top.
  useEffect(() => {
    generation.current++;
    for (const c of inflight.current.values()) c.abort();
    inflight.current.clear();
    pages.current.clear();
    totalRef.current = null;
    setTotal(null);
    const el = scroller.current;
    if (el) el.scrollTop = 0;
    setView((v) => ({ ...v, top: 0 }));
    load(0);
  }, [filterKey, load]);

  // New events: the page where the tail was, again (it brings the new total).
  useEffect(() => {
    if (tick === 0 || totalRef.current === null) return;
    load(Math.floor(totalRef.current / PAGE), true);
  }, [tick, load]);

  const n = total ?? 0;
  const fullPx = n * ROW_PX;
  const scaled = fullPx > MAX_PX;
  const heightPx = scaled ? MAX_PX : fullPx;
  const visibleRows = Math.ceil(view.height / ROW_PX);
  let firstExact: number;
  if (!scaled) firstExact = view.top / ROW_PX;
  else {
    const maxTop = heightPx - view.height;
    firstExact = (maxTop > 0 ? Math.min(1, view.top / maxTop) : 0) * Math.max(0, n - visibleRows);
  }
  const first = Math.max(0, Math.floor(firstExact) - OVERSCAN);
  const last = Math.min(n - 1, Math.ceil(firstExact) + visibleRows + OVERSCAN);
  const rowTop = (i: number): number => (scaled ? view.top + (i - firstExact) * ROW_PX : i * ROW_PX);

  // Fetch the pages in view (a moment after scrolling stops moving them, so a drag across
  // 100,000 rows does not ask for every page on the way); forget the farthest ones.
  useEffect(() => {
    if (total === null || n === 0) return;
    const firstPage = Math.floor(first / PAGE);
    const lastPage = Math.floor(last / PAGE);
    const timer = setTimeout(() => {
      for (let p = firstPage; p <= lastPage; p++) load(p);
      if (pages.current.size > MAX_PAGES) {
        const centre = (firstPage + lastPage) / 2;
        const far = [...pages.current.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
        for (const p of far.slice(0, pages.current.size - MAX_PAGES)) pages.current.delete(p);
      }
    }, 30);
    return () => clearTimeout(timer);
  }, [first, last, total, load]);

  // Following the tail: stay at the bottom as the list grows. A new list starts at the top, and
  // follows from there only if it all fits.
  const previousTotal = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    const previous = previousTotal.current;
    previousTotal.current = total;
    if (!el || total === null) return;
    if (previous === null) {
      follow.current = total * ROW_PX <= el.clientHeight;
      setFollowing(follow.current);
      return;
    }
    if (!follow.current) return;
    const bottom = el.scrollHeight - el.clientHeight;
    if (bottom > 0 && el.scrollTop < bottom - 1) el.scrollTop = bottom;
  }, [total]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    return () => {
      resize.disconnect();
      cancelAnimationFrame(frame.current);
      for (const c of inflight.current.values()) c.abort();
    };
  }, []);

  const onScroll = (): void => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const el = scroller.current;
      if (!el) return;
      const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX;
      follow.current = atBottom;
      setFollowing(atBottom);
      setView({ top: el.scrollTop, height: el.clientHeight });
    });
  };

  const eventAt = (i: number): ConsoleEvent | undefined => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE];

  const toLatest = (): void => {
    const el = scroller.current;
    if (!el) return;
    follow.current = true;
    setFollowing(true);
    el.scrollTop = el.scrollHeight;
  };

  const selectedIndex = (): number => {
    if (selectedSeq === undefined) return -1;
    for (const [p, events] of pages.current) {
      const at = events.findIndex((e) => e.seq === selectedSeq);
      if (at >= 0) return p * PAGE + at;
    }
    return -1;
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const current = selectedIndex();
    const next = current < 0 ? Math.max(0, Math.floor(firstExact)) : current + (e.key === 'ArrowDown' ? 1 : -1);
    const event = next >= 0 && next < n ? eventAt(next) : undefined;
    if (!event) return;
    onSelect(event);
    const el = scroller.current;
    if (el && !scaled) {
      const top = next * ROW_PX;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_PX > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_PX - el.clientHeight;
    }
  };

  const rows = [];
  for (let i = first; i <= last; i++) {
    const event = eventAt(i);
    const top = `${rowTop(i)}px`;
    if (!event) {
      rows.push(
        <div key={`p${i}`} class="vrow placeholder" role="row" aria-rowindex={i + 2} style={{ top }} data-testid="event-row-placeholder">
          <span role="cell" class="muted">
            …
          </span>
        </div>,
      );
      continue;
    }
    const selected = event.seq === selectedSeq;
    rows.push(
      <div
        key={event.seq}
        class={`vrow ${selected ? 'selected' : ''}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected}
        style={{ top }}
        data-testid="event-row"
        data-seq={event.seq}
        data-severity={event.severity}
        data-kind={event.kind}
        onClick={() => onSelect(event)}
      >
        <span role="cell" class="c-time mono" title={sessionStart !== undefined ? `${fmtIso(event.ts)} (${fmtOffset(event.ts, sessionStart)})` : fmtIso(event.ts)}>
          {fmtClock(event.ts)}
        </span>
        <span role="cell" class={`c-sev sev sev-${event.severity}`}>
          <span class="sev-dot" aria-hidden="true" />
          {event.severity}
        </span>
        <span role="cell" class={`c-kind kind kind-${event.kind}`}>
          {kindLabel(event.kind)}
        </span>
        <span role="cell" class="c-name" title={event.name}>
          {event.name}
        </span>
        <span role="cell" class="c-msg">
          {eventSummary(event)}
        </span>
      </div>,
    );
  }

  return (
    <div class="event-list">
      <div class="list-status" aria-live="polite">
        {total === null ? (error === undefined ? 'Loading events…' : '') : `${fmtInt(total)} event${total === 1 ? '' : 's'}`}
        {!following && n > visibleRows && (
          <button type="button" class="link-button" onClick={toLatest} data-testid="jump-latest">
            ↓ latest
          </button>
        )}
      </div>
      {error !== undefined && <ErrorNote error={error} />}
      <div class="vtable" role="table" aria-label="Events" aria-rowcount={n + 1}>
        <div class="vrow vhead" role="row" aria-rowindex={1}>
          <span role="columnheader" class="c-time">
            time
          </span>
          <span role="columnheader" class="c-sev">
            severity
          </span>
          <span role="columnheader" class="c-kind">
            kind
          </span>
          <span role="columnheader" class="c-name">
            name
          </span>
          <span role="columnheader" class="c-msg">
            message / data
          </span>
        </div>
        <div class="vscroll" ref={scroller} onScroll={onScroll} tabIndex={0} onKeyDown={onKeyDown} aria-label="Event rows; arrow keys move the selection" data-testid="event-scroller">
          <div class="vspace" style={{ height: `${heightPx}px` }} role="rowgroup">
            {rows}
          </div>
          {total === 0 && <p class="empty overlay">No events match.</p>}
        </div>
      </div>
    </div>
  );
}
