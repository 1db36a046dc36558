import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionSummary } from '../../model.js';
import { api, SEVERITY_LIST, type SessionAnswer } from '../api.js';
import { fmtBytes, fmtDateTime, fmtDuration, fmtInt } from '../format.js';
import { subscribe, throttle } from '../live.js';
import { hrefFor, type Route, type Tab } from '../route.js';
import { ErrorNote, Facts, StatusBadge } from './common.js';
import { EventsTab } from './EventsTab.js';
import { HealthTab } from './HealthTab.js';
import { LlmTab } from './LlmTab.js';
import { TracesTab } from './TracesTab.js';

type SessionRoute = Extract<Route, { view: 'session' }>;

const TAB_LABELS: Record<Tab, string> = { events: 'Events', traces: 'Traces', llm: 'LLM', health: 'Health' };

function SessionHeader({ session, id }: { session: SessionSummary | undefined; id: string }) {
  return (
    <header class="session-header" aria-label="Session summary" data-testid="session-header">
      <div class="session-title">
        <a href="#/" class="back" aria-label="Back to all sessions">
          ← Sessions
        </a>
        <h1>{session?.service ?? (session ? 'unnamed service' : '…')}</h1>
        {session && <StatusBadge status={session.status} />}
        <span class="mono muted session-id" title="session id">
          {id}
        </span>
      </div>
      {session && (
        <Facts
          class="inline"
          items={[
            ['SDK', session.sdk ?? '—'],
            ['platform', session.platform ?? '—'],
            ['started', fmtDateTime(session.start_ms)],
            ['duration', fmtDuration(session.duration_ms)],
            ['events', fmtInt(session.events)],
            ['exceptions', <span class={session.exceptions > 0 ? 'error-text' : ''}>{fmtInt(session.exceptions)}</span>],
            ['by', session.sources.join(', ') || '—'],
            ['on disk', fmtBytes(session.bytes)],
            [
              'severities',
              <span class="sev-counts">
                {SEVERITY_LIST.map((s) => (
                  <span key={s} class={`sev sev-${s}`} title={`${fmtInt(session.severities[s])} ${s}`}>
                    <span class="sev-dot" aria-hidden="true" />
                    {fmtInt(session.severities[s] ?? 0)}
                  </span>
                ))}
              </span>,
            ],
          ]}
        />
      )}
    </header>
  );
}

export function SessionPage({ route }: { route: SessionRoute }) {
  const { id } = route;
  const [answer, setAnswer] = useState<SessionAnswer>();
  const [summary, setSummary] = useState<SessionSummary>();
  const [error, setError] = useState<unknown>();
  const [evicted, setEvicted] = useState(false);
  /** Bumped (at most every 500 ms) when the stream says this session changed: tabs reload what they show. */
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.session(id, controller.signal).then(
      (a) => {
        setAnswer(a);
        setSummary((s) => (s && s.received_ms > a.session.received_ms ? s : a.session));
      },
      (e: unknown) => !controller.signal.aborted && setError(e),
    );
    const bump = throttle(() => setTick((t) => t + 1), 500);
    const off = subscribe((message) => {
      if (message.type === 'session' && message.session.id === id) {
        setSummary(message.session);
        bump();
      } else if (message.type === 'evicted' && message.id === id) setEvicted(true);
      else if (message.type === 'reconnected') bump();
    });
    return () => {
      controller.abort();
      bump.cancel();
      off();
    };
  }, [id]);

  const names = useMemo(() => answer?.names ?? [], [answer]);
  const tabs: Tab[] = ['events', 'traces', 'llm', 'health'];

  return (
    <main class="page session-page">
      <SessionHeader session={summary} id={id} />
      {evicted && (
        <p class="warn-note" role="alert">
          This session was deleted from the store to stay under its size limit; what is shown may be incomplete.
        </p>
      )}
      {error !== undefined && <ErrorNote error={error} />}
      <nav class="tabs" role="tablist" aria-label="Session views">
        {tabs.map((tab) => (
          <a
            key={tab}
            role="tab"
            id={`tab-${tab}`}
            aria-selected={route.tab === tab}
            aria-controls="tabpanel"
            class={`tab ${route.tab === tab ? 'active' : ''}`}
            data-testid={`tab-${tab}`}
            href={hrefFor({ view: 'session', id, tab, filters: route.filters })}
          >
            {TAB_LABELS[tab]}
            {tab === 'events' && summary ? <span class="tab-count">{fmtInt(summary.events)}</span> : null}
          </a>
        ))}
      </nav>
      <section class="tabpanel" id="tabpanel" role="tabpanel" aria-labelledby={`tab-${route.tab}`}>
        {route.tab === 'events' && <EventsTab route={route} names={names} session={summary} tick={tick} />}
        {route.tab === 'traces' && <TracesTab route={route} session={summary} tick={tick} />}
        {route.tab === 'llm' && <LlmTab route={route} session={summary} tick={tick} />}
        {route.tab === 'health' && <HealthTab id={id} session={summary} tick={tick} />}
      </section>
    </main>
  );
}
