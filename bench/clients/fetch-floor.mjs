/**
 * Floor for end to end: the naive client. Buffers 100 Tinker events, then JSON.stringify + Node's
 * global fetch, one request after another (each awaited before the next). No retries, no bound.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_NAME, eventProperties } from '../settings.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'fetch-floor',
  protocol: 'tinker',
  create(url, s) {
    const endpoint = `${url}/api/v1/telemetry`;
    const sessionId = randomUUID();
    /** @type {object[]} */
    let buffer = [];
    let chain = Promise.resolve();
    let index = 0;
    let pending = 0;
    const send = (/** @type {object[]} */ events) => {
      pending += events.length;
      chain = chain.then(async () => {
        const body = JSON.stringify({ session_id: sessionId, platform: `${process.platform}/${process.arch}`, sdk_version: '0', events });
        const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        pending -= events.length;
      });
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
        await chain;
      },
      held: () => ({ held: pending + buffer.length, dropped: null, how: 'buffered + in flight' }),
      options: { batchSize: s.batchSize, transport: 'global fetch (undici), sequential', retries: 'none', flushInterval: 'none (size only; rest on shutdown)' },
    };
  },
};
