/**
 * @segment/analytics-node: track() through its plugin pipeline into a batch, POST {host}/v1/batch
 * as `{ batch: [...], writeKey, sentAt }` (each event carries a `messageId`).
 *
 * Segment has no queue bound: every full batch (flushAt events or 480 KB) is sent at once and
 * retried on its own (maxRetries, backoff 0.5 s·2^n×[1,2), ≤ 60 s), so nothing is ever refused and
 * memory grows with the backlog. flushAt is also its batch size, so it stays at the batch size in
 * the drain scenario. Delivery results are public events: `track` (delivered), `error`
 * (`delivery_failure`).
 */
import { Analytics } from '@segment/analytics-node';
import { EVENT_NAME, eventProperties } from '../settings.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'segment',
  protocol: 'segment',
  create(url, s) {
    const options = {
      writeKey: 'bench',
      host: url,
      flushAt: Math.min(s.flushAt, s.batchSize),
      flushInterval: s.flushIntervalMs,
      maxRetries: s.maxRetries,
      httpRequestTimeout: s.httpTimeoutMs,
    };
    const analytics = new Analytics(options);
    let logged = 0;
    let delivered = 0;
    let failed = 0;
    analytics.on('track', () => void delivered++);
    analytics.on('error', (/** @type {any} */ error) => void (error?.code === 'delivery_failure' && failed++));
    return {
      log: () => {
        logged++;
        analytics.track({ userId: 'u_42', event: EVENT_NAME, properties: eventProperties() });
      },
      shutdown: () => analytics.closeAndFlush({ timeout: 60_000 }),
      held: () => ({ held: logged - delivered - failed, dropped: failed, how: "track() calls minus 'track' and 'error' (delivery_failure) events" }),
      options: { ...options, host: '<server>', writeKey: 'bench', queueBound: 'none (not configurable)', compression: 'none (not supported)' },
    };
  },
};
