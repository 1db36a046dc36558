import { RxtelError } from './rxtel-error.js';

/**
 * A sink could not export a batch. Carries what is needed to act on it (sink, HTTP status, a short
 * excerpt of the response body) and never the request's headers: the API key must not leak
 * through an error a user logs.
 */
export class ExportError extends RxtelError {
  readonly sink: string;
  /** The HTTP status, when the backend answered. */
  readonly status: number | undefined;
  /** The start of the response body (at most 512 characters), when there was one. */
  readonly body: string | undefined;

  constructor(
    message: string,
    details: { sink: string; status?: number; body?: string; code?: string; cause?: unknown },
  ) {
    super(message, details.code ?? 'ERR_RXTEL_EXPORT', details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ExportError';
    this.sink = details.sink;
    this.status = details.status;
    this.body = details.body;
  }
}
