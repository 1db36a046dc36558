import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ConsoleEvent, ConsoleSeverity, SessionSummary } from '../../model.js';
import type { Histogram } from '../../store-api.js';
import { api, KIND_LIST, kindLabel, SEVERITY_LIST } from '../api.js';
import { fmtInt } from '../format.js';
import { navigate, toEventFilter, type Filters, type Route } from '../route.js';
import { ErrorNote } from './common.js';
import { EventDetail } from './EventDetail.js';
import { EventList } from './EventList.js';
import { Timeline } from './Timeline.js';

type SessionRoute = Extract<Route, { view: 'session' }>;

/** A text input whose value reaches the route 300 ms after the last keystroke. */
function DebouncedInput({ value, onCommit, ...rest }: { value: string; onCommit: (v: string) => void; placeholder: string; 'aria-label': string; 'data-testid': string; list?: string; type?: 'search' | 'text' }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const commit = useRef(onCommit);
  commit.current = onCommit;
  // The route changed by itself (back, reload, clear): show it, unless the user is typing.
  useEffect(() => {
    if (timer.current === undefined) setText(value);
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <input
      {...rest}
      type={rest.type ?? 'search'}
      value={text}
      autocomplete="off"
      spellcheck={false}
      onInput={(e) => {
        const v = e.currentTarget.value;
        setText(v);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          timer.current = undefined;
          commit.current(v);
        }, 300);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          clearTimeout(timer.current);
          timer.current = undefined;
          commit.current(e.currentTarget.value);
        }
      }}
    />
  );
}

function FilterBar({ route, session, names }: { route: SessionRoute; session: SessionSummary | undefined; names: readonly { name: string; count: number }[] }) {
  const f = route.filters;
  const set = (patch: Partial<Filters>, replace = true): void => navigate({ ...route, filters: { ...f, ...patch } }, replace);
  const toggle = (s: ConsoleSeverity): void => {
    const on = f.severities.includes(s) ? f.severities.filter((x) => x !== s) : [...f.severities, s];
    set({ severities: SEVERITY_LIST.filter((x) => on.includes(x)) }, false);
  };
  const any = f.severities.length > 0 || f.kind !== '' || f.name !== '' || f.text !== '';
  return (
    <form class="filters" role="search" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
      <div class="sev-toggles" role="group" aria-label="Severities (none pressed: all)">
        {SEVERITY_LIST.map((s) => (
          <button
            key={s}
            type="button"
            class={`chip sev-chip sev-${s}`}
            aria-pressed={f.severities.includes(s)}
            data-testid={`filter-severity-${s}`}
            title={f.severities.includes(s) ? `Stop showing only ${s}` : `Show ${s}${f.severities.length > 0 ? ' too' : ' only'}`}
            onClick={() => toggle(s)}
          >
            <span class="sev-dot" aria-hidden="true" />
            {s}
            {session && <span class="chip-count">{fmtInt(session.severities[s] ?? 0)}</span>}
          </button>
        ))}
      </div>
      <label class="field">
        <span class="visually-hidden">Kind</span>
        <select data-testid="filter-kind" aria-label="Kind" value={f.kind} onChange={(e) => set({ kind: e.currentTarget.value as Filters['kind'] }, false)}>
          <option value="">all kinds</option>
          {KIND_LIST.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </label>
      <DebouncedInput value={f.name} onCommit={(name) => set({ name })} placeholder="name contains…" aria-label="Name contains" data-testid="filter-name" list="event-names" />
      <datalist id="event-names">
        {names.slice(0, 300).map((n) => (
          <option key={n.name} value={n.name} />
        ))}
      </datalist>
      <DebouncedInput value={f.text} onCommit={(text) => set({ text })} placeholder="search text, data, stacks, ids…" aria-label="Search text" data-testid="filter-text" />
      {any && (
        <button type="button" class="link-button" onClick={() => set({ severities: [], kind: '', name: '', text: '' }, false)} data-testid="filter-clear">
          clear filters
        </button>
      )}
    </form>
  );
}

export function EventsTab({ route, names, session, tick }: { route: SessionRoute; names: readonly { name: string; count: number }[]; session: SessionSummary | undefined; tick: number }) {
  const { id } = route;
  const filter = useMemo(() => toEventFilter(route.filters), [JSON.stringify(route.filters)]);
  const filterKey = JSON.stringify(filter);
  const [histogram, setHistogram] = useState<Histogram>();
  const [histError, setHistError] = useState<unknown>();
  const [selected, setSelected] = useState<ConsoleEvent>();

  // The chart: with the list's first page and the summary, one of the three requests of a first paint.
  useEffect(() => {
    const controller = new AbortController();
    api.histogram(id, filter, 120, controller.signal).then(
      (h) => {
        setHistogram(h);
        setHistError(undefined);
      },
      (e: unknown) => !controller.signal.aborted && setHistError(e),
    );
    return () => controller.abort();
  }, [id, filterKey, tick]);

  // The open event: the row's own copy, or (after a reload) fetched by its position.
  useEffect(() => {
    if (route.seq === undefined) return setSelected(undefined);
    if (selected?.seq === route.seq) return;
    const controller = new AbortController();
    api.event(id, route.seq, controller.signal).then(
      (a) => setSelected(a.event),
      () => undefined,
    );
    return () => controller.abort();
  }, [id, route.seq]);

  const select = (event: ConsoleEvent): void => {
    setSelected(event);
    navigate({ ...route, seq: event.seq }, true);
  };
  const close = (): void => {
    setSelected(undefined);
    const { seq: _seq, ...rest } = route;
    navigate(rest, true);
  };

  return (
    <div class="events-tab">
      <FilterBar route={route} session={session} names={names} />
      {histError !== undefined && <ErrorNote error={histError} />}
      <Timeline histogram={histogram} />
      <div class={`split ${route.seq !== undefined ? 'with-detail' : ''}`}>
        <EventList sessionId={id} filter={filter} filterKey={filterKey} tick={tick} sessionStart={session?.start_ms} selectedSeq={route.seq} onSelect={select} />
        {route.seq !== undefined && <EventDetail event={selected?.seq === route.seq ? selected : undefined} sessionId={id} sessionStart={session?.start_ms} onClose={close} />}
      </div>
    </div>
  );
}
