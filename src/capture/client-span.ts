import { currentContext, type ChildSpan } from '../reporter/context.js';
import type { Reporter } from '../reporter/types.js';
import { formatTraceparent } from './trace-context.js';

/**
 * The client span of one outgoing HTTP request, with the OpenTelemetry HTTP client attributes
 * (semantic-conventions v1.44.0 `model/http/spans.yaml`, `span.http.client`): `http.request.method`,
 * `server.address`, `server.port`, `url.full` (without the query and fragment, which often hold
 * secrets), and at the end `http.response.status_code` or `error.type`. A status ≥ 400 or a
 * failure ends it with status `error`.
 */
export interface ClientSpan {
  /** The headers that carry it to the server: `traceparent`, and `tracestate` when the trace has one. */
  readonly headers: Readonly<Record<string, string>>;
  response(status: number, resendCount?: number): void;
  failure(error: unknown, resendCount?: number): void;
}

/**
 * `error.type` of something thrown: its `name` (an Error from any realm), else `_OTHER`.
 *
 * @example
 * ```ts
 * errorType(new TypeError('fetch failed')); // 'TypeError'
 * ```
 */
export function errorType(error: unknown): string {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
}

function urlAttributes(url: string): Record<string, unknown> {
  try {
    const parsed = new URL(url);
    const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    return { 'server.address': parsed.hostname, 'server.port': port, 'url.full': `${parsed.origin}${parsed.pathname}` };
  } catch {
    return {};
  }
}

/**
 * Starts the client span of a request: under the active span (`span.run`, `traceRequests`,
 * `withContext`), through `reporter` when one is given (a new trace outside any context), else
 * `undefined` (nothing to nest under, nothing to record with).
 *
 * @example
 * ```ts
 * const span = startClientSpan('GET', 'http://127.0.0.1:8080/items', undefined);
 * // fetch with span?.headers, then span?.response(res.status)
 * ```
 */
export function startClientSpan(method: string, url: string, reporter: Reporter | undefined): ClientSpan | undefined {
  const attributes = { 'http.request.method': method, ...urlAttributes(url) };
  const parent = currentContext()?.span;
  let span: ChildSpan;
  if (reporter !== undefined) span = reporter.startSpan(method, { kind: 'client', attributes });
  else if (parent !== undefined) span = parent.child(method, { kind: 'client', attributes });
  else return undefined;
  const headers: Record<string, string> = { traceparent: formatTraceparent(span.traceId, span.spanId) };
  if (span.traceState !== undefined) headers['tracestate'] = span.traceState;
  const resends = (n: number) => (n > 0 ? { 'http.request.resend_count': n } : {});
  return {
    headers,
    response(status, resendCount = 0) {
      const failed = status >= 400;
      span.end({
        status: failed ? 'error' : 'unset',
        attributes: { 'http.response.status_code': status, ...resends(resendCount), ...(failed ? { 'error.type': String(status) } : {}) },
      });
    },
    failure(error, resendCount = 0) {
      const type = errorType(error);
      span.end({ status: 'error', attributes: { 'error.type': type, ...resends(resendCount) } });
    },
  };
}
