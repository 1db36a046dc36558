import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { VERSION } from '../../version.js';
import { hostPort } from '../../receiver/host-port.js';
import { openConsoleStore } from '../store/open-store.js';
import type { ConsoleStore, EvictedSession } from '../store-api.js';
import { API_PREFIX, answerApi, type ConsoleFacts } from './api-routes.js';
import { INGEST_ROUTES, ingest, unauthorised, type IngestOutcome } from './ingest-routes.js';
import { sendJson } from './send-json.js';
import { TraceSessions } from './trace-sessions.js';
import { LiveUpdates } from './live-updates.js';
import { answersHost, carriesKey } from './request-guards.js';
import { DEFAULT_UI_DIR, SECURITY_HEADERS, UiAssets } from './ui-assets.js';

/** The console's port unless told otherwise: OTLP/HTTP's, so OpenTelemetry's defaults reach it. */
export const DEFAULT_CONSOLE_PORT = 4318;
/** Larger request bodies get 413: 16 MiB, as sent or once gunzipped. */
export const DEFAULT_CONSOLE_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface ConsoleServerOptions {
  /** The store's folder. */
  readonly dir: string;
  /** 0 picks a free port. @defaultValue 4318 */
  readonly port?: number;
  /** @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** When set, ingest requests without it get 401 (see `carriesKey` for where it may be). */
  readonly apiKey?: string;
  /** The store's size bound. @defaultValue 256 MiB */
  readonly maxBytes?: number;
  /** @defaultValue {@link DEFAULT_CONSOLE_MAX_BODY_BYTES} */
  readonly maxBodyBytes?: number;
  /** The store's in-memory row index bound, in events. @defaultValue 2,000,000 */
  readonly maxIndexedEvents?: number;
  /** The bundled UI. @defaultValue dist/console-ui */
  readonly uiDir?: string;
  /** Told about each ingest request once it is answered. */
  readonly onIngest?: (outcome: IngestOutcome) => void;
  /** Told about each session the store deleted to stay under `maxBytes`. */
  readonly onEvict?: (evicted: EvictedSession) => void;
}

/** A running console. */
export interface ConsoleServer {
  /** `http://127.0.0.1:4318` */
  readonly url: string;
  readonly port: number;
  readonly store: ConsoleStore;
  /** Stops listening, ends the live streams, cuts open connections and closes the store. Idempotent. */
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, content-encoding, x-api-key, authorization, x-langfuse-sdk-name, x-langfuse-sdk-version, x-langfuse-public-key',
  'access-control-max-age': '600',
};

/**
 * Starts `rxtel console`'s server: ingest on every protocol's own path (Tinker, OTLP/HTTP in
 * protobuf or JSON, Langfuse), the JSON API under `/api/console/`, the live stream, and the
 * bundled UI, all on one port, over a disk store in `dir`.
 *
 * Ingest paths answer anyone who can reach the port (with CORS, so a browser app can send too),
 * and only with the key when `apiKey` is set. The UI and the API answer only requests naming a
 * loopback host when the console listens on loopback (no DNS rebinding), never with CORS (another
 * site cannot read them), and with a strict Content-Security-Policy.
 *
 * @example
 * ```ts
 * const console = await startConsoleServer({ dir: '.rxtel-console', port: 0 });
 * const reporter = createReporter({ endpoint: console.url });
 * // … open console.url in a browser
 * await console.close();
 * ```
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = options.host ?? '127.0.0.1';
  const live = new LiveUpdates();
  const store = await openConsoleStore({
    dir: options.dir,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.maxIndexedEvents === undefined ? {} : { maxIndexedEvents: options.maxIndexedEvents }),
    onEvict: (evicted) => {
      live.evicted(evicted.id);
      options.onEvict?.(evicted);
    },
  });
  store.onChange((session) => live.changed(session));
  const ui = new UiAssets(options.uiDir ?? DEFAULT_UI_DIR);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_CONSOLE_MAX_BODY_BYTES;
  const sockets = new Set<Socket>();
  const traceSessions = new TraceSessions();
  /** What `/api/console/info` says besides the store's figures (the URLs need the port, known once listening). */
  const facts = (): ConsoleFacts => {
    const base = `http://${hostPort(host, (server.address() as AddressInfo).port)}`;
    return {
      version: VERSION,
      ingest: Object.fromEntries([...INGEST_ROUTES].map(([path, r]) => [r.protocol, `${base}${path}`])),
      api_key_required: options.apiKey !== undefined,
    };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://console');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    const route = INGEST_ROUTES.get(path);
    if (route !== undefined) {
      if (method === 'OPTIONS') return void response.writeHead(204, CORS).end();
      if (method !== 'POST') return sendJson(response, 405, { error: `use POST for ${path}` }, { allow: 'POST, OPTIONS', ...CORS });
      if (options.apiKey !== undefined && !carriesKey(request.headers, options.apiKey)) {
        return unauthorised(route, request, response, CORS);
      }
      const outcome = await ingest(route, request, response, { store, traceSessions, maxBodyBytes, headers: CORS });
      options.onIngest?.(outcome);
      return;
    }
    if (method === 'GET' && path === '/health') return sendJson(response, 200, { status: 'ok' });
    if (!answersHost(request.headers.host, host)) {
      return sendJson(response, 421, { error: 'the console answers only as localhost, 127.0.0.1 or [::1]' }, SECURITY_HEADERS);
    }
    if (method !== 'GET' && method !== 'HEAD') return sendJson(response, 405, { error: `use GET for ${path}` }, { allow: 'GET', ...SECURITY_HEADERS });
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      return answerApi(path.slice(API_PREFIX.length), url.searchParams, { store, live, facts: facts() }, response);
    }
    if (await ui.serve(path, response)) return;
    sendJson(response, 404, { error: `no route for ${method} ${path}` }, SECURITY_HEADERS);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: `console failed: ${(error as Error).message}` });
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_CONSOLE_PORT, host, () => resolve());
    });
  } catch (error) {
    live.close();
    await store.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const base = `http://${hostPort(host, port)}`;
  let closing: Promise<void> | undefined;
  return {
    url: base,
    port,
    store,
    close() {
      closing ??= (async () => {
        live.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
        await store.close();
      })();
      return closing;
    },
  };
}
