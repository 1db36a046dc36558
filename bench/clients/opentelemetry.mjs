/**
 * OpenTelemetry's log SDK: LoggerProvider + BatchLogRecordProcessor + OTLPLogExporter (OTLP/HTTP,
 * JSON: the http exporter sends `application/json` with JsonLogsSerializer; protobuf is the
 * separate exporter-logs-otlp-proto package).
 *
 * Retries cannot be configured: the exporter retries 429/502/503/504 five times (1 s × 1.5^n,
 * ±20 % jitter, each ≤ 5 s) but only within its `timeoutMillis`, which is also the per-request
 * timeout. 30 s lets all five retries happen (5 s, like the others, would cut them short).
 */
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { EVENT_NAME, eventProperties } from '../settings.mjs';
import { countingMeterProvider } from './otel-meter.mjs';

const PROCESSED = 'otel.sdk.processor.log.processed';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'opentelemetry',
  protocol: 'otlp',
  create(url, s) {
    const meters = countingMeterProvider();
    const exporterOptions = { url: `${url}/v1/logs`, timeoutMillis: 30_000 };
    const processorOptions = {
      maxExportBatchSize: s.batchSize,
      scheduledDelayMillis: s.flushIntervalMs,
      exportTimeoutMillis: 30_000,
      ...(s.queueSize === undefined ? {} : { maxQueueSize: s.queueSize }),
    };
    const processor = new BatchLogRecordProcessor({
      exporter: new OTLPLogExporter(exporterOptions),
      ...processorOptions,
      // Experimental public option: the processor reports processed/dropped counts to a MeterProvider.
      selfObsMeterProvider: meters.provider,
    });
    const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'bench' }), processors: [processor] });
    const logger = provider.getLogger('bench');
    let emitted = 0;
    return {
      log: () => {
        emitted++;
        logger.emit({ eventName: EVENT_NAME, severityNumber: 9, severityText: 'INFO', body: EVENT_NAME, attributes: eventProperties() });
      },
      shutdown: () => provider.shutdown(),
      held: () => {
        const processed = meters.sum(PROCESSED);
        const failed = meters.sum(PROCESSED, (attrs) => attrs['error.type'] !== undefined);
        return { held: emitted - processed, dropped: failed, how: `selfObsMeterProvider: ${PROCESSED} (error.type = queue_full or the export error)` };
      },
      options: {
        exporter: { ...exporterOptions, url: '<server>/v1/logs', encoding: 'JSON (default of exporter-logs-otlp-http)', compression: 'none (default)' },
        processor: { ...processorOptions, maxQueueSize: s.queueSize ?? '2048 (default)' },
        retries: '5, fixed by the exporter, within timeoutMillis',
      },
    };
  },
};
