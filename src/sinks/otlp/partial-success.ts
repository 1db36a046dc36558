import { ExportError } from '../../errors/export-error.js';
import { BODY_EXCERPT_CHARS } from '../http/classify-response.js';
import type { PostOutcome } from '../http/json-poster.js';
import type { ExportResult } from '../sink.js';
import type { Signal } from './env.js';

/**
 * OTLP/HTTP's partial success: a 2xx whose body is `{ partialSuccess: { rejectedLogRecords |
 * rejectedSpans, errorMessage } }` (`ExportLogsPartialSuccess`, `ExportTracePartialSuccess`,
 * opentelemetry-proto v1.11.0) delivered all but the refused ones, which OTLP counts but never names.
 */

const REJECTED_FIELD: Readonly<Record<Signal, string>> = { logs: 'rejectedLogRecords', traces: 'rejectedSpans' };
const NOUN: Readonly<Record<Signal, string>> = { logs: 'log records', traces: 'spans' };

/** What {@link readPartialSuccess} needs besides the answer. */
export interface PartialSuccessContext {
  /** The sink's name, for the error. */
  readonly sink: string;
  readonly signal: Signal;
  /** How many records or spans the request carried: the count is capped there. */
  readonly sent: number;
  /** Removes the sink's secrets from the collector's text (`JsonPoster.redact`). */
  readonly redact: (text: string) => string;
  /** Says who refused: `collector` for a collector, `Langfuse` for Langfuse. @defaultValue 'collector' */
  readonly refuser?: string;
}

/**
 * The result of a successful OTLP post: the poster's own result, unless the answer is a partial
 * success refusing at least one item; then a success with `rejected` (capped at `sent`) and an
 * `ERR_RXTEL_PARTIAL` error carrying the collector's message, redacted, and no body excerpt (the
 * raw text may hold a secret in escaped JSON form, which the parsed message no longer does).
 *
 * @example
 * ```ts
 * const outcome = await poster.post(url, body, signal);
 * const result = outcome.result.status === 'success'
 *   ? readPartialSuccess(outcome, { sink: 'otlp', signal: 'traces', sent: 3, redact: (t) => poster.redact(t) })
 *   : outcome.result;
 * ```
 */
export function readPartialSuccess(outcome: PostOutcome, context: PartialSuccessContext): ExportResult {
  let partial: unknown;
  try {
    partial = (JSON.parse(outcome.bodyText ?? '') as { partialSuccess?: unknown } | null)?.partialSuccess;
  } catch {
    return outcome.result;
  }
  if (typeof partial !== 'object' || partial === null) return outcome.result;
  const { sink, signal, sent } = context;
  const { [REJECTED_FIELD[signal]]: count, errorMessage } = partial as Record<string, unknown>;
  const rejected = Math.min(sent, typeof count === 'number' || typeof count === 'string' ? Number(count) : 0);
  if (!Number.isInteger(rejected) || rejected <= 0) return outcome.result;
  // Redacted again once parsed: a JSON escape (`\u0026` for `&`) hides a secret from the raw-text redaction.
  const said = typeof errorMessage === 'string' ? context.redact(errorMessage).slice(0, BODY_EXCERPT_CHARS) : '';
  const why = said === '' ? '' : `: ${said}`;
  const message = `${sink}: ${context.refuser ?? 'collector'} rejected ${rejected} of ${sent} ${NOUN[signal]}${why}`;
  const error = new ExportError(message, { sink, status: outcome.status, code: 'ERR_RXTEL_PARTIAL' });
  return { status: 'success', rejected, error };
}
