import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TELEMETRY_PATH } from '../events/names.js';
import type { TelemetryEvent } from '../events/wire.js';
import { FaultQueue, type Fault } from './faults.js';
import { ACCEPTED_ENCODINGS, decodeBody } from './decode-body.js';
import { hostPort } from './host-port.js';
import { readBody } from './read-body.js';
import type { ReceivedBatch } from './received-batch.js';
import { validateBatch } from './validate.js';
import { delay } from '../platform/node.js';

export type { Fault } from './faults.js';

export { TELEMETRY_PATH };

/** Larger request bodies get 413 unless `maxBodyBytes` says otherwise: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiverOptions {
  /** 0 picks a free port. @defaultValue 0 */
  readonly port?: number;
  /** @defaultValue '127.0.0.1' (loopback only) */
  readonly host?: string;
  /** Append every stored event to this NDJSON file. */
  readonly out?: string;
  /** When set, requests without this `x-api-key` get 401. */
  readonly apiKey?: string;
  /**
   * Larger request bodies get 413, counted both as sent and after a gzip body is inflated (which
   * stops at this size, so a gzip bomb costs no more than an honest body).
   * @defaultValue {@link DEFAULT_MAX_BODY_BYTES} (1 MiB)
   */
  readonly maxBodyBytes?: number;
  /** More events in one batch get 413. @defaultValue 100 */
  readonly maxEventsPerBatch?: number;
  /** Called after each stored batch. */
  readonly onBatch?: (sessionId: string, stored: number) => void;
}

/**
 * An event as stored: as it was sent (a timestamp or duration in the sender's form, which may differ
 * from rxtel's), plus its batch's `session_id` and when it arrived.
 */
export type StoredEvent = TelemetryEvent & { readonly session_id: string; readonly received_at: string };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (after gzip), when it was JSON. */
  readonly body: unknown;
  /** The status the receiver answered (0 while hanging). */
  status: number;
  /** `performance.now()` when the request arrived. */
  readonly receivedAtMs: number;
  /** Events in the body, when it had an `events` array. */
  readonly eventCount: number;
}

/** A running receiver. */
export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stored events, in arrival order, without duplicates. */
  readonly events: StoredEvent[];
  /** Every request, including refused and faulted ones. */
  readonly requests: RecordedRequest[];
  /** Events ignored because their `event_id` was already stored. */
  readonly duplicates: number;
  /** Queue faults for the next telemetry POSTs. */
  inject(...faults: Fault[]): void;
  clearFaults(): void;
  /** Resolves once at least `count` events are stored; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<StoredEvent[]>;
  /** Resolves once at least `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Forget events, requests, duplicates and faults. */
  reset(): void;
  /** Stops listening and cuts every open connection (hanging ones included). Idempotent. */
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: string | object, headers: Readonly<Record<string, string>> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

/**
 * Starts a Tinker-compatible telemetry receiver on loopback: takes `POST /api/v1/telemetry` as the
 * Tinker server does, stores events once per `event_id`, appends them to NDJSON, and injects faults
 * on request.
 *
 * It accepts every body the official Tinker Python SDK sends, not only rxtel's: whole-second and
 * `+00:00` timestamps, `str(timedelta)` durations (`0:00:05`, `1 day, 2:00:00.000007`), optional
 * fields absent; it stores each event as sent. It answers, checked in this order
 * (docs/wire-format.md, "The receiver"):
 *
 * - 200 `{"status":"ok"}` to `GET /health`, 404 to other paths, 405 to other methods than POST;
 * - 401 without the `apiKey`, when it has one;
 * - 415 (with `accept-encoding: gzip`) for a `content-encoding` other than gzip, x-gzip or identity;
 * - 413 for a body over `maxBodyBytes` as sent or once inflated;
 * - 400 for a gzip body that does not inflate;
 * - the next injected fault, when one is queued;
 * - 400 for a body that is not JSON;
 * - 422 for JSON that is no telemetry batch (a `session_id` that is no UUID included) in the Tinker
 *   server's form, `{ detail: 'Validation Error', errors: [{ loc: 'body -> session_id', msg, type }] }`,
 *   plus `error`, one line;
 * - 413 for more than `maxEventsPerBatch` events;
 * - 200 `{"status":"accepted"}`, also when it had the events already (counted in `duplicates`).
 *
 * @example
 * ```ts
 * const receiver = await startReceiver();
 * const reporter = createReporter({ endpoint: receiver.url });
 * reporter.log('hello');
 * await reporter.stop();
 * console.log(receiver.events.length); // 3: SESSION_START, hello, SESSION_END
 * await receiver.close();
 * ```
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxEvents = options.maxEventsPerBatch ?? 100;
  const events: StoredEvent[] = [];
  const requests: RecordedRequest[] = [];
  const seen = new Set<string>();
  const faults = new FaultQueue();
  const sockets = new Set<Socket>();
  const changed = new Set<() => void>();
  let duplicates = 0;
  let writes: Promise<void> = Promise.resolve();
  const notify = () => changed.forEach((listener) => listener());

  const store = (batch: ReceivedBatch): number => {
    const receivedAt = new Date().toISOString();
    const fresh: StoredEvent[] = [];
    for (const event of batch.events) {
      if (seen.has(event.event_id)) {
        duplicates++;
        continue;
      }
      seen.add(event.event_id);
      fresh.push({ received_at: receivedAt, session_id: batch.session_id, ...event } as StoredEvent);
    }
    events.push(...fresh);
    const out = options.out;
    if (out !== undefined && fresh.length > 0) {
      const lines = fresh.map((event) => `${JSON.stringify(event)}\n`).join('');
      writes = writes.then(() => appendFile(out, lines)).catch(() => undefined);
    }
    options.onBatch?.(batch.session_id, fresh.length);
    return fresh.length;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const raw = await readBody(request, maxBodyBytes);
    const body = 'tooLarge' in raw ? raw : await decodeBody(request.headers['content-encoding'], raw.bytes, maxBodyBytes);
    let json: unknown;
    if ('text' in body) {
      try {
        json = JSON.parse(body.text);
      } catch {
        json = undefined;
      }
    }
    const count = Array.isArray((json as { events?: unknown } | undefined)?.events) ? (json as { events: unknown[] }).events.length : 0;
    const record: RecordedRequest = { method, path, headers: request.headers, body: json, status: 0, receivedAtMs: performance.now(), eventCount: count };
    requests.push(record);
    notify();
    const answer = (status: number, payload: string | object, headers?: Readonly<Record<string, string>>) => {
      record.status = status;
      send(response, status, payload, headers);
    };

    if (method === 'GET' && path === '/health') return answer(200, { status: 'ok' });
    if (path !== TELEMETRY_PATH) return answer(404, { error: `no route for ${method} ${path}` });
    if (method !== 'POST') return answer(405, { error: 'use POST' }, { allow: 'POST' });
    if (options.apiKey !== undefined && request.headers['x-api-key'] !== options.apiKey) return answer(401, { error: 'invalid or missing x-api-key' });
    if ('unsupported' in body) return answer(415, { error: `unsupported content-encoding: ${body.unsupported} (accepted: ${ACCEPTED_ENCODINGS}, identity)` }, { 'accept-encoding': ACCEPTED_ENCODINGS });
    if ('tooLarge' in body) return answer(413, { error: `payload too large (limit ${maxBodyBytes} bytes, as sent and decoded)` });
    if ('corrupt' in body) return answer(400, { error: `invalid gzip body: ${body.corrupt}` });

    const fault = faults.next();
    if (fault?.hang === true) return;
    if (fault?.delayMs !== undefined) await delay(fault.delayMs);
    if (fault?.status !== undefined) return answer(fault.status, fault.body ?? { error: `injected ${fault.status}` }, fault.headers);

    const validated = validateBatch('text' in body ? body.text : '');
    if ('status' in validated) {
      const { status, ...refusal } = validated;
      return answer(status, status === 422 ? { detail: 'Validation Error', ...refusal } : refusal);
    }
    if (validated.batch.events.length > maxEvents) return answer(413, { error: `too many events: ${validated.batch.events.length} > ${maxEvents}` });
    store(validated.batch);
    answer(200, { status: 'accepted' }, fault?.headers);
    notify();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: `receiver failed: ${(error as Error).message}` });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  let closing: Promise<void> | undefined;

  const waitFor = <T>(what: string, count: number, items: T[], timeoutMs: number): Promise<T[]> => {
    if (items.length >= count) return Promise.resolve(items);
    const timeout = new AbortController();
    return new Promise<T[]>((resolve, reject) => {
      const check = () => {
        if (items.length < count) return;
        changed.delete(check);
        timeout.abort();
        resolve(items);
      };
      changed.add(check);
      delay(timeoutMs, { signal: timeout.signal, unref: true }).then(
        () => {
          changed.delete(check);
          reject(new Error(`receiver: expected ${count} ${what}, got ${items.length} within ${timeoutMs} ms`));
        },
        () => undefined,
      );
    });
  };

  return {
    url: `http://${hostPort(host, port)}`,
    port,
    events,
    requests,
    get duplicates() {
      return duplicates;
    },
    inject: (...list) => faults.push(...list),
    clearFaults: () => faults.clear(),
    waitForEvents: (count, timeoutMs = 5000) => waitFor('events', count, events, timeoutMs),
    waitForRequests: (count, timeoutMs = 5000) => waitFor('requests', count, requests, timeoutMs),
    reset() {
      events.length = 0;
      requests.length = 0;
      seen.clear();
      faults.clear();
      duplicates = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }).then(() => writes);
      return closing;
    },
  };
}
