/**
 * What an HTTP sink needs from whatever carries its requests: one POST, the answer's status, the
 * headers it reads (Retry-After, x-should-retry, Location) and the first bytes of the body. Two
 * carry it: the lean `node:http` transport of every sink by default ({@link createNodeTransport}),
 * and the user's own ky instance when the sink is given one ({@link createKyTransport}).
 */

/** Reads one response header by its lower-case name; `null` when absent (as `Headers.get`). */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** One request of a sink. */
export interface HttpRequest {
  readonly url: string;
  /** The serialised body: JSON text, or gzip bytes. */
  readonly body: string | Uint8Array;
  /** Every header of this request, lower-case names (the transport adds `content-length`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Aborting it destroys the request; the promise then rejects with the signal's reason. */
  readonly signal: AbortSignal;
}

/** The answer: status, headers, and the body as text, cut at the transport's byte bound. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: HeaderLookup;
  readonly bodyText: string;
}

/**
 * Carries a sink's requests. `post` rejects on a network error (with Node's system code, such as
 * `ECONNREFUSED`), on an abort (with the signal's reason) and on its own timeout (a
 * {@link RequestTimeoutError}); every HTTP status is an answer. It never follows a redirect: a 3xx
 * is an answer too, and the sink's redirect rule (redirect.ts) decides what to do with it.
 */
export interface HttpTransport {
  post(request: HttpRequest): Promise<HttpAnswer>;
  /** Closes pooled keep-alive sockets. Requests after this still work, on new sockets. */
  close(): void;
}

/**
 * The transport's own timeout ran out before the whole answer was read: retryable, as ky's
 * `TimeoutError` is (the name is the same, so one check covers both).
 *
 * @example
 * ```ts
 * new RequestTimeoutError(5000).name; // 'TimeoutError'
 * ```
 */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}
