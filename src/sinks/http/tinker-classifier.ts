import { TELEMETRY_PATH } from '../../events/names.js';
import type { ExportResult } from '../sink.js';
import { httpError } from './classify-response.js';
import { parseRetryAfter } from './retry-after.js';
import type { HeaderLookup } from './transport.js';

const RETRYABLE_STATUSES = new Set([408, 429]);

/**
 * Tinker's classification of an HTTP answer (a `ResponseClassifier`), the rule of the
 * Stainless-built Tinker clients, used by `TinkerHttpSink` and by the Langfuse ingestion sink.
 *
 * Any 2xx is success. Otherwise `x-should-retry: true|false` (a Stainless header) decides; then
 * 413 asks the reporter to split the batch; 408, 429 and 5xx are retryable (after the backend's
 * `retry-after-ms` or `Retry-After`); every other status is a failure, so a batch the backend
 * rejects is dropped and counted instead of retried forever. `target` (the request's URL, or its
 * path) names the path in the error, never the query.
 *
 * @example
 * ```ts
 * const result = classifyTinkerResponse('tinker', 503, new Headers({ 'retry-after': '2' }), '', nowMs);
 * // { status: 'retryable', retryAfterMs: 2000, error: ExportError('tinker: HTTP 503 Service Unavailable from POST /api/v1/telemetry') }
 * ```
 */
export function classifyTinkerResponse(
  sink: string,
  status: number,
  headers: HeaderLookup,
  bodyText: string,
  nowMs: number,
  target: string = TELEMETRY_PATH,
): ExportResult {
  if (status >= 200 && status <= 299) return { status: 'success' };
  const error = httpError(sink, status, bodyText, target);
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
