import type { KyInstance } from 'ky';
import type { HttpAnswer, HttpRequest, HttpTransport } from './transport.js';

/** Options of {@link createKyTransport}. */
export interface KyTransportOptions {
  /** ky's own per-request timeout, ms. */
  readonly timeoutMs: number;
  /** Bytes of each answer's body kept; the rest is cancelled unread. */
  readonly maxBodyBytes: number;
}

/**
 * A sink's requests through the user's own ky instance (`ky: ky.create({ hooks, … })`): its hooks
 * see every request with its body, its `fetch`, headers and other defaults apply. Three options
 * are the sink's, per request, whatever the instance says:
 *
 * - `retry: 0`: the reporter owns retry and backoff (DESIGN §5); two layers retrying would
 *   multiply attempts past every bound the reporter promises.
 * - `throwHttpErrors: false`: every status is an answer the sink classifies.
 * - `prefixUrl: ''`: the sink's URL is absolute, and ky would prepend a prefix to it.
 * - `redirect: 'manual'`: fetch would follow any redirect by itself (a 302 turning the POST into
 *   a GET, a 307 to another host with the API key); a 3xx is an answer, and the sink's redirect
 *   rule (redirect.ts) decides, as for the default transport.
 *
 * It costs more CPU per request than the default transport (a `Request`, its clone, abort
 * signals, a `Response`): docs/sinks.md has the measurement.
 *
 * @example
 * ```ts
 * const transport = createKyTransport(ky.create({ hooks: { beforeRequest: [addToken] } }), { timeoutMs: 5000, maxBodyBytes: 65536 });
 * ```
 */
export function createKyTransport(api: KyInstance, options: KyTransportOptions): HttpTransport {
  const { timeoutMs, maxBodyBytes } = options;
  return {
    async post(request: HttpRequest): Promise<HttpAnswer> {
      const response = await api.post(request.url, {
        body: request.body,
        headers: request.headers,
        signal: request.signal,
        timeout: timeoutMs,
        retry: 0,
        throwHttpErrors: false,
        prefixUrl: '',
        redirect: 'manual',
      });
      return { status: response.status, headers: response.headers, bodyText: await readBounded(response, maxBodyBytes) };
    },
    // The instance and its sockets are the user's: nothing of ours to close.
    close: () => undefined,
  };
}

/** The first `maxBytes` of the body as text ('' when it cannot be read); the rest is cancelled. */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let kept = 0;
  try {
    while (kept < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const part = kept + value.byteLength > maxBytes ? value.subarray(0, maxBytes - kept) : value;
      chunks.push(part);
      kept += part.byteLength;
    }
  } catch {
    // A body that breaks off is read as far as it came.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}
