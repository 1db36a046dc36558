import http from 'node:http';
import https from 'node:https';

/** A `fetch` for ky, with its own keep-alive agents so the sink can close its sockets on shutdown. */
export interface NodeFetch {
  (input: Request | URL | string, init?: RequestInit): Promise<Response>;
  /** Closes every pooled socket. Requests after this still work (on new sockets). */
  close(): void;
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
export function createNodeFetch(options: { maxSockets?: number } = {}): NodeFetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  const nodeFetch = async (input: Request | URL | string, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const { signal } = request;
    signal.throwIfAborted();
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
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
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', fail);
          incoming.on('end', () => {
            const status = incoming.statusCode ?? 502;
            try {
              resolve(
                new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
                  status: status < 200 || status > 599 ? 502 : status,
                  statusText: incoming.statusMessage ?? '',
                  headers: toHeaders(incoming.headers),
                }),
              );
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
