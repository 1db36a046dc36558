import type { KyInstance } from 'ky';
import { z } from 'zod';
import { ExportError } from '../errors/export-error.js';
import { wireWithoutContent } from '../events/content.js';
import type { TelemetryEvent } from '../events/wire.js';
import { httpUrl, nonEmptyString } from '../schema/fields.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { VERSION } from '../version.js';
import { BODY_EXCERPT_CHARS } from './http/classify-response.js';
import { headerValueField } from './http/header-value.js';
import type { Compression, JsonPoster } from './http/json-poster.js';
import { encodeBatch, type EncodedBatch } from './langfuse/encode.js';
import { LANGFUSE_KEY_LABELS, langfusePoster, langfuseUrl } from './langfuse/poster.js';
import type { ContentCapture, ExportContext, ExportResult } from './sink.js';
import { clock, compression, contentCapture, kyInstance, maxBatchBytes, sinkName, timeoutMs } from './sink-options.js';
import { HttpSink } from './http/http-sink.js';
import { unserialisable } from './results.js';

/** Where Langfuse takes batches, relative to its base URL. */
export const LANGFUSE_INGESTION_PATH = '/api/public/ingestion';

/**
 * The default `maxBatchBytes` of a {@link LangfuseSink}. Langfuse refuses ingestion batches over
 * 3.5 MB; the reporter measures the events' own JSON, and the Langfuse envelope adds to it.
 */
export const LANGFUSE_DEFAULT_MAX_BATCH_BYTES = 2_000_000;

/**
 * Options of {@link LangfuseSink}.
 *
 * @example
 * ```ts
 * const options: LangfuseSinkOptions = { baseUrl: 'https://cloud.langfuse.com', publicKey: 'pk-lf-…', secretKey: 'sk-lf-…' };
 * ```
 */
export interface LangfuseSinkOptions {
  /** The Langfuse host, such as `https://cloud.langfuse.com` (http or https). */
  readonly baseUrl: string;
  /** The project's public key: the Basic auth user name. Trimmed; held to the header-value rule (see `TinkerHttpSinkOptions.apiKey`). Never appears in an error. */
  readonly publicKey: string;
  /** The project's secret key: the Basic auth password. Trimmed; held to the header-value rule. Never appears in an error. */
  readonly secretKey: string;
  /** How long one request may take until its whole answer is read. @defaultValue 5000 */
  readonly timeoutMs?: number;
  /** The sink's name in errors, stats and health events. @defaultValue 'langfuse' */
  readonly name?: string;
  /** `'gzip'` compresses request bodies. @defaultValue 'none' */
  readonly compression?: Compression;
  /** Largest batch, bytes of event JSON. @defaultValue {@link LANGFUSE_DEFAULT_MAX_BATCH_BYTES} */
  readonly maxBatchBytes?: number;
  /** `'raw'` lets prompts and outputs through when the reporter captures content. @defaultValue 'redacted' */
  readonly contentCapture?: ContentCapture;
  /** Langfuse `environment` of every trace and observation: `[a-z0-9_-]`, at most 40, not starting with `langfuse`. */
  readonly environment?: string;
  /** Langfuse `release` of every trace. */
  readonly release?: string;
  /** Epoch milliseconds, to turn a `Retry-After` HTTP date into a delay. @defaultValue the process's clock */
  readonly now?: () => number;
  /** Your own ky instance to send through, hooks and all; see `TinkerHttpSinkOptions.ky`. @defaultValue the sink's own `node:http` transport */
  readonly ky?: KyInstance;
}

const ENVIRONMENT = "expected 1 to 40 of [a-z0-9_-], not starting with 'langfuse'";

/**
 * The schema of {@link LangfuseSinkOptions}, which the constructor parses: a bad or unknown option
 * is a `ConfigError` naming `LangfuseSink`, the option and the value (never a key).
 */
export const LangfuseSinkOptions = z.strictObject({
  baseUrl: httpUrl({ expected: 'expected an http(s) URL such as https://cloud.langfuse.com' }),
  // The keys travel base64-encoded, which any string survives; they are held to the header-value
  // rule anyway, because a key with a line break or a character beyond Latin-1 is a paste error
  // that Langfuse would answer with a 401 on every batch. Trimmed, as a header value would be.
  publicKey: headerValueField(),
  secretKey: headerValueField(),
  timeoutMs: timeoutMs(),
  name: sinkName('langfuse'),
  compression: compression(),
  maxBatchBytes: maxBatchBytes().default(LANGFUSE_DEFAULT_MAX_BATCH_BYTES),
  contentCapture: contentCapture(),
  environment: z.string({ error: ENVIRONMENT }).regex(/^(?!langfuse)[a-z0-9_-]{1,40}$/, { error: ENVIRONMENT }).optional(),
  release: nonEmptyString().optional(),
  now: clock(),
  ky: kyInstance(),
});

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type LangfuseSinkOptionsMatchSchema = Assert<Matches<LangfuseSinkOptions, typeof LangfuseSinkOptions>>;

/**
 * Sends batches to Langfuse's ingestion API (`POST {baseUrl}/api/public/ingestion`, Basic auth,
 * `x-langfuse-sdk-name`/`x-langfuse-sdk-version`): `llm.generation` events become generations,
 * `span` events spans, every other event an event observation, and each trace they belong to a
 * trace of the reporter's session. For Langfuse v3 and v4 servers in legacy mode: a v4 server in
 * its default `events_only` mode refuses traces and observations here, and Langfuse announced the
 * end of them on Langfuse Cloud; use `LangfuseOtlpSink` there.
 *
 * A 207 answer is read item by item: items Langfuse refused with 429 or 5xx are retried (just
 * their batch positions, `only`), those refused with another status are refused for good and named
 * (`refusedPositions`). An item id is derived from the event's `event_id`, so a retry resends the
 * same ids.
 *
 * `export` never throws or rejects. Neither key ever appears in a result's error, even when
 * Langfuse echoes it.
 *
 * @example
 * ```ts
 * const sink = new LangfuseSink({ baseUrl: 'https://cloud.langfuse.com', publicKey: process.env.LANGFUSE_PUBLIC_KEY!, secretKey: process.env.LANGFUSE_SECRET_KEY! });
 * const reporter = createReporter({ sinks: [sink] });
 * ```
 */
export class LangfuseSink extends HttpSink {
  readonly name: string;
  readonly maxBatchBytes: number;
  readonly contentCapture: ContentCapture;
  protected readonly poster: JsonPoster;
  readonly #url: string;
  readonly #environment: string | undefined;
  readonly #release: string | undefined;

  constructor(options: LangfuseSinkOptions) {
    super();
    const parsed = parseOptionsWith(LangfuseSinkOptions, options, { owner: 'LangfuseSink', secrets: ['publicKey', 'secretKey'], labels: LANGFUSE_KEY_LABELS });
    this.name = parsed.name;
    this.#url = langfuseUrl(parsed.baseUrl, LANGFUSE_INGESTION_PATH);
    this.maxBatchBytes = parsed.maxBatchBytes;
    this.contentCapture = parsed.contentCapture;
    this.#environment = parsed.environment;
    this.#release = parsed.release;
    this.poster = langfusePoster(parsed);
  }

  protected async send(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    // The reporter already redacts for 'redacted' sinks; this keeps the promise for direct callers too.
    const events = this.contentCapture === 'raw' ? batch : batch.map(wireWithoutContent);
    let encoded: EncodedBatch;
    let body: string;
    try {
      encoded = encodeBatch(events, { sessionId: context.sessionId, environment: this.#environment, release: this.#release });
      body = JSON.stringify({ batch: encoded.items, metadata: { sdk_name: 'rxtel', sdk_version: VERSION } });
    } catch {
      return unserialisable(this.name);
    }
    const { result, status, bodyText } = await this.poster.post(this.#url, body, signal);
    if (result.status !== 'success' || status === undefined) return result;
    return readIngestionResponse(this.name, status, bodyText ?? '', encoded);
  }
}

interface ItemError {
  readonly id: string;
  readonly status: number;
  readonly message?: unknown;
}

function itemErrors(bodyText: string): ItemError[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return [];
  }
  const errors = typeof parsed === 'object' && parsed !== null ? (parsed as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (e): e is ItemError => typeof e === 'object' && e !== null && typeof (e as ItemError).id === 'string' && typeof (e as ItemError).status === 'number',
  );
}

const retryableItem = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status <= 599);

/**
 * Reads a 2xx answer of the ingestion API. Langfuse answers 207 with `{ successes, errors }`; an
 * answer without readable `errors` (another 2xx, a body cut at 64 KiB) counts as delivered.
 * Each item error is traced back to the batch positions its item stands for
 * (`encoded.positions`): 429 and 5xx items are retried (`only`), others are refused for good
 * (`refusedPositions`). A failed `trace-create` counts against every event of its trace; an event
 * refused for good (its own item 4xx) is refused even when its trace may be retried.
 *
 * @example
 * ```ts
 * readIngestionResponse('langfuse', 207, '{"successes":[],"errors":[{"id":"e1","status":500}]}', encoded);
 * // { status: 'retryable', only: [0], error: ExportError('langfuse: 1 of 2 Langfuse items failed (…)') }
 * readIngestionResponse('langfuse', 207, '{"successes":[],"errors":[{"id":"e1","status":400}]}', encoded);
 * // { status: 'success', refusedPositions: [0], rejected: 1, error: ExportError(…) }
 * ```
 */
export function readIngestionResponse(sink: string, status: number, bodyText: string, encoded: EncodedBatch): ExportResult {
  const errors = itemErrors(bodyText).filter((e) => encoded.positions.has(e.id));
  if (errors.length === 0) return { status: 'success' };
  const retry = new Set<number>();
  const reject = new Set<number>();
  for (const e of errors) {
    for (const position of encoded.positions.get(e.id) ?? []) (retryableItem(e.status) ? retry : reject).add(position);
  }
  for (const position of reject) retry.delete(position);
  const first = errors[0] as ItemError;
  const detail = typeof first.message === 'string' && first.message !== '' ? `: ${first.message.slice(0, 200)}` : '';
  const summary = `${errors.length} of ${encoded.items.length} Langfuse items failed (${retry.size} event(s) to retry, ${reject.size} rejected); first: ${first.status}${detail}`;
  const error = new ExportError(`${sink}: HTTP ${status}, ${summary}`, {
    sink,
    status,
    body: bodyText.slice(0, BODY_EXCERPT_CHARS),
    code: 'ERR_RXTEL_PARTIAL',
  });
  // Which events were refused, not just how many: with two sinks refusing different events, only
  // positions let the reporter tell what every sink has from what some lost. `rejected` (the same
  // count) stays for callers that read it.
  const refused = reject.size === 0 ? {} : { refusedPositions: [...reject].sort((a, b) => a - b), rejected: reject.size };
  if (retry.size === 0) return { status: 'success', ...refused, error };
  return { status: 'retryable', only: [...retry].sort((a, b) => a - b), ...refused, error };
}
