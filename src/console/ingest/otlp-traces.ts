import { resourceContext } from './otlp-resource.js';
import { spanEvents } from './otlp-span.js';
import { field, isObject, repeated, text } from './otlp-values.js';
import { RecordIds } from './record-ids.js';
import { errorText, Groups, type IngestResult } from './result.js';

/**
 * `POST /v1/traces` in the OTLP/HTTP JSON encoding: an `ExportTraceServiceRequest`
 * (opentelemetry-proto v1.11.0 `collector/trace/v1/trace_service.proto`) as console events (see
 * `otlp-span.ts`; docs/console.md "What each protocol becomes"). Langfuse's OTLP endpoint
 * (`/api/public/otel/v1/traces`) takes the same requests, and the console reads them here too.
 */

/**
 * The events of a traces request, grouped by session. `invalid` is set when the body is no
 * `ExportTraceServiceRequest` at all (the server answers 400); a span without a valid trace or span
 * id is refused and counted (`rejected`, for OTLP's partial success `rejectedSpans`), never thrown.
 *
 * @example
 * ```ts
 * const { groups, rejected, reason } = normaliseOtlpTraces(JSON.parse(body), Date.now());
 * for (const { session, client, events } of groups) await store.append(session, client, events);
 * ```
 */
export function normaliseOtlpTraces(body: unknown, now: number): IngestResult {
  const groups = new Groups();
  try {
    return walk(body, now, groups);
  } catch (error) {
    // Only a body that is no parsed JSON (a Proxy, a getter that throws) gets here.
    return groups.result(`unreadable ExportTraceServiceRequest: ${errorText(error)}`);
  }
}

function walk(body: unknown, now: number, groups: Groups): IngestResult {
  if (!isObject(body)) return groups.result('not an ExportTraceServiceRequest: the body is not a JSON object');
  const resourceSpans = repeated(body, 'resourceSpans');
  if (resourceSpans === undefined) return groups.result('not an ExportTraceServiceRequest: resourceSpans is not an array');
  const ids = new RecordIds();
  resourceSpans.forEach((resourceSpan, r) => {
    if (!isObject(resourceSpan)) return groups.refuse(`resourceSpans[${r}] is not an object`);
    const resource = resourceContext(field(resourceSpan, 'resource'));
    const scopeSpans = repeated(resourceSpan, 'scopeSpans');
    if (scopeSpans === undefined) return groups.refuse(`resourceSpans[${r}].scopeSpans is not an array`);
    scopeSpans.forEach((scopeSpan, s) => {
      const where = `resourceSpans[${r}].scopeSpans[${s}]`;
      const spans = isObject(scopeSpan) ? repeated(scopeSpan, 'spans') : undefined;
      if (spans === undefined) return groups.refuse(`${where} is not an object with a spans array`);
      const scope = text(field(field(scopeSpan, 'scope'), 'name')) ?? '';
      spans.forEach((span, i) => {
        if (!isObject(span)) return groups.refuse(`${where}.spans[${i}] is not an object`);
        try {
          const result = spanEvents(span, { session: resource.session, scope, ids, now });
          if ('refused' in result) return groups.refuse(`${where}.spans[${i}]: ${result.refused}`);
          for (const { session, event } of result.events) groups.add(session, resource.client, event);
        } catch (error) {
          groups.refuse(`${where}.spans[${i}]: ${errorText(error)}`);
        }
      });
    });
  });
  return groups.result();
}
