import { ExportError } from '../errors/export-error.js';
import type { ExportResult } from './sink.js';

/**
 * The results every built-in sink gives in the same situations, worded and coded alike, each
 * carrying an {@link ExportError} (docs/sinks.md tables the codes).
 */

// A system error code (ECONNREFUSED, UND_ERR_SOCKET, ENOSPC, …); anything else is not echoed.
const SYSTEM_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * The first system error code along `error`'s `cause` chain, `undefined` when there is none: undici
 * wraps the socket error as `TypeError('fetch failed', { cause })`, sometimes inside an
 * `AggregateError` (one per address); a file or stream error carries it itself. Only the code
 * leaves: the error's own text may quote more than a user should see.
 *
 * @example
 * ```ts
 * systemErrorCode(new TypeError('fetch failed', { cause: Object.assign(new Error('…'), { code: 'ECONNREFUSED' }) })); // 'ECONNREFUSED'
 * ```
 */
export function systemErrorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && SYSTEM_CODE.test(code)) return code;
  const nested = Array.isArray(errors) ? (errors as unknown[])[0] : undefined;
  return systemErrorCode(cause, depth + 1) ?? systemErrorCode(nested, depth + 1);
}

/** ` (ECONNREFUSED)`, or '' when `error` has no system code. */
export function codeSuffix(error: unknown): string {
  const code = systemErrorCode(error);
  return code === undefined ? '' : ` (${code})`;
}

/** An export after `shutdown()`: a failure, `ERR_RXTEL_SHUTDOWN`. */
export function shutDown(sink: string): ExportResult {
  return { status: 'failure', error: new ExportError(`${sink}: sink is shut down`, { sink, code: 'ERR_RXTEL_SHUTDOWN' }) };
}

/** A batch that cannot be serialised (a bug: the pipeline makes events plain JSON): a failure. */
export function unserialisable(sink: string): ExportResult {
  return { status: 'failure', error: new ExportError(`${sink}: batch is not serialisable`, { sink, code: 'ERR_RXTEL_EXPORT' }) };
}

/** A bug of ours inside an export: retryable, so the reporter tries again within its bounds. */
export function unexpected(sink: string): ExportResult {
  return { status: 'retryable', error: new ExportError(`${sink}: unexpected error in export`, { sink, code: 'ERR_RXTEL_EXPORT' }) };
}

/** A timeout (`what`: `request timed out`, …): retryable, `ERR_RXTEL_TIMEOUT`. */
export function timedOut(sink: string, what = 'request timed out'): ExportResult {
  return { status: 'retryable', error: new ExportError(`${sink}: ${what}`, { sink, code: 'ERR_RXTEL_TIMEOUT' }) };
}

/** Nobody waits for the batch any more (`what`: `export aborted`, …): a failure, `ERR_RXTEL_ABORTED`. */
export function aborted(sink: string, what = 'export aborted'): ExportResult {
  return { status: 'failure', error: new ExportError(`${sink}: ${what}`, { sink, code: 'ERR_RXTEL_ABORTED' }) };
}

/**
 * Whether `error` is a timeout: any error named `TimeoutError` — ky's own, the transport's
 * `RequestTimeoutError`, the `DOMException` of `AbortSignal.timeout` and of the reporter's attempt
 * timeout. The same test as ky's `isTimeoutError`, without loading ky (and, through it, Node's
 * fetch implementation) when no sink uses it: about 45 ms of every process's start.
 *
 * @example
 * ```ts
 * isTimeoutError(new DOMException('late', 'TimeoutError')); // true
 * ```
 */
export function isTimeoutError(error: unknown): boolean {
  return (error as { name?: unknown } | null | undefined)?.name === 'TimeoutError';
}

/**
 * An export whose `signal` was aborted, by its reason: the reporter's attempt timeout (a
 * `TimeoutError`) is {@link timedOut}, safe to retry; any other abort (the stop deadline, a caller
 * that gave up) is {@link aborted}.
 *
 * @example
 * ```ts
 * if (signal.aborted) return abortedBy(signal, 'file', { timedOut: 'timed out before writing', aborted: 'export aborted before writing' });
 * ```
 */
export function abortedBy(
  signal: AbortSignal,
  sink: string,
  what: { readonly timedOut?: string; readonly aborted?: string } = {},
): ExportResult {
  return isTimeoutError(signal.reason) ? timedOut(sink, what.timedOut) : aborted(sink, what.aborted);
}
