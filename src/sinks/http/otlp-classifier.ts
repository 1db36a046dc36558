import type { ExportResult } from '../sink.js';
import { httpError } from './classify-response.js';
import { parseRetryAfter } from './retry-after.js';
import type { HeaderLookup } from './transport.js';

/**
 * The statuses the OTLP/HTTP specification makes retryable (opentelemetry-proto v1.11.0,
 * docs/specification.md, "OTLP/HTTP Response" → "Retryable Response Codes"): "All other `4xx` or
 * `5xx` response status codes MUST NOT be retried."
 */
const OTLP_RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * OTLP/HTTP's classification of a collector's answer (a `ResponseClassifier`), per the OTLP
 * specification (opentelemetry-proto v1.11.0, docs/specification.md, "OTLP/HTTP Response"):
 *
 * - 2xx: success (a partial success inside it is the sink's to read).
 * - 429, 502, 503, 504: retryable, after the `Retry-After` header when there is one ("OTLP/HTTP
 *   Throttling"); otherwise the reporter's exponential backoff.
 * - 413: a failure that asks the reporter to split the batch in halves. The same request is not
 *   sent again, as the specification requires of every other 4xx; two smaller, different
 *   requests are (the specification's own remedy for a body over the limit is not to send it).
 * - Every other status (400, 408, 500, 501, …): a failure, never retried.
 *
 * Tinker's `x-should-retry` and `retry-after-ms` headers mean nothing here and are ignored.
 * Network errors and timeouts are retryable, as for every protocol (`classifyThrown`). Exported
 * for every sink that speaks OTLP/HTTP.
 *
 * @example
 * ```ts
 * classifyOtlpResponse('otlp', 500, new Headers({ 'x-should-retry': 'true' }), '', nowMs, url);
 * // { status: 'failure', error: ExportError('otlp: HTTP 500 Internal Server Error from POST /v1/logs') }
 * classifyOtlpResponse('otlp', 503, new Headers({ 'retry-after': '2' }), '', nowMs, url);
 * // { status: 'retryable', retryAfterMs: 2000, error: … }
 * ```
 */
export function classifyOtlpResponse(sink: string, status: number, headers: HeaderLookup, bodyText: string, nowMs: number, target: string): ExportResult {
  if (status >= 200 && status <= 299) return { status: 'success' };
  const error = httpError(sink, status, bodyText, target);
  if (status === 413) return { status: 'failure', error, payloadTooLarge: true };
  if (!OTLP_RETRYABLE_STATUSES.has(status)) return { status: 'failure', error };
  const retryAfterMs = parseRetryAfter(headers, nowMs, { retryAfterMs: false });
  return retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', retryAfterMs, error };
}
