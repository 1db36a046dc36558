import type { ServerResponse } from 'node:http';
import type { ConsoleEvent } from '../model.js';
import type { ConsoleStore } from '../store-api.js';
import { filterOf, intParam, QueryError } from './api-query.js';
import type { LiveUpdates } from './live-updates.js';
import { sendJson } from './send-json.js';
import { SECURITY_HEADERS } from './ui-assets.js';

/** Where the JSON API lives. */
export const API_PREFIX = '/api/console';

/** What `GET /api/console/info` says besides the store's figures. */
export interface ConsoleFacts {
  readonly version: string;
  /** The ingest URLs, by protocol. */
  readonly ingest: Readonly<Record<string, string>>;
  readonly api_key_required: boolean;
}

/** What the API answers from. */
export interface ApiContext {
  readonly store: ConsoleStore;
  readonly live: LiveUpdates;
  readonly facts: ConsoleFacts;
}

const json = (response: ServerResponse, status: number, body: unknown): void => sendJson(response, status, body, { 'cache-control': 'no-store', ...SECURITY_HEADERS });

/** The health reports to show: the last 1,000 of a kind (a long session's latest matter most), in order. */
const HEALTH_SHOWN = 1000;
async function latest(store: ConsoleStore, id: string, kind: 'health' | 'sink_health'): Promise<readonly ConsoleEvent[]> {
  const first = await store.events(id, { kinds: [kind] }, 0, HEALTH_SHOWN);
  if (first === undefined || first.total <= HEALTH_SHOWN) return first?.events ?? [];
  return (await store.events(id, { kinds: [kind] }, first.total - HEALTH_SHOWN, HEALTH_SHOWN))?.events ?? [];
}

const notFound = (response: ServerResponse, what: string): void => json(response, 404, { error: `no ${what}` });

/**
 * Answers one `GET` under `/api/console/` (docs/console.md lists the routes) from the store: the
 * sessions, a session's events (paged and filtered), its histogram, traces, health reports, and the
 * live stream. A bad query gets 400, an unknown session or route 404, each with `{ error }`.
 *
 * @example
 * ```ts
 * if (path.startsWith(API_PREFIX)) return answerApi(path.slice(API_PREFIX.length), url.searchParams, context, response);
 * ```
 */
export async function answerApi(route: string, params: URLSearchParams, context: ApiContext, response: ServerResponse): Promise<void> {
  const { store } = context;
  const parts = route.split('/').slice(1);
  try {
    if (route === '/info') return json(response, 200, { ...context.facts, store: store.info() });
    if (route === '/sessions') return json(response, 200, { sessions: store.sessions() });
    if (route === '/stream') return context.live.subscribe(response);
    if (parts[0] !== 'sessions' || parts[1] === undefined) return notFound(response, `route GET ${API_PREFIX}${route}`);
    const id = decodeURIComponent(parts[1]);
    const session = store.session(id);
    if (session === undefined) return notFound(response, 'such session (it may have been evicted)');
    const rest = parts.slice(2);
    switch (rest[0]) {
      case undefined:
        return json(response, 200, { session, names: (await store.names(id)) ?? [] });
      case 'events': {
        if (rest[1] !== undefined) {
          const event = /^\d+$/.test(rest[1]) ? await store.event(id, Number(rest[1])) : undefined;
          return event === undefined ? notFound(response, 'such event') : json(response, 200, { event });
        }
        const page = await store.events(id, filterOf(params), intParam(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER), intParam(params, 'limit', 200, 1, 1000));
        return page === undefined ? notFound(response, 'such session') : json(response, 200, page);
      }
      case 'histogram': {
        const histogram = await store.histogram(id, filterOf(params), intParam(params, 'buckets', 120, 1, 2000));
        return histogram === undefined ? notFound(response, 'such session') : json(response, 200, histogram);
      }
      case 'traces': {
        if (rest[1] !== undefined) {
          const page = await store.events(id, { kinds: ['span', 'llm'], trace_id: decodeURIComponent(rest[1]) }, 0, 10_000);
          const spans = (page?.events ?? []).filter((event) => event.span !== undefined).sort((a, b) => (a.span?.start_ms ?? 0) - (b.span?.start_ms ?? 0));
          return json(response, 200, { spans, truncated: (page?.total ?? 0) > 10_000 });
        }
        return json(response, 200, { traces: (await store.traces(id)) ?? [] });
      }
      case 'health': {
        const [reports, sinks] = await Promise.all([latest(store, id, 'health'), latest(store, id, 'sink_health')]);
        return json(response, 200, { reports, sinks });
      }
    }
    return notFound(response, `route GET ${API_PREFIX}${route}`);
  } catch (error) {
    if (error instanceof QueryError) return json(response, 400, { error: error.message });
    if (error instanceof URIError) return json(response, 400, { error: 'malformed percent-encoding in the path' });
    throw error;
  }
}
