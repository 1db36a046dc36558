/** rxtel with its default TinkerHttpSink (ky over a keep-alive node:http fetch). */
import { createReporter } from '../../dist/index.js';
import { EVENT_NAME, eventProperties } from '../settings.mjs';

/** @type {import('./types.mjs').ClientAdapter & { create(url: string, s: import('./types.mjs').ClientSettings, extra?: Record<string, unknown>): import('./types.mjs').ClientInstance }} */
export default {
  name: 'rxtel',
  protocol: 'tinker',
  /** @param {string} url @param {import('./types.mjs').ClientSettings} s @param {Record<string, unknown>} [extra] options added (the spool variant) */
  create(url, s, extra = {}) {
    const options = {
      endpoint: url,
      apiKey: 'bench',
      maxBatchSize: s.batchSize,
      flushThreshold: s.flushAt,
      flushIntervalMs: s.flushIntervalMs,
      maxQueueSize: s.queueSize ?? 10_000,
      // The byte bound (32 MiB by default, ~90,000 of these events) must not refuse where the count bound is meant to be the only one.
      maxQueueBytes: 2 ** 31 - 1,
      httpTimeoutMs: s.httpTimeoutMs,
      // 1+2+4+…+512 s of backoff (each capped at 60 s): far longer than any outage here.
      maxRetries: s.maxRetries,
      flushTimeoutMs: 60_000,
      // The default 1000/s per event name would refuse most of a benchmark's single event type.
      rateLimitPerTypePerSecond: 0,
      sampleRate: 1,
      ...extra,
    };
    const reporter = createReporter(options);
    return {
      log: (i) => void reporter.log(EVENT_NAME, eventProperties()),
      shutdown: async () => void (await reporter.stop()),
      held: () => {
        const stats = reporter.stats();
        const { queueFull, sendFailed, rateLimited, sampled, invalid } = stats.dropped;
        return { held: stats.queued, dropped: queueFull + sendFailed + rateLimited + sampled + invalid, how: 'reporter.stats(): queued, dropped.*' };
      },
      options: { ...options, endpoint: '<server>', retryBaseDelayMs: '1000 (default)', maxInFlightBatches: '2 (default)' },
    };
  },
};
