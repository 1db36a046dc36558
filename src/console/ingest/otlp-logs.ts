import { logRecordEvent } from './otlp-log-record.js';
import { resourceContext } from './otlp-resource.js';
import { field, isObject, repeated, text } from './otlp-values.js';
import { RecordIds } from './record-ids.js';
import { errorText, Groups, type IngestResult } from './result.js';

/**
 * `POST /v1/logs` in the OTLP/HTTP JSON encoding: an `ExportLogsServiceRequest`
 * (opentelemetry-proto v1.11.0 `collector/logs/v1/logs_service.proto`) as console events, one per
 * log record (see `otlp-log-record.ts`; docs/console.md "What each protocol becomes").
 */

/**
 * The events of a logs request, grouped by session. `invalid` is set when the body is no
 * `ExportLogsServiceRequest` at all (not an object, or `resourceLogs` not an array): the server
 * answers 400. Otherwise every record that cannot be read is refused and counted (`rejected`, for
 * OTLP's partial success `rejectedLogRecords`), never thrown.
 *
 * @example
 * ```ts
 * const { groups, rejected, reason } = normaliseOtlpLogs(JSON.parse(body), Date.now());
 * // answer 200 { partialSuccess: rejected > 0 ? { rejectedLogRecords: rejected, errorMessage: reason } : undefined }
 * ```
 */
export function normaliseOtlpLogs(body: unknown, now: number): IngestResult {
  const groups = new Groups();
  try {
    return walk(body, now, groups);
  } catch (error) {
    // Only a body that is no parsed JSON (a Proxy, a getter that throws) gets here.
    return groups.result(`unreadable ExportLogsServiceRequest: ${errorText(error)}`);
  }
}

function walk(body: unknown, now: number, groups: Groups): IngestResult {
  if (!isObject(body)) return groups.result('not an ExportLogsServiceRequest: the body is not a JSON object');
  const resourceLogs = repeated(body, 'resourceLogs');
  if (resourceLogs === undefined) return groups.result('not an ExportLogsServiceRequest: resourceLogs is not an array');
  const ids = new RecordIds();
  resourceLogs.forEach((resourceLog, r) => {
    if (!isObject(resourceLog)) return groups.refuse(`resourceLogs[${r}] is not an object`);
    const resource = resourceContext(field(resourceLog, 'resource'));
    const scopeLogs = repeated(resourceLog, 'scopeLogs');
    if (scopeLogs === undefined) return groups.refuse(`resourceLogs[${r}].scopeLogs is not an array`);
    scopeLogs.forEach((scopeLog, s) => {
      const where = `resourceLogs[${r}].scopeLogs[${s}]`;
      const records = isObject(scopeLog) ? repeated(scopeLog, 'logRecords') : undefined;
      if (records === undefined) return groups.refuse(`${where} is not an object with a logRecords array`);
      const scope = text(field(field(scopeLog, 'scope'), 'name')) ?? '';
      records.forEach((record, i) => {
        if (!isObject(record)) return groups.refuse(`${where}.logRecords[${i}] is not an object`);
        try {
          const { session, event } = logRecordEvent(record, { session: resource.session, scope, ids, now });
          groups.add(session, resource.client, event);
        } catch (error) {
          groups.refuse(`${where}.logRecords[${i}]: ${errorText(error)}`);
        }
      });
    });
  });
  return groups.result();
}
