import { RxtelError } from './rxtel-error.js';

/**
 * Every `code` an {@link ExportError} of rxtel carries, declared once: the union
 * {@link ExportErrorCode} derives from it.
 *
 * | code | meaning | what the reporter does |
 * | --- | --- | --- |
 * | `ERR_RXTEL_EXPORT` | anything else: an unserialisable batch, a sink that threw or answered nothing, a file or stream error | as the result says |
 * | `ERR_RXTEL_HTTP` | the backend answered with a non-2xx status (`status` and `body` say which) | retries 408, 429, 5xx; splits on 413 |
 * | `ERR_RXTEL_NETWORK` | no answer: refused, reset, DNS (the system code is in the message) | retries |
 * | `ERR_RXTEL_TIMEOUT` | the request or attempt took longer than its timeout | retries |
 * | `ERR_RXTEL_ABORTED` | the caller's deadline passed (stop, fatal flush): nobody waits for the batch | gives up |
 * | `ERR_RXTEL_SHUTDOWN` | an export after the sink's `shutdown()` | gives up |
 * | `ERR_RXTEL_PARTIAL` | the backend refused some events of the batch (OTLP partial success, Langfuse 207) | retries the retryable ones only |
 */
export const EXPORT_ERROR_CODES = [
  'ERR_RXTEL_EXPORT',
  'ERR_RXTEL_HTTP',
  'ERR_RXTEL_NETWORK',
  'ERR_RXTEL_TIMEOUT',
  'ERR_RXTEL_ABORTED',
  'ERR_RXTEL_SHUTDOWN',
  'ERR_RXTEL_PARTIAL',
] as const;

/**
 * The `code` of an {@link ExportError}: one of {@link EXPORT_ERROR_CODES}.
 *
 * @example
 * ```ts
 * if (result.status !== 'success' && isRxtelError(result.error) && result.error.code === 'ERR_RXTEL_HTTP') { … }
 * const retried: ExportErrorCode[] = ['ERR_RXTEL_NETWORK', 'ERR_RXTEL_TIMEOUT'];
 * ```
 */
export type ExportErrorCode = (typeof EXPORT_ERROR_CODES)[number];

/**
 * A sink could not export a batch. Carries what is needed to act on it (sink, HTTP status, a short
 * excerpt of the response body) and never the request's headers: the API key must not leak
 * through an error a user logs.
 *
 * @example
 * ```ts
 * return { status: 'retryable', error: new ExportError('kafka: broker unavailable', { sink: 'kafka', code: 'ERR_RXTEL_NETWORK' }) };
 * ```
 */
export class ExportError extends RxtelError {
  /** What went wrong, as one of {@link EXPORT_ERROR_CODES}. */
  declare readonly code: ExportErrorCode;
  readonly sink: string;
  /** The HTTP status, when the backend answered. */
  readonly status: number | undefined;
  /** The start of the response body (at most 512 characters), when there was one. */
  readonly body: string | undefined;

  constructor(
    message: string,
    details: { sink: string; status?: number; body?: string; code?: ExportErrorCode; cause?: unknown },
  ) {
    super(message, details.code ?? 'ERR_RXTEL_EXPORT', details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ExportError';
    this.sink = details.sink;
    this.status = details.status;
    this.body = details.body;
  }
}
