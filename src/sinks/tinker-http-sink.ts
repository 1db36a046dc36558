import type { KyInstance } from 'ky';
import { z } from 'zod';
import { TELEMETRY_PATH } from '../events/names.js';
import type { TelemetryEvent } from '../events/wire.js';
import { platformName, processUuid } from '../platform/node.js';
import { httpUrl } from '../schema/fields.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { VERSION } from '../version.js';
import { headerValueIn } from './http/header-value.js';
import { JsonPoster, type Compression } from './http/json-poster.js';
import type { ExportContext, ExportResult } from './sink.js';
import { clock, compression, kyInstance, maxBatchBytes, sinkName, timeoutMs } from './sink-options.js';
import { HttpSink } from './http/http-sink.js';
import { unserialisable } from './results.js';

/**
 * Options of {@link TinkerHttpSink}.
 *
 * @example
 * ```ts
 * const options: TinkerHttpSinkOptions = { endpoint: 'https://tinker.example.com', apiKey: 'tml-…', timeoutMs: 5000 };
 * ```
 */
export interface TinkerHttpSinkOptions {
  /** The API's base URL (http or https), such as `https://tinker.thinkingmachines.dev/services/tinker-prod`. */
  readonly endpoint: string;
  /**
   * Sent as `x-api-key`; omitted when unset or empty. Surrounding whitespace is trimmed; a key with
   * CR, LF, NUL, another control character or a character beyond U+00FF is a `ConfigError`. Never
   * appears in an error.
   */
  readonly apiKey?: string;
  /**
   * How long one HTTP request may take until its whole answer is read.
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
  /**
   * Your own ky instance (`ky.create({ hooks, … })`), for token refresh, a proxy, custom headers or
   * request logging: the sink's requests then go through it, hooks and all. The sink sets `retry: 0`
   * (the reporter retries), `throwHttpErrors: false`, `prefixUrl: ''` and its `timeoutMs` per
   * request. Costs more CPU per request than the default `node:http` transport (docs/sinks.md).
   * @defaultValue the sink's own keep-alive `node:http` transport
   */
  readonly ky?: KyInstance;
}

/**
 * The schema of {@link TinkerHttpSinkOptions}, which the constructor parses: a bad or unknown
 * option is a `ConfigError` naming `TinkerHttpSink`, the option and the value (never the key).
 */
export const TinkerHttpSinkOptions = z.strictObject({
  endpoint: httpUrl(),
  // '' means no key (the reporter passes an unset RXTEL_API_KEY through as that); anything else must be sendable.
  apiKey: z
    .string({ error: 'expected a string (an HTTP header value)' })
    .transform((raw, ctx) => (raw === '' ? undefined : headerValueIn(ctx, raw)))
    .optional(),
  timeoutMs: timeoutMs(),
  name: sinkName('tinker'),
  now: clock(),
  compression: compression(),
  maxBatchBytes: maxBatchBytes().optional(),
  ky: kyInstance(),
});

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type TinkerHttpSinkOptionsMatchSchema = Assert<Matches<TinkerHttpSinkOptions, typeof TinkerHttpSinkOptions>>;

/**
 * The default sink: `POST {endpoint}/api/v1/telemetry` in the Tinker wire format, one request per
 * batch over a keep-alive `node:http` transport (or your ky instance), never retrying on its own:
 * the reporter owns retry and backoff.
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
    const { name, endpoint, apiKey, ...rest } = parseOptionsWith(TinkerHttpSinkOptions, options, { owner: 'TinkerHttpSink', secrets: ['apiKey'] });
    this.name = name;
    this.#url = `${endpoint.replace(/\/+$/, '')}${TELEMETRY_PATH}`;
    this.maxBatchBytes = rest.maxBatchBytes;
    this.poster = new JsonPoster({
      name: this.name,
      timeoutMs: rest.timeoutMs,
      headers: apiKey === undefined ? {} : { 'x-api-key': apiKey },
      secrets: [apiKey],
      compression: rest.compression,
      now: rest.now,
      ky: rest.ky,
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
