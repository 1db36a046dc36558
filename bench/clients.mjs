/**
 * One adapter per client, all with the same shape, configured as fairly as each allows:
 * ~100 events per request, ~1 s flush interval, retries on, compression off, and queue limits
 * given by the scenario. `log(i)` sends the same small event everywhere.
 */
import { createReporter } from '../dist/index.js';

export const EVENT_NAME = 'user.action';
export const properties = (i) => ({ button: 'submit', page: '/checkout', duration_ms: 123, ok: true, user_id: `u_${i % 1000}` });

export const clients = {
  /** rxtel with its default TinkerHttpSink (ky); rate limiting off and no sampling, as the issue asks. */
  async rxtel(url, s) {
    const reporter = createReporter({
      endpoint: url,
      apiKey: 'bench',
      maxBatchSize: 100,
      flushThreshold: s.flushAt,
      flushIntervalMs: s.flushIntervalMs,
      maxQueueSize: s.queueSize,
      maxRetries: 10,
      flushTimeoutMs: 120_000,
      rateLimitPerTypePerSecond: 0,
      sampleRate: 1,
    });
    return {
      protocol: 'tinker',
      log: (i) => reporter.log(EVENT_NAME, properties(i)),
      shutdown: () => reporter.stop(),
      held: () => {
        const stats = reporter.stats();
        return { queued: stats.queued, dropped: stats.dropped.queueFull + stats.dropped.sendFailed };
      },
    };
  },

  /** OpenTelemetry's log SDK: BatchLogRecordProcessor + OTLP/HTTP JSON exporter. */
  async opentelemetry(url, s) {
    const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
    const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-http');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const exporter = new OTLPLogExporter({ url: `${url}/v1/logs`, timeoutMillis: 5000 });
    // sdk-logs 0.22x takes the exporter inside the options object.
    const processor = new BatchLogRecordProcessor({
      exporter,
      maxExportBatchSize: 100,
      scheduledDelayMillis: s.flushIntervalMs,
      maxQueueSize: s.queueSize,
      exportTimeoutMillis: 30_000,
    });
    const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'bench' }), processors: [processor] });
    const logger = provider.getLogger('bench');
    return {
      protocol: 'otlp',
      log: (i) => logger.emit({ severityNumber: 9, severityText: 'INFO', body: EVENT_NAME, attributes: properties(i) }),
      shutdown: () => provider.shutdown(),
      held: () => ({ queued: 'unknown', dropped: 'unknown (drops silently)' }),
    };
  },

  /** posthog-node: capture() into its in-memory queue, batched to /batch/. */
  async posthog(url, s) {
    const { PostHog } = await import('posthog-node');
    const client = new PostHog('phc_bench', {
      host: url,
      flushAt: s.flushAt,
      flushInterval: s.flushIntervalMs,
      maxBatchSize: 100,
      maxQueueSize: Math.max(s.queueSize, s.flushAt + 1),
      disableCompression: true,
      disableGeoip: true,
      fetchRetryCount: 10,
      requestTimeout: 5000,
    });
    return {
      protocol: 'posthog',
      log: (i) => client.capture({ distinctId: `u_${i % 1000}`, event: EVENT_NAME, properties: properties(i) }),
      shutdown: () => client.shutdown(120_000),
      held: () => ({ queued: 'unknown', dropped: 'unknown' }),
    };
  },

  /** @segment/analytics-node: track() batched to /v1/batch. */
  async segment(url, s) {
    const { Analytics } = await import('@segment/analytics-node');
    const analytics = new Analytics({ writeKey: 'bench', host: url, flushAt: Math.min(s.flushAt, 100), flushInterval: s.flushIntervalMs, maxRetries: 10, httpRequestTimeout: 5000 });
    analytics.on('error', () => undefined);
    return {
      protocol: 'segment',
      log: (i) => analytics.track({ userId: `u_${i % 1000}`, event: EVENT_NAME, properties: properties(i) }),
      shutdown: () => analytics.closeAndFlush({ timeout: 120_000 }),
      held: () => ({ queued: 'unknown', dropped: 'unknown' }),
    };
  },

  /** Floor for ingest: push to an array. */
  async array() {
    const events = [];
    return { protocol: 'none', log: (i) => events.push({ name: EVENT_NAME, properties: properties(i), time: performance.now() }), shutdown: async () => undefined, held: () => ({}) };
  },

  /** Floor for end to end: JSON.stringify + Node fetch of 100-event Tinker batches, one after another. */
  async 'fetch-floor'(url) {
    const sessionId = crypto.randomUUID();
    let buffer = [];
    let chain = Promise.resolve();
    let index = 0;
    const send = (events) => {
      chain = chain.then(async () => {
        const body = JSON.stringify({ session_id: sessionId, platform: 'linux/x64', sdk_version: '0', events });
        const response = await fetch(`${url}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
      });
    };
    return {
      protocol: 'tinker',
      log: (i) => {
        buffer.push({ event: 'GENERIC_EVENT', event_id: crypto.randomUUID(), event_session_index: index++, severity: 'INFO', timestamp: new Date().toISOString(), event_name: EVENT_NAME, event_data: properties(i) });
        if (buffer.length >= 100) {
          send(buffer);
          buffer = [];
        }
      },
      shutdown: async () => {
        if (buffer.length > 0) send(buffer);
        buffer = [];
        await chain;
      },
      held: () => ({}),
    };
  },
};
