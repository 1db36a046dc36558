/**
 * Where the user is, kept in the URL's hash so that a reload keeps the place:
 *
 *   #/                                         the sessions
 *   #/sessions/<id>[/events][?severity=ERROR,WARNING&kind=log&name=…&q=…&ev=<seq>]
 *   #/sessions/<id>/traces[/<traceId>][?span=<spanId>]
 *   #/sessions/<id>/llm[?ev=<seq>]
 *   #/sessions/<id>/health
 *
 * Ids are URL-encoded path segments.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleEventKind, ConsoleSeverity, EventFilter } from '../model.js';
import { SEVERITY_LIST, isKind, isSeverity } from './api.js';

export type Tab = 'events' | 'traces' | 'llm' | 'health';
export const TABS: readonly Tab[] = ['events', 'traces', 'llm', 'health'];

export interface Filters {
  readonly severities: readonly ConsoleSeverity[];
  readonly kind: ConsoleEventKind | '';
  readonly name: string;
  readonly text: string;
}
export const NO_FILTERS: Filters = { severities: [], kind: '', name: '', text: '' };

export type Route =
  | { readonly view: 'sessions' }
  | {
      readonly view: 'session';
      readonly id: string;
      readonly tab: Tab;
      readonly traceId?: string;
      readonly filters: Filters;
      /** The open event (events and llm tabs). */
      readonly seq?: number;
      /** The open span (a trace's waterfall). */
      readonly spanId?: string;
    };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'sessions' || parts[1] === undefined) return { view: 'sessions' };
  const id = decode(parts[1]);
  const tab = (TABS as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as Tab) : 'events';
  const severities = SEVERITY_LIST.filter((s) => (params.get('severity') ?? '').split(',').some((p) => p === s && isSeverity(p)));
  const kind = params.get('kind') ?? '';
  const filters: Filters = {
    severities,
    kind: isKind(kind) ? kind : '',
    name: params.get('name') ?? '',
    text: params.get('q') ?? '',
  };
  const ev = params.get('ev');
  const seq = ev !== null && /^\d+$/.test(ev) ? Number(ev) : undefined;
  const span = params.get('span') ?? undefined;
  const traceId = tab === 'traces' && parts[3] !== undefined ? decode(parts[3]) : undefined;
  return { view: 'session', id, tab, filters, ...(traceId !== undefined && { traceId }), ...(seq !== undefined && { seq }), ...(span !== undefined && span !== '' && { spanId: span }) };
}

export function formatHash(route: Route): string {
  if (route.view === 'sessions') return '#/';
  let path = `#/sessions/${encodeURIComponent(route.id)}/${route.tab}`;
  if (route.tab === 'traces' && route.traceId !== undefined) path += `/${encodeURIComponent(route.traceId)}`;
  const params = new URLSearchParams();
  if (route.tab === 'events') {
    const f = route.filters;
    if (f.severities.length > 0) params.set('severity', f.severities.join(','));
    if (f.kind) params.set('kind', f.kind);
    if (f.name) params.set('name', f.name);
    if (f.text) params.set('q', f.text);
  }
  if ((route.tab === 'events' || route.tab === 'llm') && route.seq !== undefined) params.set('ev', String(route.seq));
  if (route.tab === 'traces' && route.spanId !== undefined) params.set('span', route.spanId);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** The filter as the API takes it. */
export function toEventFilter(f: Filters): EventFilter {
  return {
    ...(f.severities.length > 0 && { severities: f.severities }),
    ...(f.kind !== '' && { kinds: [f.kind] }),
    ...(f.name !== '' && { name: f.name }),
    ...(f.text !== '' && { text: f.text }),
  };
}

const listeners = new Set<() => void>();
window.addEventListener('hashchange', () => listeners.forEach((l) => l()));

/** Goes to `route`: a new history entry, or (`replace`, for typing in a filter) the same one. */
export function navigate(route: Route, replace = false): void {
  const hash = formatHash(route);
  if (hash === location.hash) return;
  if (replace) {
    history.replaceState(null, '', hash);
    listeners.forEach((l) => l());
  } else {
    location.hash = hash;
  }
}

export function hrefFor(route: Route): string {
  return formatHash(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseHash(location.hash));
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, []);
  return route;
}
