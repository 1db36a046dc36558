import { useEffect, useState } from 'preact/hooks';
import type { SessionSummary } from '../../model.js';
import { api, type InfoAnswer } from '../api.js';
import { fmtDateTime, fmtDuration, fmtInt } from '../format.js';
import { subscribe } from '../live.js';
import { hrefFor, navigate, NO_FILTERS } from '../route.js';
import { Empty, ErrorNote, StatusBadge } from './common.js';

const newestFirst = (a: SessionSummary, b: SessionSummary): number => b.start_ms - a.start_ms || (a.id < b.id ? -1 : 1);

/** The sessions, newest first, kept up to date by the stream (an update replaces its row, an eviction removes it). */
function useSessions(): { sessions: readonly SessionSummary[] | undefined; error: unknown } {
  const [byId, setById] = useState<ReadonlyMap<string, SessionSummary>>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let alive = true;
    // Updates that arrive while the list loads are applied on top of it.
    const pending: SessionSummary[] = [];
    let loaded = false;
    const load = (): void => {
      api.sessions().then(
        ({ sessions }) => {
          if (!alive) return;
          loaded = true;
          const map = new Map(sessions.map((s) => [s.id, s] as const));
          for (const s of pending.splice(0)) map.set(s.id, s);
          setById(map);
          setError(undefined);
        },
        (e: unknown) => alive && setError(e),
      );
    };
    const off = subscribe((message) => {
      if (message.type === 'reconnected') return load();
      if (!loaded) {
        if (message.type === 'session') pending.push(message.session);
        return;
      }
      setById((old) => {
        const map = new Map(old);
        if (message.type === 'session') map.set(message.session.id, message.session);
        else map.delete(message.id);
        return map;
      });
    });
    load();
    return () => {
      alive = false;
      off();
    };
  }, []);
  return { sessions: byId && [...byId.values()].sort(newestFirst), error };
}

export function ConnectHelp({ info }: { info: InfoAnswer | undefined }) {
  if (!info) return null;
  const { ingest } = info;
  const rows: [string, string][] = [
    ['rxtel / Tinker batches', ingest.tinker],
    ['OTLP/HTTP JSON logs', ingest.otlp_logs],
    ['OTLP/HTTP JSON traces', ingest.otlp_traces],
    ['Langfuse ingestion', ingest.langfuse_ingestion],
    ['Langfuse OTLP', ingest.langfuse_otlp],
  ];
  return (
    <section class="connect" aria-label="Where to send telemetry">
      <h2>Point an app here</h2>
      <table class="plain">
        <tbody>
          {rows.map(([label, url]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>
                <code>{url}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{info.api_key_required ? 'Ingestion requires the API key given with --api-key.' : 'Ingestion needs no API key.'}</p>
    </section>
  );
}

export function SessionsPage({ info }: { info: InfoAnswer | undefined }) {
  const { sessions, error } = useSessions();
  const open = (id: string): void => navigate({ view: 'session', id, tab: 'events', filters: NO_FILTERS });
  return (
    <main class="page sessions-page">
      <h1 class="page-title">Sessions</h1>
      {error !== undefined && <ErrorNote error={error} />}
      {sessions === undefined ? (
        error === undefined && <p class="muted">Loading sessions…</p>
      ) : sessions.length === 0 ? (
        <Empty>No sessions yet. Point an app at the console and its sessions appear here as they arrive.</Empty>
      ) : (
        <div class="table-wrap">
          <table class="grid sessions" aria-label="Sessions, newest first">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">SDK</th>
                <th scope="col">Platform</th>
                <th scope="col">Started</th>
                <th scope="col" class="num">
                  Duration
                </th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Events
                </th>
                <th scope="col" class="num">
                  Exceptions
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr
                  key={s.id}
                  class="clickable"
                  data-testid="session-row"
                  data-session-id={s.id}
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest('a') === null) open(s.id);
                  }}
                >
                  <td>
                    <a href={hrefFor({ view: 'session', id: s.id, tab: 'events', filters: NO_FILTERS })} class="strong" title={`session ${s.id}`}>
                      {s.service ?? 'unnamed service'}
                    </a>
                    <div class="sub mono" title={s.id}>
                      {s.id}
                    </div>
                  </td>
                  <td>{s.sdk ?? '—'}</td>
                  <td>{s.platform ?? '—'}</td>
                  <td class="nowrap">{fmtDateTime(s.start_ms)}</td>
                  <td class="num nowrap">{fmtDuration(s.duration_ms)}</td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td class="num">{fmtInt(s.events)}</td>
                  <td class={`num ${s.exceptions > 0 ? 'error-text' : ''}`}>{fmtInt(s.exceptions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConnectHelp info={info} />
    </main>
  );
}
