import { STATUS_CODES } from 'node:http';
import { ExportError } from '../../errors/export-error.js';
import { abortedBy, codeSuffix, isTimeoutError, timedOut } from '../results.js';
import type { ExportResult } from '../sink.js';
import type { HeaderLookup } from './transport.js';

/**
 * What every protocol's classification shares: the {@link ResponseClassifier} shape, the
 * {@link ExportError} of an HTTP answer, and what a thrown request becomes. Each protocol's rule
 * for statuses lives in its own file: Tinker's (tinker-classifier.ts), OTLP's (otlp-classifier.ts).
 */

/**
 * How much of a response body an {@link ExportError} keeps: enough to debug, not a log flood.
 *
 * @example
 * ```ts
 * (result.error as ExportError).body?.length ?? 0 <= BODY_EXCERPT_CHARS; // true
 * ```
 */
export const BODY_EXCERPT_CHARS = 512;

/**
 * A protocol's rule for turning one HTTP answer into an {@link ExportResult}: which statuses are
 * delivered, retried (and after how long) or given up. `bodyText` has the secrets removed already;
 * `target` is the request's URL (or its path), named in errors without its query; `nowMs` (epoch
 * ms) reads Retry-After dates. A `JsonPoster` takes one per sink (its `classify` option).
 *
 * @example
 * ```ts
 * const classify: ResponseClassifier = (sink, status, headers, bodyText, nowMs, target) =>
 *   status === 200 ? { status: 'success' } : { status: 'failure', error: httpError(sink, status, bodyText, target) };
 * ```
 */
export type ResponseClassifier = (
  sink: string,
  status: number,
  headers: HeaderLookup,
  bodyText: string,
  nowMs: number,
  target: string,
) => ExportResult;

/**
 * The {@link ExportError} of a non-2xx answer: `<sink>: HTTP <status> <reason> from POST <path>`,
 * then `: <detail>` when given; the status, a body excerpt of at most {@link BODY_EXCERPT_CHARS}
 * characters, code `ERR_RXTEL_HTTP`. The path never carries the URL's query, which may hold a token.
 *
 * @example
 * ```ts
 * httpError('otlp', 500, '', 'http://127.0.0.1:4318/v1/logs?k=1').message; // 'otlp: HTTP 500 Internal Server Error from POST /v1/logs'
 * ```
 */
export function httpError(sink: string, status: number, bodyText: string, target: string, detail?: string): ExportError {
  const reason = STATUS_CODES[status];
  const line = `${sink}: HTTP ${status}${reason === undefined ? '' : ` ${reason}`} from POST ${pathOf(target)}`;
  return new ExportError(detail === undefined ? line : `${line}: ${detail}`, {
    sink,
    status,
    body: bodyText === '' ? undefined : bodyText.slice(0, BODY_EXCERPT_CHARS),
    code: 'ERR_RXTEL_HTTP',
  });
}

/** The path of an absolute URL (a path stays as it is), for error messages: never the query, which may carry a token. */
function pathOf(target: string): string {
  if (target.startsWith('/')) return target.split('?')[0] ?? target;
  try {
    return new URL(target).pathname;
  } catch {
    return '';
  }
}

/**
 * Turns what the HTTP client threw into an {@link ExportResult}, the same for every protocol (the
 * OTLP specification, like Tinker's clients, retries a request that got no answer).
 *
 * - `signal` aborted with a `TimeoutError` reason (the reporter's attempt timeout): retryable,
 *   `ERR_RXTEL_TIMEOUT`. Aborted for any other reason (stop deadline, caller gave up): failure,
 *   `ERR_RXTEL_ABORTED`, since nobody waits for this batch any more.
 * - The transport's own timeout (a `TimeoutError`: the default transport's `RequestTimeoutError`,
 *   or ky's when the sink sends through the user's instance): retryable, `ERR_RXTEL_TIMEOUT`.
 * - Anything else (refused, reset, DNS, `fetch failed`): retryable, `ERR_RXTEL_NETWORK`, with the
 *   system error code in the message.
 *
 * The thrown value is never kept as `cause`: ky's errors hold the request, whose headers carry the
 * API key. Only a fresh error built from safe strings leaves this function.
 *
 * @example
 * ```ts
 * classifyThrown('tinker', fetchError, signal);
 * // { status: 'retryable', error: ExportError('tinker: network error (ECONNREFUSED)', code ERR_RXTEL_NETWORK) }
 * ```
 */
export function classifyThrown(sink: string, error: unknown, signal: AbortSignal): ExportResult {
  if (signal.aborted) return abortedBy(signal, sink);
  if (isTimeoutError(error)) return timedOut(sink);
  return { status: 'retryable', error: new ExportError(`${sink}: network error${codeSuffix(error)}`, { sink, code: 'ERR_RXTEL_NETWORK' }) };
}
