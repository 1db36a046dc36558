import type { KyInstance } from 'ky';
import { nonEmptyString } from '../schema/fields.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { wireWithoutContent } from '../events/content.js';
import type { TelemetryEvent } from '../events/wire.js';
import type { JsonPoster } from './http/json-poster.js';
import { classifyOtlpResponse } from './http/otlp-classifier.js';
import { HttpSink } from './http/http-sink.js';
import { encodeLangfuseTraces } from './langfuse/otlp-spans.js';
import { LANGFUSE_KEY_LABELS, langfusePoster, langfuseUrl } from './langfuse/poster.js';
import { LangfuseSinkOptions } from './langfuse-sink.js';
import { readPartialSuccess } from './otlp/partial-success.js';
import { resourceFactory, type OtlpResource } from './otlp/resource.js';
import { unserialisable } from './results.js';
import type { ContentCapture, ExportContext, ExportResult } from './sink.js';

/** Where Langfuse takes OTLP/HTTP traces, relative to its base URL. */
export const LANGFUSE_OTLP_TRACES_PATH = '/api/public/otel/v1/traces';

/**
 * The `x-langfuse-ingestion-version` rxtel sends: a custom OTel exporter's opt-in to Langfuse v4's
 * direct write (langfuse v4.16.0 `checkHeaderBasedDirectWrite`; the newest it takes, a higher one is a 400).
 */
export const LANGFUSE_INGESTION_VERSION = '4';

/**
 * Options of {@link LangfuseOtlpSink}: those of `LangfuseSink` (the same keys, environment, release,
 * limits), and the GenAI provider name.
 *
 * @example
 * ```ts
 * const options: LangfuseOtlpSinkOptions = { baseUrl: 'https://cloud.langfuse.com', publicKey: 'pk-lf-…', secretKey: 'sk-lf-…', environment: 'production' };
 * ```
 */
export interface LangfuseOtlpSinkOptions {
  /** The Langfuse host, such as `https://cloud.langfuse.com` (http or https); a path prefix is kept. */
  readonly baseUrl: string;
  /** The project's public key: the Basic auth user name. Trimmed; held to the header-value rule. Never appears in an error. */
  readonly publicKey: string;
  /** The project's secret key: the Basic auth password. Trimmed; held to the header-value rule. Never appears in an error. */
  readonly secretKey: string;
  /** How long one request may take until its whole answer is read. @defaultValue 5000 */
  readonly timeoutMs?: number;
  /** The sink's name in errors, stats and health events. @defaultValue 'langfuse' */
  readonly name?: string;
  /** `'gzip'` compresses request bodies (Langfuse gunzips `content-encoding: gzip`). @defaultValue 'none' */
  readonly compression?: 'none' | 'gzip';
  /** Largest batch, bytes of event JSON: the reporter cuts batches to fit. @defaultValue 2000000 */
  readonly maxBatchBytes?: number;
  /** `'raw'` lets prompts and outputs through when the reporter captures content. @defaultValue 'redacted' */
  readonly contentCapture?: ContentCapture;
  /** `langfuse.environment` of every span: `[a-z0-9_-]`, at most 40, not starting with `langfuse`. */
  readonly environment?: string;
  /** `langfuse.release` of every span. */
  readonly release?: string;
  /** `gen_ai.provider.name` of the GenAI spans whose event does not name it (see `OtlpHttpSinkOptions`). @defaultValue 'unknown' */
  readonly genAiProviderName?: string;
  /** Epoch milliseconds, to turn a `Retry-After` HTTP date into a delay. @defaultValue the process's clock */
  readonly now?: () => number;
  /** Your own ky instance to send through, hooks and all; see `TinkerHttpSinkOptions.ky`. @defaultValue the sink's own `node:http` transport */
  readonly ky?: KyInstance;
}

/**
 * The schema of {@link LangfuseOtlpSinkOptions}, which the constructor parses: a bad or unknown
 * option is a `ConfigError` naming `LangfuseOtlpSink`, the option and the value (never a key).
 */
export const LangfuseOtlpSinkOptions = LangfuseSinkOptions.extend({ genAiProviderName: nonEmptyString().optional() });

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type LangfuseOtlpSinkOptionsMatchSchema = Assert<Matches<LangfuseOtlpSinkOptions, typeof LangfuseOtlpSinkOptions>>;

/**
 * Sends every event to Langfuse's OpenTelemetry endpoint (`POST {baseUrl}/api/public/otel/v1/traces`,
 * OTLP/HTTP JSON, Basic auth with the key pair, `x-langfuse-ingestion-version: 4`) as a span with
 * Langfuse's attributes: generations, tool calls and rounds as the GenAI spans of the OTLP sink
 * typed `generation`, `tool`, `agent`; span events as `span`; every other event as an `event`
 * (see `langfuse/otlp-spans.ts` and docs/sinks.md). The way to Langfuse v4 and Langfuse Cloud;
 * `LangfuseSink` (the ingestion API) stays for v3 and legacy-mode servers.
 *
 * Classified as OTLP/HTTP says: 429, 502, 503, 504, timeouts and network errors are retried, any
 * other failure is not. A 2xx with an OTLP partial success counts the refused spans as `rejected`.
 * `export` never throws or rejects; neither key ever appears in an error, even when echoed.
 *
 * @example
 * ```ts
 * const sink = new LangfuseOtlpSink({ baseUrl: 'https://cloud.langfuse.com', publicKey: process.env.LANGFUSE_PUBLIC_KEY!, secretKey: process.env.LANGFUSE_SECRET_KEY! });
 * const reporter = createReporter({ sinks: [sink] });
 * ```
 */
export class LangfuseOtlpSink extends HttpSink {
  readonly name: string;
  readonly maxBatchBytes: number;
  readonly contentCapture: ContentCapture;
  protected readonly poster: JsonPoster;
  readonly #url: string;
  readonly #environment: string | undefined;
  readonly #release: string | undefined;
  readonly #providerName: string | undefined;
  readonly #resourceFor: (sessionId: string) => OtlpResource;

  constructor(options: LangfuseOtlpSinkOptions) {
    super();
    const parsed = parseOptionsWith(LangfuseOtlpSinkOptions, options, { owner: 'LangfuseOtlpSink', secrets: ['publicKey', 'secretKey'], labels: LANGFUSE_KEY_LABELS });
    this.name = parsed.name;
    this.#url = langfuseUrl(parsed.baseUrl, LANGFUSE_OTLP_TRACES_PATH);
    this.maxBatchBytes = parsed.maxBatchBytes;
    this.contentCapture = parsed.contentCapture;
    this.#environment = parsed.environment;
    this.#release = parsed.release;
    this.#providerName = parsed.genAiProviderName;
    this.#resourceFor = resourceFactory({});
    this.poster = langfusePoster(parsed, {
      headers: { 'x-langfuse-ingestion-version': LANGFUSE_INGESTION_VERSION },
      // OTLP/HTTP's rule, not Tinker's: only 429, 502, 503, 504 are retried.
      classify: classifyOtlpResponse,
    });
  }

  protected async send(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    const content = this.contentCapture === 'raw';
    // The reporter already redacts for 'redacted' sinks; this keeps the promise for direct callers too.
    const events = content ? batch : batch.map(wireWithoutContent);
    let body: string;
    try {
      const { sessionId } = context;
      const request = encodeLangfuseTraces(events, this.#resourceFor(sessionId), {
        sessionId,
        content,
        providerName: this.#providerName,
        environment: this.#environment,
        release: this.#release,
      });
      body = JSON.stringify(request);
    } catch {
      return unserialisable(this.name);
    }
    const outcome = await this.poster.post(this.#url, body, signal);
    if (outcome.result.status !== 'success') return outcome.result;
    return readPartialSuccess(outcome, { sink: this.name, signal: 'traces', sent: batch.length, redact: (text) => this.poster.redact(text), refuser: 'Langfuse' });
  }
}
