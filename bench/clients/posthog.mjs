/**
 * posthog-node: capture() into its in-memory queue, batched to POST {host}/batch/ as
 * `{ api_key, batch: [...], sent_at }` (each event carries a `uuid`).
 *
 * posthog-node ties the batch size to flushAt (maxBatchSize = max(flushAt, maxBatchSize)), so
 * flushAt stays at the batch size even in the drain scenario; it still queues there, because a
 * flush only starts once the synchronous logging loop yields. A full queue drops the OLDEST event
 * (a debug-only log line); a batch that still fails after its retries is dropped (an 'error' event
 * without a count). Retries: fetchRetryCount times, a fixed fetchRetryDelay (default 3 s) apart.
 */
import { PostHog } from 'posthog-node';
import { EVENT_NAME, eventProperties } from '../settings.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'posthog',
  protocol: 'posthog',
  create(url, s) {
    const options = {
      host: url,
      flushAt: Math.min(s.flushAt, s.batchSize),
      maxBatchSize: s.batchSize,
      flushInterval: s.flushIntervalMs,
      ...(s.queueSize === undefined ? {} : { maxQueueSize: s.queueSize }),
      disableCompression: true,
      disableGeoip: true,
      fetchRetryCount: s.maxRetries,
      requestTimeout: s.httpTimeoutMs,
    };
    const client = new PostHog('phc_bench', options);
    client.on('error', () => undefined);
    return {
      log: () => client.capture({ distinctId: 'u_42', event: EVENT_NAME, properties: eventProperties() }),
      shutdown: () => client.shutdown(60_000),
      held: () => ({
        held: client.getPersistedProperty(/** @type {any} */ ('queue'))?.length ?? 0,
        dropped: null,
        how: "getPersistedProperty('queue').length (in-flight batches stay in it); drops are not counted",
      }),
      options: { ...options, host: '<server>', maxQueueSize: s.queueSize ?? '10000 (posthog-node default)', fetchRetryDelay: '3000 (default)' },
    };
  },
};
