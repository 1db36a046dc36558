import { useEffect, useState } from 'preact/hooks';
import { api, type InfoAnswer } from '../api.js';
import { fmtBytes, fmtInt } from '../format.js';
import { onLiveState, subscribe, throttle, type LiveState } from '../live.js';
import { useRoute } from '../route.js';
import { SessionPage } from './SessionPage.js';
import { SessionsPage } from './SessionsPage.js';

/** The store's figures, reloaded (at most every 2 s) while sessions change. */
function useInfo(): InfoAnswer | undefined {
  const [info, setInfo] = useState<InfoAnswer>();
  useEffect(() => {
    let alive = true;
    const load = (): void => {
      api.info().then(
        (i) => alive && setInfo(i),
        () => undefined,
      );
    };
    load();
    const reload = throttle(load, 2000);
    const off = subscribe(reload);
    return () => {
      alive = false;
      reload.cancel();
      off();
    };
  }, []);
  return info;
}

function LiveIndicator() {
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => onLiveState(setState), []);
  const label = state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'reconnecting…';
  return (
    <span class={`live live-${state}`} role="status" aria-live="polite" data-testid="live-state" title="Live updates over Server-Sent Events">
      <span class="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function StoreLine({ info }: { info: InfoAnswer | undefined }) {
  if (!info) return <span class="muted">…</span>;
  const { store } = info;
  const used = store.max_bytes > 0 ? Math.round((store.bytes / store.max_bytes) * 100) : 0;
  return (
    <span class="store-line" data-testid="store-line">
      <span>
        store {fmtBytes(store.bytes)} of {fmtBytes(store.max_bytes)} ({used}%)
      </span>
      <span>
        {fmtInt(store.sessions)} sessions · {fmtInt(store.events)} events
      </span>
      {store.evicted_sessions > 0 ? (
        <span class="warn-text" data-testid="evicted-line">
          {fmtInt(store.evicted_sessions)} oldest session{store.evicted_sessions === 1 ? ' was' : 's were'} deleted ({fmtInt(store.evicted_events)} event{store.evicted_events === 1 ? '' : 's'}) to stay under the store's size limit
        </span>
      ) : (
        <span class="muted">nothing evicted</span>
      )}
    </span>
  );
}

export function App() {
  const route = useRoute();
  const info = useInfo();
  useEffect(() => {
    document.title = route.view === 'sessions' ? 'rxtel console' : `${route.id} · rxtel console`;
  }, [route]);
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="#/" aria-label="rxtel console: all sessions">
          rxtel <span class="brand-sub">console</span>
        </a>
        {info && <span class="muted version">v{info.version}</span>}
        <StoreLine info={info} />
        <span class="spacer" />
        <LiveIndicator />
      </header>
      {route.view === 'sessions' ? <SessionsPage info={info} /> : <SessionPage key={route.id} route={route} />}
    </div>
  );
}
