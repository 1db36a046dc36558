/**
 * The console's JSON API (docs/console.md), typed by the committed contract: a change to
 * src/console/model.ts or store-api.ts breaks this file's type check, not the browser.
 */
import type { ConsoleEvent, ConsoleEventKind, ConsoleSeverity, EventFilter, SessionSummary } from '../model.js';
import type { EventPage, Histogram, StoreInfo, TraceSummary } from '../store-api.js';

export interface IngestUrls {
  readonly tinker: string;
  readonly otlp_logs: string;
  readonly otlp_traces: string;
  readonly langfuse_ingestion: string;
  readonly langfuse_otlp: string;
}

export interface InfoAnswer {
  readonly version: string;
  readonly store: StoreInfo;
  readonly ingest: IngestUrls;
  readonly api_key_required: boolean;
}

export interface SessionAnswer {
  readonly session: SessionSummary;
  readonly names: readonly { readonly name: string; readonly count: number }[];
}

export interface HealthAnswer {
  readonly reports: readonly ConsoleEvent[];
  readonly sinks: readonly ConsoleEvent[];
}

/** An answer that was not 2xx: `status` 0 for a network error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE = '/api/console';

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(BASE + path, { signal: signal ?? null, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'the console does not answer (is `rxtel console` still running?)');
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

const seg = (s: string | number): string => encodeURIComponent(String(s));

/** The query parameters of `events` and `histogram` for a filter. */
export function filterParams(filter: EventFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.severities && filter.severities.length > 0) params.set('severity', filter.severities.join(','));
  if (filter.kinds && filter.kinds.length > 0) params.set('kind', filter.kinds.join(','));
  if (filter.name) params.set('name', filter.name);
  if (filter.text) params.set('q', filter.text);
  if (filter.trace_id) params.set('trace', filter.trace_id);
  return params;
}

export const api = {
  info: (signal?: AbortSignal) => get<InfoAnswer>('/info', signal),
  sessions: (signal?: AbortSignal) => get<{ sessions: SessionSummary[] }>('/sessions', signal),
  session: (id: string, signal?: AbortSignal) => get<SessionAnswer>(`/sessions/${seg(id)}`, signal),
  events(id: string, filter: EventFilter, offset: number, limit: number, signal?: AbortSignal): Promise<EventPage> {
    const params = filterParams(filter);
    params.set('offset', String(offset));
    params.set('limit', String(limit));
    return get<EventPage>(`/sessions/${seg(id)}/events?${params}`, signal);
  },
  event: (id: string, seq: number, signal?: AbortSignal) => get<{ event: ConsoleEvent }>(`/sessions/${seg(id)}/events/${seg(seq)}`, signal),
  histogram(id: string, filter: EventFilter, buckets: number, signal?: AbortSignal): Promise<Histogram> {
    const params = filterParams(filter);
    params.delete('trace');
    params.set('buckets', String(buckets));
    return get<Histogram>(`/sessions/${seg(id)}/histogram?${params}`, signal);
  },
  traces: (id: string, signal?: AbortSignal) => get<{ traces: TraceSummary[] }>(`/sessions/${seg(id)}/traces`, signal),
  trace: (id: string, traceId: string, signal?: AbortSignal) => get<{ spans: ConsoleEvent[] }>(`/sessions/${seg(id)}/traces/${seg(traceId)}`, signal),
  health: (id: string, signal?: AbortSignal) => get<HealthAnswer>(`/sessions/${seg(id)}/health`, signal),
};

/** The severities in order, and their colours (a record: a new severity in the contract breaks the type check). */
export const SEVERITY_COLORS: Readonly<Record<ConsoleSeverity, string>> = {
  DEBUG: '#8b939e',
  INFO: '#3b82f6',
  WARNING: '#e0a01b',
  ERROR: '#dc2626',
  CRITICAL: '#8b3fd9',
};
export const SEVERITY_LIST = Object.keys(SEVERITY_COLORS) as ConsoleSeverity[];

const KIND_LABELS: Readonly<Record<ConsoleEventKind, string>> = {
  session_start: 'session start',
  session_end: 'session end',
  exception: 'exception',
  span: 'span',
  llm: 'llm',
  health: 'health',
  sink_health: 'sink health',
  log: 'log',
};
export const KIND_LIST = Object.keys(KIND_LABELS) as ConsoleEventKind[];
export const kindLabel = (kind: ConsoleEventKind): string => KIND_LABELS[kind] ?? String(kind);

export function isSeverity(s: string): s is ConsoleSeverity {
  return Object.prototype.hasOwnProperty.call(SEVERITY_COLORS, s);
}
export function isKind(s: string): s is ConsoleEventKind {
  return Object.prototype.hasOwnProperty.call(KIND_LABELS, s);
}
