/**
 * What the end-to-end floors share: they buffer Tinker wire events, send each 100 as one JSON
 * request, and keep at most `inFlight` requests going, with no retries and no bound. Only
 * `post(url, body)` and `inFlight` differ.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_NAME, eventProperties } from '../settings.mjs';

/**
 * @param {string} url  the server's base URL
 * @param {import('../settings.mjs').ClientSettings} s
 * @param {(endpoint: string, body: string) => Promise<void>} post  one request, resolved once the answer is read
 * @param {{ inFlight: number, close?: () => void, options: Record<string, unknown> }} extra
 * @returns {import('./types.mjs').ClientInstance}
 */
export function batchingFloor(url, s, post, extra) {
  const endpoint = `${url}/api/v1/telemetry`;
  const sessionId = randomUUID();
  const { inFlight } = extra;
  /** @type {object[]} */
  let buffer = [];
  /** @type {object[][]} */
  const waiting = [];
  let running = 0;
  let index = 0;
  let pending = 0;
  /** @type {(() => void) | undefined} */
  let idle;
  const pump = () => {
    while (running < inFlight && waiting.length > 0) {
      const events = /** @type {object[]} */ (waiting.shift());
      running++;
      const body = JSON.stringify({ session_id: sessionId, platform: `${process.platform}/${process.arch}`, sdk_version: '0', events });
      void post(endpoint, body).finally(() => {
        running--;
        pending -= events.length;
        pump();
        if (running === 0 && waiting.length === 0) idle?.();
      });
    }
  };
  const send = (/** @type {object[]} */ events) => {
    pending += events.length;
    waiting.push(events);
    pump();
  };
  return {
    log: () => {
      buffer.push({
        event: 'GENERIC_EVENT',
        event_id: randomUUID(),
        event_session_index: index++,
        severity: 'INFO',
        timestamp: new Date().toISOString(),
        event_name: EVENT_NAME,
        event_data: eventProperties(),
      });
      if (buffer.length >= s.batchSize) {
        send(buffer);
        buffer = [];
      }
    },
    shutdown: async () => {
      if (buffer.length > 0) send(buffer);
      buffer = [];
      if (running > 0 || waiting.length > 0) await new Promise((resolve) => (idle = () => resolve(undefined)));
      extra.close?.();
    },
    held: () => ({ held: pending + buffer.length, dropped: null, how: 'buffered + in flight' }),
    options: { batchSize: s.batchSize, inFlight, retries: 'none', flushInterval: 'none (size only; rest on shutdown)', ...extra.options },
  };
}
