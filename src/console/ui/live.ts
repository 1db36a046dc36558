/**
 * The console's Server-Sent Events (`GET /api/console/stream`): one connection for the whole page,
 * reopened after an error with a growing delay. `session` updates a session, `evicted` removes one;
 * `reconnected` tells listeners that they may have missed updates and should reload.
 */
import type { SessionSummary } from '../model.js';

export type LiveMessage = { readonly type: 'session'; readonly session: SessionSummary } | { readonly type: 'evicted'; readonly id: string } | { readonly type: 'reconnected' };
export type LiveState = 'connecting' | 'live' | 'reconnecting';

type Listener = (message: LiveMessage) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(state: LiveState) => void>();
let source: EventSource | undefined;
let state: LiveState = 'connecting';
let retryMs = 1000;
let hadError = false;

function setState(next: LiveState): void {
  if (next === state) return;
  state = next;
  stateListeners.forEach((l) => l(state));
}

function emit(message: LiveMessage): void {
  listeners.forEach((l) => {
    try {
      l(message);
    } catch (error) {
      console.warn('live listener failed', error);
    }
  });
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function connect(): void {
  const es = new EventSource('/api/console/stream');
  source = es;
  es.onopen = () => {
    retryMs = 1000;
    setState('live');
    if (hadError) {
      hadError = false;
      emit({ type: 'reconnected' });
    }
  };
  es.addEventListener('session', (e) => {
    const session = parse((e as MessageEvent<string>).data) as SessionSummary | undefined;
    if (session && typeof session === 'object' && typeof session.id === 'string') emit({ type: 'session', session });
  });
  es.addEventListener('evicted', (e) => {
    const body = parse((e as MessageEvent<string>).data) as { id?: unknown } | undefined;
    if (body && typeof body.id === 'string') emit({ type: 'evicted', id: body.id });
  });
  es.onerror = () => {
    hadError = true;
    setState('reconnecting');
    // The browser retries by itself while the connection is CONNECTING; once CLOSED (an error
    // status, a wrong content type) it gives up, so we open a new one.
    if (es.readyState === EventSource.CLOSED) {
      es.close();
      if (source === es) source = undefined;
      const delay = retryMs;
      retryMs = Math.min(retryMs * 2, 15_000);
      setTimeout(() => {
        if (source === undefined) connect();
      }, delay);
    }
  };
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (source === undefined) connect();
  return () => void listeners.delete(listener);
}

export function onLiveState(listener: (state: LiveState) => void): () => void {
  stateListeners.add(listener);
  listener(state);
  return () => void stateListeners.delete(listener);
}

/** Calls `fn` at most once per `ms` (first call at once, the last of a burst at the end). */
export function throttle(fn: () => void, ms: number): { (): void; cancel(): void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const throttled = (): void => {
    if (timer !== undefined) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  throttled.cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}
