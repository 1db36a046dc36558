import ky, { type KyInstance } from 'ky';
import { ConfigError } from '../errors/config-error.js';
import { ExportError } from '../errors/export-error.js';
import type { TelemetryEvent } from '../events/wire.js';
import { nodeScheduler, nodeVersion, platformName, processUuid } from '../lifecycle/platform/node.js';
import { VERSION } from '../version.js';
import { classifyResponse, classifyThrown, TELEMETRY_PATH } from './http/classify-response.js';
import { createNodeFetch, type NodeFetch } from './http/node-fetch.js';
import type { ExportContext, ExportResult, Sink } from './sink.js';

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
  /** Sent as `x-api-key`; omitted when unset. Never appears in an error. */
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
}

// ky refuses larger timeouts (a 32-bit timer limit) only when a request starts; refuse them here, where the option is named.
const MAX_TIMEOUT_MS = 2_147_483_647;
// Enough to drain an ordinary error page (so the keep-alive socket is reused), bounded for a hostile one.
const MAX_BODY_BYTES = 64 * 1024;
const REDACTED = '[redacted]';

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
export class TinkerHttpSink implements Sink {
  readonly name: string;
  // Private fields: util.inspect and JSON.stringify do not show them, and the headers hold the key.
  readonly #api: KyInstance;
  readonly #fetch: NodeFetch;
  readonly #url: string;
  readonly #apiKey: string | undefined;
  readonly #now: () => number;
  #shutdown: Promise<void> | undefined;

  constructor(options: TinkerHttpSinkOptions) {
    const timeoutMs = options.timeoutMs ?? 5000;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new ConfigError(
        'timeoutMs',
        `Invalid option \`timeoutMs\`: expected an integer from 1 to ${MAX_TIMEOUT_MS}, got \`${String(timeoutMs)}\` (${typeof timeoutMs})`,
      );
    }
    this.name = options.name ?? 'tinker';
    this.#url = `${options.endpoint.replace(/\/+$/, '')}${TELEMETRY_PATH}`;
    this.#apiKey = options.apiKey === '' ? undefined : options.apiKey;
    this.#now = options.now ?? (() => nodeScheduler.now());
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': `rxtel/${VERSION} node/${nodeVersion}`,
    };
    if (this.#apiKey !== undefined) headers['x-api-key'] = this.#apiKey;
    this.#fetch = createNodeFetch();
    this.#api = ky.create({ retry: 0, timeout: timeoutMs, throwHttpErrors: false, headers, fetch: this.#fetch });
  }

  /** Sends one batch; resolves to an {@link ExportResult}, never rejects. */
  async export(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    if (this.#shutdown !== undefined) {
      return { status: 'failure', error: new ExportError(`${this.name}: sink is shut down`, { sink: this.name, code: 'ERR_RXTEL_SHUTDOWN' }) };
    }
    try {
      return await this.#send(batch, signal, context);
    } catch {
      // A bug of ours must not lose the batch: let the reporter try again, within its bounds.
      return { status: 'retryable', error: new ExportError(`${this.name}: unexpected error in export`, { sink: this.name }) };
    }
  }

  /** Refuses further exports (they fail without a request). Idempotent: every call returns the same promise. */
  shutdown(): Promise<void> {
    // Pooled keep-alive sockets go with the sink: after stop() nothing of the reporter stays open.
    this.#shutdown ??= Promise.resolve().then(() => this.#fetch.close());
    return this.#shutdown;
  }

  async #send(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
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
      // The pipeline makes events plain JSON, so this is a bug; the same batch would fail again.
      return { status: 'failure', error: new ExportError(`${this.name}: batch is not serialisable`, { sink: this.name }) };
    }

    let response: Response;
    try {
      response = await this.#api.post(this.#url, { body, headers: { 'x-idempotency-key': context.batchId }, signal });
    } catch (error) {
      return classifyThrown(this.name, error, signal);
    }
    const text = await readBodyText(response);
    return classifyResponse(this.name, response.status, response.headers, this.#redact(text), this.#now());
  }

  /** Some backends echo request headers in error pages; the key must not reach a log that way. */
  #redact(text: string): string {
    return this.#apiKey === undefined ? text : text.split(this.#apiKey).join(REDACTED);
  }
}

/** The body as text, at most about {@link MAX_BODY_BYTES}; '' when it cannot be read (reset, abort). */
async function readBodyText(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (bytes >= MAX_BODY_BYTES) {
        void reader.cancel().catch(() => undefined);
        return text;
      }
    }
  } catch {
    return '';
  }
}
