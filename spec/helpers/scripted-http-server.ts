import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request as the server saw it (header names are lowercase). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body as the bytes that came (a gzip body compares exactly). */
  readonly bodyBytes: Buffer;
}

/** What the server answers. `hang` never answers (until `close()` destroys the socket). */
export interface ScriptedReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly hang?: boolean;
  /** Send the status, the headers and the first bytes of `body`, then nothing more (a backend that trickles). */
  readonly stallBody?: boolean;
  /** Destroy the connection instead of answering (a network error at the client). */
  readonly reset?: boolean;
  readonly delayMs?: number;
}

export type ScriptedHandler = (req: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  setHandler(handler: ScriptedHandler): void;
  /** Stops listening and destroys open sockets, so hanging requests do not keep jest alive. */
  close(): Promise<void>;
}

const accepted: ScriptedHandler = () => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"status":"accepted"}',
});

/**
 * A real HTTP server on 127.0.0.1 (random port) whose answers a test scripts per request.
 *
 * @example
 * ```ts
 * const server = await startScriptedServer(() => ({ status: 503, headers: { 'retry-after': '2' } }));
 * // … point the sink at server.url …
 * expect(server.requests).toHaveLength(1);
 * await server.close();
 * ```
 */
export async function startScriptedServer(handler: ScriptedHandler = accepted): Promise<ScriptedServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const abort = new AbortController();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        bodyBytes: Buffer.concat(chunks),
      };
      requests.push(recorded);
      void (async () => {
        const reply = await current(recorded);
        if (reply.hang === true) return;
        if (reply.reset === true) {
          res.destroy();
          return;
        }
        if (reply.delayMs !== undefined) await sleep(reply.delayMs, undefined, { signal: abort.signal });
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        if (reply.stallBody === true) res.write(reply.body ?? ' ');
        else res.end(reply.body ?? '');
      })().catch(() => {
        // Closed mid-delay, or the handler threw: the socket is (being) destroyed anyway.
        if (!res.headersSent) res.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(next) {
      current = next;
    },
    close() {
      abort.abort();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
