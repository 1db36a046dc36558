import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server saw it: the body as the bytes that came, so gzip bodies compare exactly. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RawReply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface RawServer {
  /** `http://127.0.0.1:<port>`, its origin. */
  readonly url: string;
  readonly requests: RawRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that records each request's body as bytes and answers what `handler`
 * says (synchronously: no timing of its own). spec/helpers/scripted-http-server.ts keeps bodies as
 * text, which loses gzip bytes.
 *
 * @example
 * ```ts
 * const server = await startRawServer((req) => (req.path === '/old' ? { status: 307, headers: { location: '/new' } } : { status: 200 }));
 * expect(server.requests[1]?.body.equals(server.requests[0]!.body)).toBe(true);
 * await server.close();
 * ```
 */
export async function startRawServer(handler: (request: RawRequest) => RawReply): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: RawRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      const reply = handler(request);
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
