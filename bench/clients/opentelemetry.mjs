/**
 * OpenTelemetry's log SDK: LoggerProvider + BatchLogRecordProcessor + OTLPLogExporter (OTLP/HTTP,
 * JSON: the http exporter sends `application/json` with JsonLogsSerializer; protobuf is the
 * separate exporter-logs-otlp-proto package). `otelClient()` builds it for this adapter and for
 * opentelemetry-defaults.mjs (the same SDK with no options but the url).
 *
 * This adapter: the bench's batch size and flush interval, the queue bound above N (ingest, e2e,
 * drain: 1,000,000) or the SDK's default (outage). Retries cannot be configured: the exporter
 * retries 429/502/503/504 five times (1 s × 1.5^n, ±20 % jitter, each ≤ 5 s) but only within its
 * `timeoutMillis`, which is also the per-request timeout. 30 s lets all five retries happen (5 s,
 * like the others, would cut them short).
 *
 * The processor's experimental self-observability meter (`selfObsMeterProvider`, read through
 * otel-meter.mjs) is on only where the bench needs OTel's own drop counts (`countDrops`: outage).
 * Its users do not run it by default and it costs ~14 % end to end, so elsewhere it is off and
 * held() says nothing (null) until shutdown() resolved, and 0 after: the SDK's shutdown waits for
 * every export to end, so a client that dropped events does not hold the scenario until its cap.
 */
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { EVENT_NAME, eventProperties } from '../settings.mjs';
import { countingMeterProvider } from './otel-meter.mjs';

const PROCESSED = 'otel.sdk.processor.log.processed';

/** @typedef {Omit<NonNullable<ConstructorParameters<typeof OTLPLogExporter>[0]>, 'url'>} ExporterOptions */
/** @typedef {Omit<import('@opentelemetry/sdk-logs').BatchLogRecordProcessorOptions, 'exporter' | 'selfObsMeterProvider'>} ProcessorOptions */

/**
 * @param {string} url  the server's base URL
 * @param {{ exporter: ExporterOptions, processor: ProcessorOptions, countDrops: boolean, options: Record<string, unknown> }} o
 *   `exporter`, `processor`: passed as given (the exporter gets the url); `options`: what the report shows
 * @returns {import('./types.mjs').ClientInstance}
 */
export function otelClient(url, o) {
  const meters = o.countDrops ? countingMeterProvider() : undefined;
  const processor = new BatchLogRecordProcessor({
    exporter: new OTLPLogExporter({ ...o.exporter, url: `${url}/v1/logs` }),
    ...o.processor,
    // Experimental public option: the processor reports processed/dropped counts to a MeterProvider.
    ...(meters === undefined ? {} : { selfObsMeterProvider: meters.provider }),
  });
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'bench' }), processors: [processor] });
  const logger = provider.getLogger('bench');
  let emitted = 0;
  let shutDown = false;
  return {
    log: () => {
      emitted++;
      logger.emit({ eventName: EVENT_NAME, severityNumber: 9, severityText: 'INFO', body: EVENT_NAME, attributes: eventProperties() });
    },
    shutdown: async () => {
      await provider.shutdown();
      shutDown = true;
    },
    held: () => {
      // provider.shutdown() resolves once every export ended (delivered or given up): nothing is held after it.
      if (meters === undefined) return { held: shutDown ? 0 : null, dropped: null, how: 'selfObsMeterProvider off (as by default): 0 once shutdown() resolved, unknown before' };
      const processed = meters.sum(PROCESSED);
      const failed = meters.sum(PROCESSED, (attrs) => attrs['error.type'] !== undefined);
      return { held: emitted - processed, dropped: failed, how: `selfObsMeterProvider: ${PROCESSED} (error.type = queue_full or the export error)` };
    },
    options: { ...o.options, selfObsMeterProvider: meters === undefined ? 'off (default)' : 'on (a counting MeterProvider, for the drop counts)' },
  };
}

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'opentelemetry',
  protocol: 'otlp',
  create(url, s) {
    const exporter = { timeoutMillis: 30_000 };
    const processor = {
      maxExportBatchSize: s.batchSize,
      scheduledDelayMillis: s.flushIntervalMs,
      exportTimeoutMillis: 30_000,
      ...(s.queueSize === undefined ? {} : { maxQueueSize: s.queueSize }),
    };
    return otelClient(url, {
      exporter,
      processor,
      countDrops: s.countDrops,
      options: {
        exporter: { ...exporter, url: '<server>/v1/logs', encoding: 'JSON (default of exporter-logs-otlp-http)', compression: 'none (default)' },
        processor: { ...processor, maxQueueSize: s.queueSize ?? '2048 (default)' },
        retries: '5, fixed by the exporter, within timeoutMillis',
      },
    });
  },
};
