/**
 * OpenTelemetry's log SDK as opentelemetry.mjs builds it, but with no options except the url: the
 * BatchLogRecordProcessor's and OTLPLogExporter's own defaults (queue 2048, batches of 512, one
 * export at a time, 1 s scheduled delay, 30 s export timeout; 10 s exporter timeout). Logging
 * faster than one export at a time drains fills the queue, and the processor drops what does not
 * fit (queue_full): the delivered % shows what that costs at its defaults. The bench's settings
 * are not used, except `countDrops` (the self-observability meter, as in opentelemetry.mjs).
 */
import { otelClient } from './opentelemetry.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'opentelemetry-defaults',
  protocol: 'otlp',
  create(url, s) {
    return otelClient(url, {
      exporter: {},
      processor: {},
      countDrops: s.countDrops,
      options: {
        exporter: { url: '<server>/v1/logs', timeoutMillis: '10000 (default)', encoding: 'JSON (default of exporter-logs-otlp-http)', compression: 'none (default)' },
        processor: { maxQueueSize: '2048 (default)', maxExportBatchSize: '512 (default)', scheduledDelayMillis: '1000 (default)', exportTimeoutMillis: '30000 (default)' },
        retries: '5, fixed by the exporter, within timeoutMillis',
      },
    });
  },
};
