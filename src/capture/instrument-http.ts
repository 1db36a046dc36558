import type { KyInstance, Options } from 'ky';
import { telemetry, type TelemetryBus } from '../bus/telemetry.js';
import { HTTP_REQUEST_EVENTS } from '../events/names.js';
import { nodeScheduler } from '../platform/node.js';
import type { Reporter } from '../reporter/types.js';
import { startClientSpan, type ClientSpan } from './client-span.js';

/** Options of {@link instrumentFetch} and {@link instrumentKy}. */
export interface InstrumentOptions {
  /** The reporter's session id: only a reporter of this session forwards the events. */
  readonly sessionId: string;
  /** Extra metadata on every event (never put secrets here). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** @defaultValue the process-wide `telemetry` bus */
  readonly bus?: TelemetryBus;
  /**
   * Records each request's client span through this reporter, also outside any context (then it
   * starts a trace). Without it, client spans are recorded only under an active span
   * (`span.run`, `traceRequests`), through the reporter that started that span.
   */
  readonly reporter?: Reporter;
}

/** The client span of a request whose headers do not already carry a `traceparent` (the caller's own wins). */
function clientSpan(options: InstrumentOptions, method: string, url: string, headers: Headers): ClientSpan | undefined {
  return headers.has('traceparent') ? undefined : startClientSpan(method.toUpperCase(), url, options.reporter);
}

const { start: START, stop: STOP, exception: EXCEPTION } = HTTP_REQUEST_EVENTS;

/** The path without the query string: queries often carry tokens. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? '';
  }
}

/** The reporter's own requests (user-agent `rxtel/…`) are never observed: no feedback loop. */
const isOwnRequest = (userAgent: string | null | undefined): boolean => userAgent?.startsWith('rxtel/') === true;

/** Emits start, then stop (with the status) or exception, around one request. */
function track(options: InstrumentOptions, method: string, url: string) {
  const bus = options.bus ?? telemetry;
  const metadata = { ...options.metadata, session_id: options.sessionId, method: method.toUpperCase(), path: pathOf(url) };
  const started = nodeScheduler.now();
  bus.emit(START, { system_time_ms: started }, metadata);
  const elapsed = () => Math.round((nodeScheduler.now() - started) * 1000) / 1000;
  return {
    stop: (status: number, retries = 0) => bus.emit(STOP, { duration_ms: elapsed(), status, retries }, metadata),
    exception: (error: unknown, retries = 0) =>
      bus.emit(EXCEPTION, { duration_ms: elapsed(), retries }, { ...metadata, error_type: (error as Error | undefined)?.name ?? typeof error, error_message: String((error as Error | undefined)?.message ?? error) }),
  };
}

/**
 * Wraps a `fetch` so each request emits `rxtel.http.request.start|stop|exception` on the bus
 * (method, path without the query, status, `duration_ms`). Behaviour is otherwise unchanged.
 *
 * @example
 * ```ts
 * globalThis.fetch = instrumentFetch(globalThis.fetch, { sessionId: reporter.sessionId });
 * ```
 */
export function instrumentFetch(fetchFn: typeof fetch, options: InstrumentOptions): typeof fetch {
  return async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const headers = new Headers(init?.headers ?? request?.headers);
    if (isOwnRequest(headers.get('user-agent'))) return fetchFn(input, init);
    const url = request?.url ?? (input instanceof URL ? input.href : String(input));
    const method = init?.method ?? request?.method ?? 'GET';
    const tracker = track(options, method, url);
    const span = clientSpan(options, method, url, headers);
    if (span !== undefined) for (const [name, value] of Object.entries(span.headers)) headers.set(name, value);
    try {
      const response = await fetchFn(input, span === undefined ? init : { ...init, headers });
      tracker.stop(response.status);
      span?.response(response.status);
      return response;
    } catch (error) {
      tracker.exception(error);
      span?.failure(error);
      throw error;
    }
  };
}

const METHODS = ['get', 'post', 'put', 'patch', 'head', 'delete'] as const;
const RETRIES = '__rxtel_retries';

/**
 * Returns a ky instance whose requests emit `rxtel.http.request.start|stop|exception` on the bus,
 * with ky's retry count. The given instance is not changed.
 *
 * @example
 * ```ts
 * const api = instrumentKy(ky.create({ prefixUrl: 'https://api.example.com' }), { sessionId: reporter.sessionId });
 * ```
 */
export function instrumentKy(instance: KyInstance, options: InstrumentOptions): KyInstance {
  const extended = instance.extend({
    hooks: {
      beforeRetry: [
        ({ options: o }) => {
          // ky copies `context`; the counter object inside it is shared.
          const counter = (o.context as Record<string, { n: number } | undefined>)[RETRIES];
          if (counter !== undefined) counter.n++;
        },
      ],
    },
  });
  const call = (fn: (input: Parameters<KyInstance>[0], o?: Options) => ReturnType<KyInstance>, method?: string) =>
    (input: Parameters<KyInstance>[0], o: Options = {}): ReturnType<KyInstance> => {
      // The reporter's own requests, when a sink sends through this instance (`ky` option), are not observed.
      const given = new Headers(o.headers as ConstructorParameters<typeof Headers>[0]);
      if (isOwnRequest(given.get('user-agent'))) return fn(input, o);
      const retries = { n: 0 };
      const url = input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
      const verb = method ?? o.method ?? (input instanceof Request ? input.method : 'GET');
      const tracker = track(options, verb, url);
      // ky merges these over the instance's headers (a prefixUrl'd input is resolved by ky; the span names what it was given).
      const span = clientSpan(options, verb, url, input instanceof Request ? input.headers : given);
      const headers = span === undefined ? o.headers : { ...Object.fromEntries(given), ...span.headers };
      const pending = fn(input, { ...o, ...(headers === undefined ? {} : { headers }), context: { ...o.context, [RETRIES]: retries } });
      pending.then(
        (response) => {
          tracker.stop(response.status, retries.n);
          span?.response(response.status, retries.n);
        },
        (error: unknown) => {
          const status = (error as { response?: { status?: unknown } }).response?.status;
          if (typeof status === 'number') tracker.stop(status, retries.n);
          else tracker.exception(error, retries.n);
          if (typeof status === 'number') span?.response(status, retries.n);
          else span?.failure(error, retries.n);
        },
      );
      return pending;
    };
  const wrapped = call(extended) as KyInstance;
  for (const method of METHODS) (wrapped as unknown as Record<string, unknown>)[method] = call(extended[method], method);
  return Object.assign(wrapped, {
    create: extended.create,
    extend: (o: Parameters<KyInstance['extend']>[0]) => instrumentKy(extended.extend(o), options),
    stop: extended.stop,
    retry: extended.retry,
  });
}
