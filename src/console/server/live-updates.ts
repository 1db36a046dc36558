import type { ServerResponse } from 'node:http';
import type { SessionSummary } from '../model.js';

/** How often a session's updates go out at most, and how often an idle stream says it is alive. */
export interface LiveUpdateTimings {
  /** @defaultValue 250 */
  readonly coalesceMs?: number;
  /** @defaultValue 15000 */
  readonly pingMs?: number;
}

/**
 * The console's Server-Sent Events stream (`GET /api/console/stream`): each subscriber gets
 * `event: session` with a session's summary whenever it changed, at most once per `coalesceMs` per
 * session (a burst of 1,000 batches is one update per interval with the latest numbers), `event:
 * evicted` with `{ id }` when the store deleted a session, and a `: ping` comment every `pingMs`
 * so that proxies and the browser keep the stream open.
 *
 * A slow subscriber (its socket buffer full) skips updates rather than buffering them: the next
 * update carries the latest summary anyway.
 *
 * @example
 * ```ts
 * const live = new LiveUpdates();
 * store.onChange((session) => live.changed(session));
 * // in the route: live.subscribe(response);
 * ```
 */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private readonly pending = new Map<string, SessionSummary>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly pingTimer: NodeJS.Timeout;
  private readonly coalesceMs: number;

  constructor(timings: LiveUpdateTimings = {}) {
    this.coalesceMs = timings.coalesceMs ?? 250;
    this.pingTimer = setInterval(() => this.broadcast(': ping\n\n'), timings.pingMs ?? 15_000);
    this.pingTimer.unref();
  }

  /** Opens the stream on `response`; it ends when the client goes away or {@link close} is called. */
  subscribe(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 1000\n\n');
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
  }

  /** A session changed: it goes out with the next flush. */
  changed(session: SessionSummary): void {
    if (this.clients.size === 0) return;
    this.pending.set(session.id, session);
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), this.coalesceMs);
      this.flushTimer.unref();
    }
  }

  /** A session was deleted to keep the store under its size. */
  evicted(id: string): void {
    this.pending.delete(id);
    this.broadcast(`event: evicted\ndata: ${JSON.stringify({ id })}\n\n`);
  }

  /** Subscribers now. */
  get size(): number {
    return this.clients.size;
  }

  /** Ends every stream and stops the timers. */
  close(): void {
    clearInterval(this.pingTimer);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private flush(): void {
    this.flushTimer = undefined;
    const text = [...this.pending.values()].map((session) => `event: session\ndata: ${JSON.stringify(session)}\n\n`).join('');
    this.pending.clear();
    if (text !== '') this.broadcast(text);
  }

  private broadcast(text: string): void {
    for (const client of this.clients) {
      // A subscriber whose buffer is still full misses this one; the next update has the latest.
      if (client.writableNeedDrain) continue;
      client.write(text);
    }
  }
}
