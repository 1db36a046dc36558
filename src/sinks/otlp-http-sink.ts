import type { KyInstance } from 'ky';
import { z } from 'zod';
import { ExportError } from '../errors/export-error.js';
import type { TelemetryEvent } from '../events/wire.js';
import { readEnv } from '../platform/node.js';
import { httpUrl, nonEmptyString } from '../schema/fields.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { headerNameField, headerValueField } from './http/header-value.js';
import { JsonPoster, type Compression, type PostOutcome } from './http/json-poster.js';
import { classifyOtlpResponse } from './http/otlp-classifier.js';
import type { EnvSource } from './console-sink.js';
import { encodeLogsRequest } from './otlp/encode-logs.js';
import { encodeTracesRequest, isTraceEvent } from './otlp/encode-traces.js';
import type { Signal } from './otlp/env.js';
import { resourceFactory, ResourceOptions, type OtlpResource, type OtlpResourceValue } from './otlp/resource.js';
import { readPartialSuccess } from './otlp/partial-success.js';
import { withOtlpEnv } from './otlp/with-env.js';
import type { ContentCapture, ExportContext, ExportResult } from './sink.js';
import { compression, contentCapture, kyInstance, maxBatchBytes, sinkName, timeoutMs } from './sink-options.js';
import { HttpSink } from './http/http-sink.js';
import { unserialisable } from './results.js';

export type { OtlpResourceValue };

/**
 * Options of {@link OtlpHttpSink}.
 *
 * @example
 * ```ts
 * const options: OtlpHttpSinkOptions = { endpoint: 'http://127.0.0.1:4318', serviceName: 'trainer', compression: 'gzip' };
 * ```
 */
export interface OtlpHttpSinkOptions {
  /**
   * The collector's OTLP/HTTP base URL (http or https), such as `http://127.0.0.1:4318`; `/v1/logs`
   * and `/v1/traces` are appended. Credentials (`user:password@`) are refused: send them in `headers`.
   * May be omitted when the environment names one (`OTEL_EXPORTER_OTLP_ENDPOINT`, or the per-signal
   * `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` / `_TRACES_ENDPOINT`, used as they are); when given, it wins.
   */
  readonly endpoint?: string;
  /**
   * Sent with every request (`authorization`, vendor keys). Values are trimmed; a value with CR, LF,
   * NUL, another control character or a character beyond U+00FF is a `ConfigError` naming
   * `headers.<name>`. The values never appear in an error. Added to `OTEL_EXPORTER_OTLP_HEADERS`;
   * a header named in both is this one.
   */
  readonly headers?: Record<string, string>;
  /** `'gzip'` compresses request bodies. @defaultValue OTEL_EXPORTER_OTLP_COMPRESSION ?? 'none' */
  readonly compression?: Compression;
  /**
   * More resource attributes, added to `OTEL_RESOURCE_ATTRIBUTES` (an entry here wins).
   * `service.name`/`service.version` here yield to the options; `session.id`, `process.pid` and
   * `telemetry.sdk.*` are the sink's.
   */
  readonly resource?: Record<string, OtlpResourceValue>;
  /** The resource's `service.name`. @defaultValue resource['service.name'] ?? OTEL_SERVICE_NAME ?? 'unknown_service:node' */
  readonly serviceName?: string;
  /** The resource's `service.version`; omitted when unset. */
  readonly serviceVersion?: string;
  /** How long one HTTP request may take until its whole answer is read. @defaultValue OTEL_EXPORTER_OTLP_TIMEOUT ?? 5000 */
  readonly timeoutMs?: number;
  /**
   * `gen_ai.provider.name` of the GenAI spans (`openai`, `anthropic`, `aws.bedrock`, … or your own)
   * whose event does not name it (`event_data['gen_ai.provider.name']`, as `track(event, extra)`
   * can add). @defaultValue 'unknown'
   */
  readonly genAiProviderName?: string;
  /** The sink's name in errors, stats and health events. @defaultValue 'otlp' */
  readonly name?: string;
  /** Largest request body, bytes: the reporter cuts batches to fit. @defaultValue unbounded */
  readonly maxBatchBytes?: number;
  /** Whether raw `event_data.content` may reach the collector. @defaultValue 'redacted' */
  readonly contentCapture?: ContentCapture;
  /** Your own ky instance to send through, hooks and all; see `TinkerHttpSinkOptions.ky`. @defaultValue the sink's own `node:http` transport */
  readonly ky?: KyInstance;
}

/**
 * The schema of {@link OtlpHttpSinkOptions}, which the constructor parses: a bad or unknown option
 * is a `ConfigError` naming `OtlpHttpSink`, the option and the value (never a header's value).
 */
export const OtlpHttpSinkOptions = z.strictObject({
  endpoint: httpUrl({ refuseCredentials: 'credentials in the URL are not supported; send them in `headers`' }).optional(),
  headers: z
    .record(headerNameField(), headerValueField({ allowEmpty: true }), { error: 'expected an object of header names to string values' })
    .optional(),
  compression: compression(),
  ...ResourceOptions.shape,
  timeoutMs: timeoutMs(),
  genAiProviderName: nonEmptyString().optional(),
  name: sinkName('otlp'),
  maxBatchBytes: maxBatchBytes().optional(),
  contentCapture: contentCapture(),
  ky: kyInstance(),
});

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type OtlpHttpSinkOptionsMatchSchema = Assert<Matches<OtlpHttpSinkOptions, typeof OtlpHttpSinkOptions>>;

interface Part {
  readonly signal: Signal;
  readonly positions: readonly number[];
  readonly url: string;
  readonly body: string;
}
interface Settled {
  readonly positions: readonly number[];
  readonly result: ExportResult;
}

/**
 * Exports to an OpenTelemetry Collector over OTLP/HTTP JSON, by the semantic conventions: span
 * events (`reporter.startSpan`) and the typed LLM events that the GenAI conventions make spans
 * (generations, tool calls, rounds) to `POST {endpoint}/v1/traces`, every other event as a log
 * record to `POST {endpoint}/v1/logs`, both requests of a batch at once. What the options leave
 * open comes from the `OTEL_EXPORTER_OTLP_*`, `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`
 * variables. Never retries on its own and never throws: when one request needs a retry and the
 * other is done, the result says which positions to retry (`only`). An OTLP partial success counts
 * the refused records as `rejected` (OTLP gives a count only); a request of the two that failed
 * names its events (`refusedPositions`). Header values never appear in an error. See docs/sinks.md.
 *
 * @example
 * ```ts
 * const sink = new OtlpHttpSink({ endpoint: 'http://127.0.0.1:4318', serviceName: 'trainer' });
 * const result = await sink.export(events, AbortSignal.timeout(5000), { batchId, attempt: 0, sessionId });
 * if (result.status !== 'success') console.warn(result.error.message);
 * await sink.shutdown();
 * ```
 */
export class OtlpHttpSink extends HttpSink {
  readonly name: string;
  readonly maxBatchBytes: number | undefined;
  readonly contentCapture: ContentCapture;
  protected readonly poster: JsonPoster;
  readonly #urls: Readonly<Record<Signal, string>>;
  readonly #resourceFor: (sessionId: string) => OtlpResource;
  readonly #providerName: string | undefined;

  /**
   * `env` is read once, here, for the `OTEL_*` variables the options leave open; tests pass their own
   * (a lookup function or a record), so no test depends on the process's environment.
   */
  constructor(options: OtlpHttpSinkOptions = {}, env: EnvSource = readEnv) {
    super();
    const lookup = typeof env === 'function' ? env : (variable: string) => env[variable];
    const parsed = withOtlpEnv(parseOptionsWith(OtlpHttpSinkOptions, options, { owner: 'OtlpHttpSink', secrets: ['headers'] }), options, lookup);
    const headers = parsed.headers ?? {};
    this.name = parsed.name;
    this.maxBatchBytes = parsed.maxBatchBytes;
    this.contentCapture = parsed.contentCapture;
    this.#urls = parsed.urls;
    this.#providerName = parsed.genAiProviderName;
    this.#resourceFor = resourceFactory({ resource: parsed.resource, serviceName: parsed.serviceName, serviceVersion: parsed.serviceVersion }, parsed.resourceFromEnv);
    this.poster = new JsonPoster({
      name: this.name,
      timeoutMs: parsed.timeoutMs,
      headers,
      // A whole value, and the credentials of `Bearer <token>` alone, in case the collector echoes only those.
      secrets: Object.values(headers).flatMap((value) => [value, /^\S+\s+(\S.*)$/.exec(value)?.[1]]),
      compression: parsed.compression,
      ky: parsed.ky,
      // OTLP/HTTP's own rule: only 429, 502, 503, 504 are retried; x-should-retry means nothing here.
      classify: classifyOtlpResponse,
    });
  }

  /** Up to two requests at once: logs and traces. */
  protected async send(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    const split = { logs: [] as number[], traces: [] as number[] };
    batch.forEach((event, position) => split[isTraceEvent(event) ? 'traces' : 'logs'].push(position));
    const parts: Part[] = [];
    try {
      const { sessionId } = context;
      const resource = this.#resourceFor(sessionId);
      const logs = split.logs.map((position) => batch[position] as TelemetryEvent);
      if (logs.length > 0) parts.push(this.#part('logs', split.logs, encodeLogsRequest(logs, resource, { sessionId })));
      if (split.traces.length > 0) {
        const genAi = { sessionId, content: this.contentCapture === 'raw', providerName: this.#providerName };
        parts.push(this.#part('traces', split.traces, encodeTracesRequest(batch.filter(isTraceEvent), resource, genAi)));
      }
    } catch {
      return unserialisable(this.name);
    }
    const settled = await Promise.all(parts.map((part) => this.#post(part, signal)));
    return combine(this.name, settled);
  }

  #part(signal: Signal, positions: readonly number[], request: object): Part {
    return { signal, positions, url: this.#urls[signal], body: JSON.stringify(request) };
  }

  async #post(part: Part, signal: AbortSignal): Promise<Settled> {
    const outcome = await this.poster.post(part.url, part.body, signal);
    const result = outcome.result.status === 'success' ? this.#partialSuccess(part, outcome) : outcome.result;
    return { positions: part.positions, result };
  }

  /** A 2xx answer: `{ partialSuccess: { rejectedLogRecords | rejectedSpans, errorMessage } }` counts as rejected. */
  #partialSuccess(part: Part, outcome: PostOutcome): ExportResult {
    return readPartialSuccess(outcome, { sink: this.name, signal: part.signal, sent: part.positions.length, redact: (text) => this.poster.redact(text) });
  }
}

/**
 * One result of the batch from its parts' (logs, traces). All retryable: retry all. Some retryable:
 * retry `only` their positions; the others are done (delivered, or refused: `refusedPositions`).
 * None retryable: success (with the failed parts' positions refused) unless every part failed. A part too large (413)
 * beside another that got through comes back `split`: the reporter sends its events again as
 * halves, never the same request (OTLP/HTTP forbids resending a request it refused).
 */
function combine(sink: string, parts: readonly Settled[]): ExportResult {
  const [first] = parts;
  if (first === undefined) return { status: 'success' };
  const tooLarge = (r: ExportResult) => r.status === 'failure' && r.payloadTooLarge === true;
  if (parts.length === 1 || parts.every((p) => tooLarge(p.result))) return first.result;
  const settled = parts.map(({ positions, result }): Settled =>
    tooLarge(result) && result.status === 'failure' ? { positions, result: { status: 'retryable', error: result.error, split: true } } : { positions, result },
  );
  const retry = settled.filter((p) => p.result.status === 'retryable');
  const done = settled.filter((p) => p.result.status !== 'retryable');
  const refusedPositions = done.flatMap(refusedIn).sort((a, b) => a - b);
  const rejected = refusedPositions.length;
  const refused = rejected > 0 ? { refusedPositions, rejected } : {};
  const [firstRetry] = retry;
  if (firstRetry !== undefined && firstRetry.result.status === 'retryable') {
    const delays = retry.flatMap((p) => (p.result.status === 'retryable' && p.result.retryAfterMs !== undefined ? [p.result.retryAfterMs] : []));
    const base = { status: 'retryable' as const, error: firstRetry.result.error, ...(delays.length > 0 ? { retryAfterMs: Math.max(...delays) } : {}) };
    if (done.length === 0) return base;
    const only = retry.flatMap((p) => p.positions).sort((a, b) => a - b);
    // Only when every part to go again was too large: one retryable for another reason is sent again as it is.
    const split = retry.every((p) => p.result.status === 'retryable' && p.result.split === true) ? { split: true } : {};
    return { ...base, only, ...refused, ...split };
  }
  const failed = done.filter((p) => p.result.status === 'failure');
  if (failed.length === done.length && failed[0] !== undefined) return failed[0].result;
  if (rejected === 0) return { status: 'success' };
  const errors = done.flatMap((p) => (p.result.error === undefined ? [] : [p.result.error]));
  const error = errors.length === 1 && errors[0] !== undefined ? errors[0] : new ExportError(errors.map((e) => e.message).join('; '), { sink, code: 'ERR_RXTEL_PARTIAL' });
  return { status: 'success', ...refused, error };
}

/**
 * The batch positions a finished part refused: every one of a failed part; of a partial success,
 * the first `rejected` of the part's, because OTLP says how many, not which (`ExportLogsPartialSuccess`,
 * `ExportTracePartialSuccess` in opentelemetry-proto v0.19.0 to v1.11.0) — the guess the reporter
 * makes itself for a count, kept within the request it belongs to.
 */
function refusedIn({ positions, result }: Settled): readonly number[] {
  if (result.status === 'failure') return positions;
  return result.status === 'success' ? positions.slice(0, result.rejected ?? 0) : [];
}
