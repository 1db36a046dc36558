import http from 'node:http';
import https from 'node:https';

/** A `fetch` for ky, with its own keep-alive agents so the sink can close its sockets on shutdown. */
export interface NodeFetch {
  (input: Request | URL | string, init?: RequestInit): Promise<Response>;
  /** Closes every pooled socket. Requests after this still work (on new sockets). */
  close(): void;
}

/**
 * The ky option that carries a body already serialised, past ky's `Request`. ky hands options it
 * does not know to its `fetch` (documented for undici's `dispatcher`); this fetch sends that body
 * as it is. A body given to ky the usual way would be wrapped in a web stream, teed by ky's clone,
 * read back here, and both streams cancelled: about a quarter of a millisecond of CPU per request
 * (decision 0012). ky still builds the request: URL, method, headers, signal, timeout.
 */
export const PREPARED_BODY = 'rxtelPreparedBody';

/** The option {@link PREPARED_BODY}: a request body, sent as is. */
export interface PreparedBody {
  readonly [PREPARED_BODY]: string | Uint8Array;
}

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Sockets per origin. @defaultValue 8 */
  readonly maxSockets?: number;
  /** Bytes of each answer's body kept (the rest is read and dropped): a hostile backend cannot fill memory. @defaultValue unbounded */
  readonly maxBodyBytes?: number;
}

/** The bytes each Response of this fetch was built from (held weakly: they go with the Response). */
const receivedBodies = new WeakMap<Response, Buffer>();

/**
 * The complete body of a Response this module's fetch returned, without going through its web
 * stream (reading a small JSON answer through a stream reader cost about 0.1 ms per request);
 * `undefined` for any other Response. The Response's own body stays readable as usual.
 */
export function receivedBody(response: Response): Buffer | undefined {
  return receivedBodies.get(response);
}

/** Statuses whose Response must not have a body (the constructor throws otherwise). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/**
 * `fetch` on `node:http` with keep-alive agents, given to ky as its `fetch` option. ky still does
 * everything ky does (headers, timeout, hooks); only the transport changes. Node's global fetch
 * (undici) costs about twice as much CPU per small JSON POST on loopback, which bounded the
 * reporter's throughput (docs/performance.md); the Request ky builds is read once, here.
 *
 * Errors keep Node's system codes (`ECONNREFUSED`, …) for the sink's classification; an aborted
 * request rejects with the signal's reason, as fetch does.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
  const maxBodyBytes = options.maxBodyBytes ?? Number.POSITIVE_INFINITY;
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  const nodeFetch = async (input: Request | URL | string, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const { signal } = request;
    signal.throwIfAborted();
    const given = (init as Partial<PreparedBody> | undefined)?.[PREPARED_BODY];
    const body =
      given !== undefined
        ? Buffer.isBuffer(given) ? given : Buffer.from(given)
        : request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const secure = url.protocol === 'https:';

    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown) => reject(signal.aborted ? signal.reason : error);
      const outgoing = (secure ? https : http).request(
        url,
        { method: request.method, headers, agent: secure ? agents.https : agents.http, signal },
        (incoming) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          // The whole answer is read (so the socket can be reused), but only `maxBodyBytes` of it kept.
          incoming.on('data', (chunk: Buffer) => {
            if (kept >= maxBodyBytes) return;
            const part = kept + chunk.byteLength > maxBodyBytes ? chunk.subarray(0, maxBodyBytes - kept) : chunk;
            chunks.push(part);
            kept += part.byteLength;
          });
          incoming.on('error', fail);
          incoming.on('end', () => {
            const status = incoming.statusCode ?? 502;
            try {
              const bytes = NULL_BODY.has(status) ? null : Buffer.concat(chunks);
              const response = new Response(bytes, {
                status: status < 200 || status > 599 ? 502 : status,
                statusText: incoming.statusMessage ?? '',
                headers: toHeaders(incoming.headers),
              });
              receivedBodies.set(response, bytes ?? Buffer.alloc(0));
              resolve(response);
            } catch (error) {
              fail(error);
            }
          });
        },
      );
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  };

  return Object.assign(nodeFetch, {
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
