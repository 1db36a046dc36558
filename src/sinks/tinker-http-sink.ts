import { TELEMETRY_PATH } from '../events/names.js';
import type { TelemetryEvent } from '../events/wire.js';
import { platformName, processUuid } from '../platform/node.js';
import { VERSION } from '../version.js';
import { headerValue } from './http/header-value.js';
import { HttpSink } from './http/http-sink.js';
import { JsonPoster, type Compression } from './http/json-poster.js';
import { unserialisable } from './results.js';
import type { ExportContext, ExportResult } from './sink.js';

/**
 * Options of {@link TinkerHttpSink}.
 *
 * @example
 * ```ts
 * const options: TinkerHttpSinkOptions = { endpoint: 'https://tinker.example.com', apiKey: 'tml-…', timeoutMs: 5000 };
 * ```
 */
export interface TinkerHttpSinkOptions {
  /** The API's base URL, such as `https://tinker.thinkingmachines.dev/services/tinker-prod`. */
  readonly endpoint: string;
  /**
   * Sent as `x-api-key`; omitted when unset or empty. Surrounding whitespace is trimmed; a key with
   * CR, LF, NUL, another control character or a character beyond U+00FF is a `ConfigError`. Never
   * appears in an error.
   */
  readonly apiKey?: string;
  /**
   * How long one HTTP request may take until the response headers arrive.
   * @defaultValue 5000
   */
  readonly timeoutMs?: number;
  /**
   * The sink's name in errors, stats and health events.
   * @defaultValue 'tinker'
   */
  readonly name?: string;
  /**
   * Epoch milliseconds, to turn a `Retry-After` HTTP date into a delay.
   * @defaultValue the process's monotonic-anchored wall clock
   */
  readonly now?: () => number;
  /** `'gzip'` compresses request bodies. @defaultValue 'none' */
  readonly compression?: Compression;
  /** Largest request body, bytes: the reporter cuts batches to fit, before a 413 has to. @defaultValue unbounded */
  readonly maxBatchBytes?: number;
}

/**
 * The default sink: `POST {endpoint}/api/v1/telemetry` in the Tinker wire format, one request per
 * batch, never retrying on its own (ky has `retry: 0`; the reporter owns retry and backoff).
 *
 * `export` never throws or rejects: every outcome, a network error included, is an
 * {@link ExportResult}. The API key never appears in a result's error, even when the backend
 * echoes it in a response body.
 *
 * @example
 * ```ts
 * const sink = new TinkerHttpSink({ endpoint: 'https://tinker.example.com', apiKey: process.env.TINKER_API_KEY });
 * const result = await sink.export(events, AbortSignal.timeout(5000), { batchId, attempt: 0, sessionId });
 * if (result.status !== 'success') console.warn(result.error.message);
 * await sink.shutdown();
 * ```
 */
export class TinkerHttpSink extends HttpSink {
  readonly name: string;
  readonly maxBatchBytes: number | undefined;
  protected readonly poster: JsonPoster;
  readonly #url: string;

  constructor(options: TinkerHttpSinkOptions) {
    super();
    this.name = options.name ?? 'tinker';
    this.#url = `${options.endpoint.replace(/\/+$/, '')}${TELEMETRY_PATH}`;
    // '' means no key (the reporter passes an unset RXTEL_API_KEY through as that); anything else must be sendable.
    const apiKey = options.apiKey === undefined || options.apiKey === '' ? undefined : headerValue('apiKey', options.apiKey);
    this.maxBatchBytes = options.maxBatchBytes;
    this.poster = new JsonPoster({
      name: this.name,
      timeoutMs: options.timeoutMs,
      headers: apiKey === undefined ? {} : { 'x-api-key': apiKey },
      secrets: [apiKey],
      compression: options.compression,
      now: options.now,
    });
  }

  protected async send(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    let body: string;
    try {
      body = JSON.stringify({
        session_id: context.sessionId,
        platform: platformName,
        sdk_version: VERSION,
        process_uuid: processUuid,
        events: batch,
      });
    } catch {
      return unserialisable(this.name);
    }
    const { result } = await this.poster.post(this.#url, body, signal, { 'x-idempotency-key': context.batchId });
    return result;
  }
}
