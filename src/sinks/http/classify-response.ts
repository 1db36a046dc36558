import { STATUS_CODES } from 'node:http';
import { ExportError } from '../../errors/export-error.js';
import { TELEMETRY_PATH } from '../../events/names.js';
import { abortedBy, codeSuffix, isTimeoutError, timedOut } from '../results.js';
import type { ExportResult } from '../sink.js';
import { parseRetryAfter } from './retry-after.js';
import type { HeaderLookup } from './transport.js';

/**
 * How much of a response body an {@link ExportError} keeps: enough to debug, not a log flood.
 *
 * @example
 * ```ts
 * (result.error as ExportError).body?.length ?? 0 <= BODY_EXCERPT_CHARS; // true
 * ```
 */
export const BODY_EXCERPT_CHARS = 512;

const RETRYABLE_STATUSES = new Set([408, 429]);

/**
 * Turns an HTTP answer into an {@link ExportResult}.
 *
 * Any 2xx is success. Otherwise `x-should-retry: true|false` decides, as the Tinker clients let
 * it; then 413 asks the reporter to split the batch; 408, 429 and 5xx are retryable (with the
 * backend's Retry-After); every other status is a failure, so a batch the backend rejects is
 * dropped and counted instead of retried forever. `target` (the request's URL, or its path) names
 * the path in the error, never the query.
 *
 * @example
 * ```ts
 * const result = classifyResponse('tinker', 503, new Headers({ 'retry-after': '2' }), '', nowMs);
 * // { status: 'retryable', retryAfterMs: 2000, error: ExportError('tinker: HTTP 503 Service Unavailable from POST /api/v1/telemetry') }
 * ```
 */
export function classifyResponse(
  sink: string,
  status: number,
  headers: HeaderLookup,
  bodyText: string,
  nowMs: number,
  target: string = TELEMETRY_PATH,
): ExportResult {
  if (status >= 200 && status <= 299) return { status: 'success' };
  const path = pathOf(target);

  const reason = STATUS_CODES[status];
  const error = new ExportError(`${sink}: HTTP ${status}${reason === undefined ? '' : ` ${reason}`} from POST ${path}`, {
    sink,
    status,
    body: bodyText === '' ? undefined : bodyText.slice(0, BODY_EXCERPT_CHARS),
    code: 'ERR_RXTEL_HTTP',
  });
  const retryable = (): ExportResult => {
    const retryAfterMs = parseRetryAfter(headers, nowMs);
    return retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', retryAfterMs, error };
  };

  const shouldRetry = headers.get('x-should-retry')?.trim().toLowerCase();
  if (shouldRetry === 'true') return retryable();
  if (shouldRetry === 'false') return { status: 'failure', error };
  if (status === 413) return { status: 'failure', error, payloadTooLarge: true };
  if (RETRYABLE_STATUSES.has(status) || (status >= 500 && status <= 599)) return retryable();
  return { status: 'failure', error };
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
 * Turns what the HTTP client threw into an {@link ExportResult}.
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
