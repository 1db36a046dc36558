import type { HttpAnswer, HttpRequest, HttpTransport } from './transport.js';

/**
 * The redirect rule of every HTTP sink, whichever transport carries the requests (neither follows
 * a redirect by itself: the `node:http` one never does, the ky one asks for `redirect: 'manual'`).
 *
 * A 307 or 308 (RFC 9110 §15.4.8, §15.4.9: the method and body must not change) to the same
 * origin — scheme, host and port — is followed once, with the same method, body and headers. So
 * a backend that moved its path, or a proxy that adds a trailing slash, still gets the batch, and
 * the headers (the API key) never reach another host. Every other 3xx is not followed:
 *
 * - 301, 302, 303 (and 300, 304, 305, …): a client may turn a redirected POST into a GET, which
 *   would lose the batch; whoever answers so is misconfigured, and retrying would not change that.
 * - A 307 or 308 to another origin: the request's headers carry credentials meant for this one.
 * - A second redirect: one hop is enough for a moved path; more is a loop or a chain we do not
 *   walk with the batch.
 * - No `Location`, or one that is not a URL.
 */

/** What came back: the answer and the URL that gave it; `notFollowed` says why, when it is a redirect left alone. */
export interface RedirectedAnswer {
  readonly answer: HttpAnswer;
  readonly url: string;
  /** Set when `answer` is a redirect that was not followed: why, naming the target's origin (never its path or query). */
  readonly notFollowed?: string;
}

/** Whether `status` is a redirection (3xx). */
function isRedirect(status: number): boolean {
  return status >= 300 && status <= 399;
}

type Verdict = { readonly follow: string } | { readonly notFollowed: string };

/** Where a redirect points, named by its origin alone: never a path or query, which may carry a token. */
function originOf(target: URL): string {
  return target.origin === 'null' ? `a ${target.protocol} URL` : target.origin;
}

/** The rule for the first redirect of a request to `from`. */
function verdictOn(from: string, answer: HttpAnswer): Verdict {
  const location = answer.headers.get('location');
  if (location === null || location.trim() === '') return { notFollowed: 'a redirect without a Location header, not followed' };
  let target: URL;
  try {
    // Relative to the request's URL (RFC 9110 §10.2.2); the fragment never goes on the wire.
    target = new URL(location.trim(), from);
    target.hash = '';
  } catch {
    return { notFollowed: 'a redirect to a Location that is not a URL, not followed' };
  }
  const to = originOf(target);
  if (answer.status !== 307 && answer.status !== 308) {
    return { notFollowed: `a redirect to ${to}, not followed (only a 307 or 308 to the same origin is)` };
  }
  if (target.origin !== new URL(from).origin) return { notFollowed: `a redirect to ${to}, not followed: another origin` };
  return { follow: target.href };
}

/**
 * POSTs `request` through `transport` and applies the redirect rule (see the module's comment):
 * a 307 or 308 to the same origin is followed once, with the same body and headers, and the answer
 * to that second request is what comes back; any other redirect comes back with `notFollowed`.
 * Rejects as the transport does (network error, abort, timeout), on either request.
 *
 * @example
 * ```ts
 * const { answer, url, notFollowed } = await postFollowingRedirect(transport, { url, body, headers, signal });
 * if (notFollowed !== undefined) console.warn(`HTTP ${answer.status}: ${notFollowed}`); // 'a redirect to https://other.example, not followed: another origin'
 * ```
 */
export async function postFollowingRedirect(transport: HttpTransport, request: HttpRequest): Promise<RedirectedAnswer> {
  const first = await transport.post(request);
  if (!isRedirect(first.status)) return { answer: first, url: request.url };
  const verdict = verdictOn(request.url, first);
  if ('notFollowed' in verdict) return { answer: first, url: request.url, notFollowed: verdict.notFollowed };

  const url = verdict.follow;
  const second = await transport.post({ ...request, url });
  if (!isRedirect(second.status)) return { answer: second, url };
  const location = second.headers.get('location');
  let to = '';
  try {
    to = location === null ? '' : ` to ${originOf(new URL(location.trim(), url))}`;
  } catch {
    // Not a URL: the message says a second redirect, without a target.
  }
  return { answer: second, url, notFollowed: `a second redirect${to}, not followed (one is followed)` };
}
