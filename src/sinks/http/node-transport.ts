import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { afterRealMs } from '../../platform/liveness.js';
import { RequestTimeoutError, type HeaderLookup, type HttpAnswer, type HttpRequest, type HttpTransport } from './transport.js';

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /** How long one request may take until its whole answer is read, ms. */
  readonly timeoutMs: number;
  /** Bytes of each answer's body kept (the rest is read and dropped): a hostile backend cannot fill memory. */
  readonly maxBodyBytes: number;
  /** Sockets per origin. @defaultValue 8 */
  readonly maxSockets?: number;
}

const EMPTY = Buffer.alloc(0);

/** Node's parsed headers as a {@link HeaderLookup}: repeated values joined with `, `, as `Headers` does. */
function lookup(raw: http.IncomingHttpHeaders): HeaderLookup {
  return {
    get(name: string): string | null {
      const value = raw[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * The batch hot path: `node:http`/`node:https` with keep-alive agents the sink owns, nothing
 * between the sink and the socket (decision 0020). Per request it builds the header object and
 * one timer; the answer's body is collected as Buffers and decoded once.
 *
 * - A network error rejects with Node's error (its `code`, `ECONNREFUSED` …, classifies it).
 * - An aborted `signal` destroys the request and rejects with the signal's reason.
 * - `timeoutMs` bounds the whole exchange, headers and body: a backend that trickles its answer
 *   cannot hold a socket longer. It rejects with a {@link RequestTimeoutError}.
 * - Only `maxBodyBytes` of an answer are kept; the rest is read (so the socket can be reused) and dropped.
 * - `close()` destroys every pooled socket: after a sink's shutdown no handle of ours stays open.
 *
 * @example
 * ```ts
 * const transport = createNodeTransport({ timeoutMs: 5000, maxBodyBytes: 65536 });
 * const answer = await transport.post({ url, body: '{"events":[]}', headers: { 'content-type': 'application/json' }, signal });
 * transport.close();
 * ```
 */
export function createNodeTransport(options: NodeTransportOptions): HttpTransport {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const { timeoutMs, maxBodyBytes } = options;
  // A sink posts to one or two URLs: each is parsed once, not on every request.
  const targets = new Map<string, http.RequestOptions>();
  const target = (url: string): http.RequestOptions => {
    let parsed = targets.get(url);
    if (parsed === undefined) {
      parsed = urlToHttpOptions(new URL(url));
      if (targets.size < 16) targets.set(url, parsed);
    }
    return parsed;
  };

  const post = (request: HttpRequest): Promise<HttpAnswer> =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const { signal } = request;
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const secure = request.url.startsWith('https:');
      const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
      const headers = { ...request.headers, 'content-length': String(body.byteLength) };
      let done = false;
      const finish = (error: unknown, answer?: HttpAnswer): void => {
        if (done) return;
        done = true;
        cancelTimer();
        signal.removeEventListener('abort', onAbort);
        if (answer !== undefined) resolve(answer);
        else reject(signal.aborted ? signal.reason : error);
      };
      const outgoing = (secure ? https : http).request({ ...target(request.url), method: 'POST', headers, agent: secure ? agents.https : agents.http }, (incoming) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        incoming.on('data', (chunk: Buffer) => {
          if (kept >= maxBodyBytes) return;
          const part = kept + chunk.byteLength > maxBodyBytes ? chunk.subarray(0, maxBodyBytes - kept) : chunk;
          chunks.push(part);
          kept += part.byteLength;
        });
        incoming.on('error', finish);
        incoming.on('end', () => {
          const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : chunks.length === 0 ? EMPTY : Buffer.concat(chunks);
          finish(undefined, { status: incoming.statusCode ?? 502, headers: lookup(incoming.headers), bodyText: bytes.toString('utf8') });
        });
      });
      const onAbort = (): void => {
        outgoing.destroy();
        finish(signal.reason);
      };
      const cancelTimer = afterRealMs(timeoutMs, () => {
        const error = new RequestTimeoutError(timeoutMs);
        outgoing.destroy(error);
        finish(error);
      });
      signal.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', finish);
      outgoing.end(body);
    });

  return {
    post,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
